from rest_framework import serializers

from public_services.payments.models import Payment


class PaymentStartedSerializer(serializers.Serializer):
    payment_url = serializers.CharField(help_text="Địa chỉ cổng thanh toán (đã ký) để chuyển người nộp tới.")
    txn_ref = serializers.CharField()
    amount_vnd = serializers.IntegerField(help_text="Số tiền, đồng.")


class PaymentSerializer(serializers.ModelSerializer):
    dossier = serializers.CharField(source="dossier.code")
    has_receipt = serializers.SerializerMethodField()

    class Meta:
        model = Payment
        fields = ["txn_ref", "dossier", "amount_vnd", "currency", "provider", "state", "provider_transaction_no",
                  "bank_code", "paid_at", "created_at", "expires_at", "receipt_number", "has_receipt"]

    def get_has_receipt(self, payment: Payment) -> bool:
        return bool(payment.receipt_file)
