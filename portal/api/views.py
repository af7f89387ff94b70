"""The portal's API: public news and published answers; a citizen's own feedback (list and submit).

Reads go through portal.selectors and writes through portal.services, as the pages do.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from egov.core.errors import ApplicationError
from portal import selectors
from portal.api.serializers import (
    ArticleSerializer,
    FeedbackSubmitSerializer,
    MyFeedbackSerializer,
    PublishedFeedbackSerializer,
)
from portal.constants import ArticleKind
from portal.models import Feedback


class PublishedPagination(CursorPagination):
    ordering = ("-published_at", "-id")
    page_size = 20


class ReceivedPagination(CursorPagination):
    ordering = ("-received_at", "-id")
    page_size = 20


class ArticleList(ListAPIView):
    """Published news and directions (`?kind=news|direction`, `?agency=<exchange code>`)."""

    permission_classes = [AllowAny]
    serializer_class = ArticleSerializer
    pagination_class = PublishedPagination

    def get_queryset(self):
        kind = self.request.query_params.get("kind", "")
        code = self.request.query_params.get("agency", "")[:13]
        agency = selectors.agency_by_code(exchange_code=code) if code else None
        if code and agency is None:
            raise ApplicationError("agency_not_found", _("Không tìm thấy cơ quan có mã “%(code)s”.") % {"code": code},
                                   status=404)
        return selectors.articles_published(kind=kind if kind in ArticleKind.values else None, agency=agency)


class PublishedFeedbackList(ListAPIView):
    """Answers published with the sender's consent, without personal data."""

    permission_classes = [AllowAny]
    serializer_class = PublishedFeedbackSerializer
    pagination_class = PublishedPagination

    def get_queryset(self):
        return selectors.feedbacks_published()


class MyFeedback(ListAPIView):
    """The signed-in citizen's own feedback (GET) and sending a new one (POST, multipart for files)."""

    permission_classes = [IsAuthenticated]
    serializer_class = MyFeedbackSerializer
    pagination_class = ReceivedPagination
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no signed-in user
            return Feedback.objects.none()
        return selectors.feedbacks_of_sender(user=self.request.user)

    @extend_schema(request=FeedbackSubmitSerializer, responses={201: MyFeedbackSerializer},
                   summary="Gửi phản ánh, kiến nghị")
    def post(self, request):
        from egov.agencies.models import Agency
        from one_stop.models import Procedure
        from portal.services.feedback import feedback_submit

        data = FeedbackSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        procedure = agency = None
        if values.get("procedure_code"):
            procedure = Procedure.objects.filter(code=values["procedure_code"], is_active=True).first()
            if procedure is None:
                raise ApplicationError("invalid", _("Không tìm thấy thủ tục có mã “%(code)s”.")
                                       % {"code": values["procedure_code"]}, fields={"procedure_code": _("Không tồn tại.")})
        if values.get("agency_code"):
            agency = Agency.objects.filter(exchange_code=values["agency_code"], is_active=True).first()
            if agency is None:
                raise ApplicationError("invalid", _("Cơ quan đã chọn không hợp lệ."),
                                       fields={"agency_code": _("Không tồn tại.")})
        feedback = feedback_submit(
            sender=request.user, subject_kind=values["subject_kind"], title=values["title"], content=values["content"],
            procedure=procedure, regulation=values.get("regulation", ""), agency=agency,
            sender_kind=values["sender_kind"], organisation_name=values.get("organisation_name", ""),
            consent_publish=values["consent_publish"], uploads=values.get("attachments") or [],
        )
        feedback = selectors.feedbacks_of_sender(user=request.user).get(pk=feedback.pk)
        return Response(MyFeedbackSerializer(feedback).data, status=201)
