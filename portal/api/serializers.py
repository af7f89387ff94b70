from rest_framework import serializers

from portal.constants import FeedbackSubject, SenderKind
from portal.models import Article, Feedback


class ArticleSerializer(serializers.ModelSerializer):
    agency_code = serializers.CharField(source="agency.exchange_code", default=None, read_only=True)
    agency_name = serializers.CharField(source="agency.name", default=None, read_only=True)

    class Meta:
        model = Article
        fields = ["slug", "kind", "title", "summary", "published_at", "agency_code", "agency_name"]


class PublishedFeedbackSerializer(serializers.ModelSerializer):
    """What the public may read of a feedback: the question as published and the answer, no sender."""

    agency_name = serializers.CharField(source="agency.name", read_only=True)
    procedure_code = serializers.CharField(source="procedure.code", default=None, read_only=True)
    question = serializers.CharField(source="public_question", read_only=True)

    class Meta:
        model = Feedback
        fields = ["public_id", "subject_kind", "procedure_code", "question", "answer", "agency_name",
                  "answered_at", "published_at"]


class MyFeedbackSerializer(serializers.ModelSerializer):
    code = serializers.CharField(read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    procedure_code = serializers.CharField(source="procedure.code", default=None, read_only=True)

    class Meta:
        model = Feedback
        fields = ["public_id", "code", "state", "subject_kind", "procedure_code", "regulation", "title", "content",
                  "agency_name", "consent_publish", "received_at", "due_at", "answer", "answered_at", "published_at"]


class FeedbackSubmitSerializer(serializers.Serializer):
    subject_kind = serializers.ChoiceField(choices=FeedbackSubject.choices)
    procedure_code = serializers.CharField(required=False, allow_blank=True, max_length=40)
    regulation = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    agency_code = serializers.CharField(required=False, allow_blank=True, max_length=13)
    sender_kind = serializers.ChoiceField(choices=SenderKind.choices, default=SenderKind.PERSON)
    organisation_name = serializers.CharField(required=False, allow_blank=True, max_length=255)
    title = serializers.CharField(max_length=255)
    content = serializers.CharField(max_length=10000)
    consent_publish = serializers.BooleanField(default=False)
    attachments = serializers.ListField(child=serializers.FileField(), required=False, default=list)
