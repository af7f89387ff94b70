"""The citizen side of /api/v1/: the form of a procedure, drafts, documents, submission, my dossiers.

Every dossier route reads through `public_services.selectors.citizen_dossier`, so another citizen's
dossier is 404 (never 403) everywhere. Writes call public_services.services (and through them
one_stop's), the same as the pages.
"""

from django.http import FileResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import api_view, parser_classes, permission_classes
from rest_framework.generics import ListAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from egov.core.api import file_responses
from egov.core.errors import ApplicationError
from egov.core.uploads import DEFAULT_ALLOWED
from public_services import selectors
from public_services.api.serializers import (
    DocumentUploadSerializer,
    DraftCreateSerializer,
    DraftUpdateSerializer,
    MyDossierSerializer,
    PortalDocumentSerializer,
    PortalDossierSerializer,
    ProcedureFormSerializer,
)


class IsCitizen(BasePermission):
    # Lazy: a class attribute is evaluated once, at import, in whatever language was active then.
    message = gettext_lazy("Chỉ tài khoản công dân, tổ chức dùng được chức năng này.")

    def has_permission(self, request, view):
        from egov.accounts.roles import Role

        return bool(request.user and request.user.is_authenticated and request.user.has_role(Role.CITIZEN))


def _own(request, code: str):
    dossier = selectors.citizen_dossier(user=request.user, code=code)
    if dossier is None:
        raise ApplicationError("not_found", _("Không tìm thấy hồ sơ."), status=404)
    return dossier


def _dossier_response(dossier, *, errors=None, status_code=200) -> Response:
    from django.db.models import prefetch_related_objects

    dossier = selectors.citizen_dossier(user=dossier.citizen, code=dossier.code)
    prefetch_related_objects([dossier], selectors.citizen_events_prefetch())
    return Response(PortalDossierSerializer(dossier, context={"errors": errors or {}}).data, status=status_code)


@extend_schema(responses=ProcedureFormSerializer, summary="Biểu mẫu điện tử của thủ tục")
@api_view(["GET"])
@permission_classes([IsAuthenticated, IsCitizen])
def procedure_form(request, code: str):
    from public_services.forms.engine import prefill_value
    from public_services.profile import citizen_profile
    from public_services.services import portal_form_for

    found = selectors.procedure_public(code=code)
    if found is None:
        raise ApplicationError("not_found", _("Không tìm thấy thủ tục."), status=404)
    procedure = found[0]
    version, form = portal_form_for(procedure=procedure)
    profile = citizen_profile(request.user)
    prefill = {f["name"]: value for s in form["sections"] for f in s["fields"]
               if f["type"] != "group" and (value := prefill_value(f, profile)) is not None}
    agencies = [{"id": a.pk, "name": a.name} for a in selectors.handling_agencies_for(procedure=procedure)]
    return Response(ProcedureFormSerializer({"procedure": procedure.code, "version": version.number,
                                             "online_level": procedure.online_level, "form": form,
                                             "prefill": prefill, "agencies": agencies}).data)


@extend_schema(request=DraftCreateSerializer,
               responses={201: PortalDossierSerializer,
                          200: OpenApiResponse(PortalDossierSerializer, description=(
                              "Idempotency-Key đã dùng: bản nháp của lần gửi trước (cập nhật câu trả lời), hoặc hồ sơ "
                              "đã nộp từ bản nháp đó (không thay đổi)."))},
               parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False,
                                            description="Khóa một lần (16–64 ký tự chữ, số, “-”, “_”): gửi lại cùng khóa "
                                                        "không tạo bản nháp thứ hai.")],
               summary="Tạo bản nháp hồ sơ từ câu trả lời")
@api_view(["POST"])
@permission_classes([IsAuthenticated, IsCitizen])
def draft_create(request):
    from public_services.services import SUBMISSION_KEY, portal_draft_save

    key = request.headers.get("Idempotency-Key", "").strip()
    if key and not SUBMISSION_KEY.fullmatch(key):
        # A key the portal's own form would not carry: refused rather than ignored, so a client's retry is never
        # silently a second draft.
        raise ApplicationError("invalid_idempotency_key", _("Idempotency-Key gồm 16–64 ký tự chữ (không dấu), chữ số, "
                                                            "“-” hoặc “_”."), status=400)
    incoming = DraftCreateSerializer(data=request.data)
    incoming.is_valid(raise_exception=True)
    data = incoming.validated_data
    outcome = portal_draft_save(citizen=request.user, procedure=data["procedure"], form_data=data["form_data"],
                                agency_id=data.get("agency"), submission_key=key)
    return _dossier_response(outcome.dossier, errors=outcome.errors,
                             status_code=status.HTTP_201_CREATED if outcome.created else status.HTTP_200_OK)


@extend_schema(request=DraftUpdateSerializer, responses=PortalDossierSerializer, summary="Sửa bản nháp")
@api_view(["PATCH"])
@permission_classes([IsAuthenticated, IsCitizen])
def draft_update(request, code: str):
    from public_services.services import portal_draft_save

    dossier = _own(request, code)
    incoming = DraftUpdateSerializer(data=request.data)
    incoming.is_valid(raise_exception=True)
    if dossier.state != "draft":
        raise ApplicationError("not_a_draft", _("Hồ sơ đã nộp, không sửa được nữa."), status=409)
    outcome = portal_draft_save(citizen=request.user, procedure=dossier.procedure, dossier=dossier,
                                form_data=incoming.validated_data["form_data"])
    return _dossier_response(outcome.dossier, errors=outcome.errors)


@extend_schema(request={"multipart/form-data": DocumentUploadSerializer}, responses={201: PortalDocumentSerializer},
               summary="Tải lên một giấy tờ (bản nháp, hoặc hồ sơ bổ sung khi được yêu cầu)")
@api_view(["POST"])
@permission_classes([IsAuthenticated, IsCitizen])
@parser_classes([MultiPartParser, FormParser])
def document_upload(request, code: str):
    from one_stop.constants import DocumentKind, DossierState
    from one_stop.services.documents import dossier_document_add
    from public_services.services import portal_upload_name_check, portal_uploads_add

    dossier = _own(request, code)
    incoming = DocumentUploadSerializer(data=request.data)
    incoming.is_valid(raise_exception=True)
    upload, requirement = incoming.validated_data["file"], incoming.validated_data["requirement"]
    if dossier.state == DossierState.DRAFT:
        errors: dict = {}
        stored = portal_uploads_add(dossier=dossier, citizen=request.user, schema=dossier.procedure_version.form,
                                    uploads=[(requirement, upload)], kind=DocumentKind.SUBMITTED, errors=errors)
        if errors:
            messages = [m for ms in errors.values() for m in ms]
            raise ApplicationError("invalid_file", messages[0], fields={"file": messages})
        document = stored[0]
    else:
        # Outside a draft, only a requested supplement may be added (the service refuses anything else).
        portal_upload_name_check(upload)
        document = dossier_document_add(dossier=dossier, user=request.user, file=upload, requirement=requirement,
                                        kind=DocumentKind.SUPPLEMENT)
    # The document this request stored (not "the one new since": another upload at the same time may be new too).
    document.dossier = dossier
    return Response(PortalDocumentSerializer(document).data, status=status.HTTP_201_CREATED)


@extend_schema(request=None, responses=PortalDossierSerializer,
               summary="Nộp hồ sơ (bản nháp đầy đủ), hoặc gửi lại hồ sơ bổ sung")
@api_view(["POST"])
@permission_classes([IsAuthenticated, IsCitizen])
def submit(request, code: str):
    from one_stop.services.dossiers import dossier_supplement_submit
    from public_services.services import portal_submit

    dossier = _own(request, code)
    if dossier.state == "supplement_requested":
        dossier = dossier_supplement_submit(dossier=dossier, citizen=request.user)
    else:
        dossier = portal_submit(dossier=dossier, citizen=request.user)
    return _dossier_response(dossier)


# What a dossier may hold: the citizen's uploads (egov.core.uploads.DEFAULT_ALLOWED) and PDF results.
@extend_schema(responses=file_responses(DEFAULT_ALLOWED), summary="Tải tệp của hồ sơ của tôi")
@api_view(["GET"])
@permission_classes([IsAuthenticated, IsCitizen])
def document_download(request, code: str, document_id: int):
    document = selectors.citizen_document(user=request.user, code=code, document_id=document_id)
    if document is None:
        raise ApplicationError("not_found", _("Không tìm thấy tệp."), status=404)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise ApplicationError("not_found", _("Không tìm thấy tệp."), status=404) from None
    return FileResponse(handle, as_attachment=True, filename=document.original_name, content_type=document.content_type)


@extend_schema(responses=PortalDossierSerializer, summary="Một hồ sơ của tôi")
@api_view(["GET"])
@permission_classes([IsAuthenticated, IsCitizen])
def my_dossier(request, code: str):
    return _dossier_response(_own(request, code))


class MyDossiersPagination(CursorPagination):
    ordering = ("-created_at", "-id")
    page_size = 20


class MyDossiers(ListAPIView):
    """Hồ sơ của tôi: newest first, cursor-paginated (the list only grows)."""

    permission_classes = [IsAuthenticated, IsCitizen]
    serializer_class = MyDossierSerializer
    pagination_class = MyDossiersPagination
    filter_backends = []

    def get_queryset(self):
        return selectors.citizen_dossiers(user=self.request.user).order_by().prefetch_related(
            selectors.citizen_events_prefetch())
