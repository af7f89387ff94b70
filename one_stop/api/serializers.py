from rest_framework import serializers

from one_stop.models import Procedure
from one_stop.selectors import procedure_version_current


class ProcedureListSerializer(serializers.ModelSerializer):
    processing_days = serializers.DecimalField(source="current_processing_days", max_digits=6, decimal_places=1,
                                               allow_null=True, read_only=True)
    fees = serializers.IntegerField(source="current_fee_vnd", allow_null=True, read_only=True,
                                    help_text="Phí, lệ phí (đồng); null: không nêu rõ.")

    class Meta:
        model = Procedure
        fields = ["code", "name", "field", "levels", "online_level", "processing_days", "fees"]


class ProcedureDetailSerializer(serializers.ModelSerializer):
    processing_days = serializers.SerializerMethodField()
    processing_text = serializers.SerializerMethodField()
    fees = serializers.SerializerMethodField()
    fee_text = serializers.SerializerMethodField()
    channels = serializers.SerializerMethodField()
    required_documents = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField()
    version = serializers.SerializerMethodField()

    class Meta:
        model = Procedure
        fields = ["code", "name", "field", "levels", "agency_text", "online_level", "processing_days",
                  "processing_text", "fees", "fee_text", "channels", "required_documents", "steps", "result",
                  "legal_basis", "conditions", "version", "source_url"]

    def _current(self, obj):
        if not hasattr(obj, "_current_version"):
            obj._current_version = procedure_version_current(procedure=obj)
        return obj._current_version

    def _term(self, obj, name, default=None):
        version = self._current(obj)
        return getattr(version, name) if version else default

    def get_processing_days(self, obj) -> float | None:
        value = self._term(obj, "processing_days")
        return None if value is None else float(value)

    def get_processing_text(self, obj) -> str:
        return self._term(obj, "processing_text", "")

    def get_fees(self, obj) -> int | None:
        return self._term(obj, "fee_vnd")

    def get_fee_text(self, obj) -> str:
        return self._term(obj, "fee_text", "")

    def get_channels(self, obj) -> list:
        return self._term(obj, "channels", [])

    def get_required_documents(self, obj) -> list:
        return self._term(obj, "required_documents", [])

    def get_steps(self, obj) -> list:
        return self._term(obj, "steps", [])

    def get_version(self, obj) -> int | None:
        return self._term(obj, "number")
