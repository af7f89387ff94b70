"""Pages of the citizen portal. No business rules here: selectors read, services write."""

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from egov.accounts.privacy import privacy_consent_withdrawn
from one_stop.constants import OnlineLevel
from one_stop.selectors import procedure_fields, required_documents_with_templates
from public_services import selectors
from public_services.forms.engine import clean_text

PAGE_SIZE = 20
LEVEL_CHOICES = [("commune", gettext_lazy("Cấp xã")), ("province", gettext_lazy("Cấp tỉnh")),
                 ("central", gettext_lazy("Cấp trung ương"))]


def catalogue(request):
    """The portal home: search the procedure catalogue, filter by field, level, agency and online level."""
    params = request.GET
    filters = {
        "query": clean_text(params.get("q"), limit=200),
        "field": clean_text(params.get("linh_vuc"), limit=255),
        "online_level": params.get("muc_do", "").strip() if params.get("muc_do") in OnlineLevel.values else "",
        "level": params.get("cap", "").strip() if params.get("cap") in dict(LEVEL_CHOICES) else "",
        "agency": clean_text(params.get("co_quan")),
    }
    procedures = selectors.catalogue_search(**filters)
    page = Paginator(procedures, PAGE_SIZE).get_page(params.get("trang"))
    page.object_list = list(page.object_list)
    for procedure in page.object_list:
        procedure.terms = selectors.channel_terms(channels=procedure.current_channels)
    query_without_page = params.copy()
    query_without_page.pop("trang", None)
    return render(request, "public_services/catalogue.html", {
        "page": page, "filters": filters, "fields": procedure_fields(), "agencies": selectors.catalogue_agencies(),
        "online_levels": OnlineLevel.choices, "levels": LEVEL_CHOICES,
        "query_string": query_without_page.urlencode(), "searched": any(filters.values()),
    })


def procedure_detail(request, code: str):
    """Everything a citizen must know before applying (công khai thủ tục hành chính)."""
    found = selectors.procedure_public(code=code)
    if found is None:
        raise Http404
    procedure, version = found
    documents = []
    for document in required_documents_with_templates(procedure=procedure, version=version):
        originals, copies = selectors.document_copies(document.get("copies", ""))
        documents.append({**document, "originals": originals, "copies_count": copies})
    return render(request, "public_services/procedure.html", {
        "procedure": procedure, "version": version, "documents": documents,
        **selectors.procedure_channel_terms(version=version),
        "agencies": selectors.handling_agencies_for(procedure=procedure),
        "online": procedure.online_level in (OnlineLevel.FULL, OnlineLevel.PARTIAL),
        "has_form": bool(version and getattr(version, "form", None)),
        "levels": [dict(LEVEL_CHOICES).get(level, level) for level in procedure.levels or []],
    })


def form_template(request, code: str, template_id: int):
    """A procedure's blank form (mẫu đơn, tờ khai) to download: public, the same for everyone, so caches may keep it.

    Served as the type sniffed when it was uploaded, under the administrator's file name with that type's extension
    (never a name that could make a browser render it as something else), and revalidated by its hash: a corrected
    form replaces the file at the same address."""
    from pathlib import PurePath

    from django.http import FileResponse, HttpResponseNotModified
    from django.utils.cache import patch_cache_control
    from django.utils.http import http_date

    from egov.core.uploads import EXTENSIONS, FORM_TEMPLATE_ALLOWED
    from one_stop.selectors import procedure_form_template_public

    template = procedure_form_template_public(code=code, template_id=template_id)
    if template is None:
        raise Http404
    etag = f'"{template.sha256}"'
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponseNotModified()
    else:
        try:
            handle = template.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        known = template.content_type in FORM_TEMPLATE_ALLOWED
        stem = PurePath(template.original_name).stem or "mau"
        response = FileResponse(handle, as_attachment=True,
                                content_type=template.content_type if known else "application/octet-stream",
                                filename=f"{stem}.{EXTENSIONS[template.content_type] if known else 'bin'}")
        response["X-Content-Type-Options"] = "nosniff"
        response["Last-Modified"] = http_date(template.uploaded_at.timestamp())
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=3600)
    return response


# ------------------------------------------------------------------------------------------ online forms


def _citizen_only(request):
    from egov.accounts.roles import Role

    if not request.user.has_role(Role.CITIZEN):
        raise PermissionDenied(_("Chỉ tài khoản công dân, tổ chức được nộp hồ sơ trực tuyến."))


def _uploads_from(request, schema: dict) -> list:
    return [(slot["name"], upload) for slot in schema.get("uploads", [])
            for upload in request.FILES.getlist(f"upload-{slot['name']}")]


@login_required
def apply(request, code: str):
    """Fill in the procedure's online form: save a draft (files too) or submit it to the desk."""
    from egov.core.errors import ApplicationError
    from one_stop.services.dossiers import submission_key_sent
    from public_services.forms.engine import form_clean, prefilled_names
    from public_services.forms.html import form_bind, form_data_from_post
    from public_services.profile import citizen_profile
    from public_services.services import (
        portal_check,
        portal_dossier_submit,
        portal_draft_save,
        portal_form_for,
        portal_submission_key,
    )

    _citizen_only(request)
    found = selectors.procedure_public(code=code)
    if found is None:
        raise Http404
    procedure = found[0]
    if request.method == "GET" and privacy_consent_withdrawn(request.user):
        # Asked for consent first, then back here: nothing typed yet, nothing lost. (A form sent from a page opened
        # before the withdrawal comes back with the services' refusal above its answers, kept.)
        messages.info(request, _("Bạn đã rút lại sự đồng ý xử lý dữ liệu cá nhân; hãy đồng ý lại để nộp hồ sơ trực tuyến."))
        return redirect(f"{reverse('accounts:privacy_consent')}?{urlencode({'next': request.get_full_path()})}")
    draft = None
    draft_code = request.POST.get("nhap") or request.GET.get("nhap")
    if draft_code:
        draft = selectors.citizen_dossier(user=request.user, code=draft_code)
        if draft is None and request.method == "POST":
            draft = selectors.citizen_dossier_by_submission_key(
                user=request.user, key=portal_submission_key(request.POST.get("khoa", "")))
        if draft is None or draft.procedure_id != procedure.pk:
            raise Http404
        if draft.state != "draft":
            if request.method == "POST":  # the draft's page sent again (Back, a second tab): shown, not resubmitted
                messages.info(request, _("Hồ sơ %(code)s đã được nộp trước đó; không nộp lại.") % {"code": draft.code})
            return redirect("public_services:dossier", code=draft.code)
    try:
        version, schema = (draft.procedure_version, draft.procedure_version.form) if draft \
            else portal_form_for(procedure=procedure)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("public_services:procedure", code=procedure.code)
    if not schema:
        raise Http404
    profile = citizen_profile(request.user)
    agencies = selectors.handling_agencies_for(procedure=procedure)
    errors: dict = {}
    status = 200
    # The form's one-time key: the same form sent twice (a double click, Back then "Nộp hồ sơ") finds what the first
    # sending made. Kept while the form comes back with errors; a draft keeps the key it was created with.
    submission_key = portal_submission_key(request.POST.get("khoa", "")
                                           or (submission_key_sent(draft.submission_key) if draft else ""))
    sent_before = None
    if request.method == "GET" and draft is None:
        if request.GET.get("moi"):
            # "Nộp một hồ sơ khác": a new key, then the form's own address, so that Back from what this new form sends
            # comes to an address that keeps the new key rather than making yet another one.
            _form_key_renew(request, procedure=procedure)
            return redirect("public_services:apply", code=procedure.code)
        submission_key, sent_before = _form_key_of_page(request, procedure=procedure)
    if request.method == "POST":
        data = form_data_from_post(schema, request.POST)
        uploads = _uploads_from(request, schema)
        service = portal_dossier_submit if request.POST.get("action") == "submit" else portal_draft_save
        outcome = None
        try:
            outcome = service(citizen=request.user, procedure=procedure, form_data=data,
                              agency_id=request.POST.get("agency"), dossier=draft, uploads=uploads,
                              submission_key=submission_key)
        except ApplicationError as exc:
            errors = {**exc.fields, "__all__": [exc.message]}
        else:
            errors = outcome.errors
            if outcome.repeated:
                messages.info(request, _("Hồ sơ %(code)s đã được nộp trước đó; không nộp lại.")
                              % {"code": outcome.dossier.code})
                return redirect("public_services:dossier", code=outcome.dossier.code)
            draft = outcome.dossier or draft
            if not errors and draft.state != "draft":
                messages.success(request, _("Đã nộp hồ sơ %(code)s. Bộ phận Một cửa sẽ kiểm tra và tiếp nhận.")
                                 % {"code": draft.code})
                return redirect("public_services:dossier", code=draft.code)
            if not errors:
                messages.success(request, _("Đã lưu bản nháp. Bạn có thể quay lại hoàn thiện và nộp sau."))
                return redirect(f"{reverse('public_services:apply', args=[procedure.code])}?nhap={draft.code}")
        if uploads and (outcome is None or outcome.dossier is None):
            # A browser never refills a file input: say so rather than let the citizen believe the files are kept.
            errors["__all__"] = [*errors.get("__all__", []), _(
                "Các tệp vừa chọn chưa được lưu vì hồ sơ chưa nộp được: hãy chọn lại tệp khi nộp, hoặc bấm "
                "“Lưu bản nháp” để lưu cả tệp và hoàn thiện sau.")]
        # What was sent, as a draft would keep it, whether or not anything was stored.
        values = form_clean(schema, data, profile=profile, partial=True).values
        status = 400
    else:
        values = draft.form_data if draft else form_clean(schema, {}, profile=profile, partial=True).values
        if draft and request.GET.get("kiem-tra"):
            errors = portal_check(dossier=draft, citizen=request.user).errors
    bound = form_bind(schema, values, errors, prefilled=prefilled_names(schema, profile))
    documents = selectors.citizen_documents(dossier=draft) if draft else []
    # The blank form to fill in, next to the slot it goes into: a slot names the required document it satisfies.
    required = {d.get("name"): d for d in required_documents_with_templates(procedure=procedure, version=version)}
    for upload in bound["uploads"]:
        upload["documents"] = [d for d in documents if d.requirement == upload["name"]]
        upload["template"] = required.get(upload.get("document"), {}).get("template")
        upload["template_url"] = required.get(upload.get("document"), {}).get("template_url")
    return render(request, "public_services/apply.html", {
        "procedure": procedure, "schema": schema, "form": bound, "draft": draft, "agencies": agencies,
        "chosen_agency": draft.handling_agency_id if draft else _int(request.POST.get("agency")),
        # The agency's message goes under its list; a refusal in the same words is not said again at the top.
        "agency_errors": errors.get("agency", []),
        "general_errors": [m for m in dict.fromkeys(errors.get("__all__", [])) if m not in errors.get("agency", [])],
        "error_count": len([k for k in errors if k != "__all__"]),
        "submission_key": submission_key, "sent_before": sent_before,
    }, status=status)


# The key of a new (not yet saved) online form lives in the session, one per procedure, and is renewed only when the
# citizen asks for another form ("Nộp một hồ sơ khác") or the dossier it made is old. A key made afresh at each GET
# let Back then "Nộp hồ sơ" make a second dossier: Chromium fetches the page again on Back and the page came with a
# new key. Kept in the session, the page fetched again has the key its first sending used, the services find that
# dossier (repeated), and the page says so with a link to it. Content matching was not chosen: a citizen may send
# the same answers twice on purpose, and a corrected answer after Back must still count as the same form.
FORM_KEYS_SESSION = "public_services.form_keys"
# Back and "Nộp hồ sơ" comes within minutes; after this the form opened again is taken to be a new application.
FORM_KEY_KEPT = timedelta(minutes=30)
FORM_KEYS_KEPT = 20  # procedures remembered per session


def _form_key_renew(request, *, procedure) -> str:
    from public_services.services import portal_submission_key

    keys = {code: key for code, key in request.session.get(FORM_KEYS_SESSION, {}).items() if code != procedure.code}
    key = keys[procedure.code] = portal_submission_key()
    request.session[FORM_KEYS_SESSION] = dict(list(keys.items())[-FORM_KEYS_KEPT:])
    return key


def _form_key_of_page(request, *, procedure):
    """The session's key for this procedure's new form, and the dossier an earlier sending of it made (or None).

    A key whose dossier is another procedure's, or was made longer ago than FORM_KEY_KEPT, is replaced."""
    from django.utils import timezone

    key = request.session.get(FORM_KEYS_SESSION, {}).get(procedure.code, "")
    if not key:
        return _form_key_renew(request, procedure=procedure), None
    sent = selectors.citizen_dossier_by_submission_key(user=request.user, key=key)
    if sent is not None and (sent.procedure_id != procedure.pk
                             or (sent.submitted_at or sent.created_at) < timezone.now() - FORM_KEY_KEPT):
        return _form_key_renew(request, procedure=procedure), None
    return key, sent


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_POST
def document_delete(request, code: str, document_id: int):
    from egov.core.errors import ApplicationError
    from one_stop.services.documents import dossier_document_delete

    document = selectors.citizen_document(user=request.user, code=code, document_id=document_id)
    if document is None:
        raise Http404
    try:
        dossier_document_delete(document=document, user=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã xóa tệp “%(name)s”.") % {"name": document.original_name})
    dossier = document.dossier
    if dossier.state == "draft":
        return redirect(f"{reverse('public_services:apply', args=[dossier.procedure.code])}?nhap={dossier.code}")
    return redirect("public_services:dossier", code=code)


# ------------------------------------------------------------------------------------------ my dossiers


@login_required
@never_cache
@require_POST
def personal_data_download(request):
    """The citizen's copy of their own data, as a JSON file (a POST: each copy is recorded as a legal event).

    Staff accounts get a 404: their data are the agency's records, kept and handed out by its administrator."""
    import json

    from django.core.serializers.json import DjangoJSONEncoder
    from django.utils import timezone

    from egov.audit.middleware import client_ip
    from public_services.personal_data import personal_data_export

    if not request.user.is_citizen:
        raise Http404
    data = personal_data_export(user=request.user, ip=client_ip(request))
    response = HttpResponse(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
                            content_type="application/json; charset=utf-8")
    filename = f"du-lieu-ca-nhan-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def my_dossiers(request):
    page = Paginator(selectors.citizen_dossiers(user=request.user), PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(request, "public_services/my_dossiers.html", {"page": page, "query_string": ""})


@login_required
def dossier_detail(request, code: str):
    from one_stop.constants import DossierState

    dossier = selectors.citizen_dossier(user=request.user, code=code)
    if dossier is None:
        raise Http404
    if dossier.state == DossierState.DRAFT:
        return redirect(f"{reverse('public_services:apply', args=[dossier.procedure.code])}?nhap={dossier.code}")
    return _dossier_page(request, dossier)


def _dossier_page(request, dossier, *, supplement: dict | None = None, status: int = 200):
    """The owner's dossier page; `supplement`: the supplement box sent back refused (what was typed, its errors)."""
    from one_stop.constants import DocumentKind, DossierState, RatingLevel
    from one_stop.selectors import dossier_result_held_for_fee

    events = selectors.citizen_history(dossier.events.select_related("agency"))
    # A full-online result waits for the fee (one_stop.selectors.dossier_result_held_for_fee): the page says so.
    result_held = dossier_result_held_for_fee(dossier=dossier)
    documents = selectors.citizen_documents(dossier=dossier, result_held=result_held)
    rating = getattr(dossier, "rating", None) if dossier.state == DossierState.RETURNED else None
    withdrawable = dossier.state in (DossierState.SUBMITTED, DossierState.RECEIVED, DossierState.IN_PROGRESS,
                                     DossierState.SUPPLEMENT_REQUESTED)
    from public_services.forms.html import form_answers
    from public_services.payments.selectors import dossier_fee_payment
    from public_services.payments.services import dossier_fee_due

    closed = dossier.state in (DossierState.WITHDRAWN, DossierState.REFUSED)
    # The fee as paid, whatever the dossier's state and whether the desk has fixed its fee yet (it may be paid before
    # receipt): the payer keeps the link to its receipt, and a closed dossier's page says the money is owed back.
    paid_payment = dossier_fee_payment(dossier=dossier)
    fee_paid = paid_payment is not None
    # One source of truth with the payment page: the desk's fee once fixed, else the catalogue's for the channel.
    fee_amount = dossier_fee_due(dossier)
    fee_due = fee_amount > 0 and dossier.state != DossierState.DRAFT and not closed

    return render(request, "public_services/dossier.html", {
        "dossier": dossier, "events": events,
        "answers": form_answers(dossier.procedure_version.form or {}, dossier.form_data or {}),
        "submitted_documents": [d for d in documents if d.kind == DocumentKind.SUBMITTED],
        "supplement_documents": [d for d in documents if d.kind == DocumentKind.SUPPLEMENT],
        "result_documents": [d for d in documents if d.kind == DocumentKind.RESULT],
        "awaiting_supplement": dossier.state == DossierState.SUPPLEMENT_REQUESTED
        and dossier.supplement_submitted_at is None,
        "withdrawable": withdrawable, "rating": rating, "rating_levels": RatingLevel.choices,
        "can_rate": dossier.state == DossierState.RETURNED and rating is None,
        "has_receipt": dossier.received_at is not None,
        "fee_due": fee_due and not fee_paid, "fee_amount": fee_amount, "fee_paid": fee_paid,
        "paid_payment": paid_payment, "closed": closed,
        "result_held": result_held,
        "supplement": supplement or {}, **_result_delivery(dossier),
    }, status=status)


def _result_delivery(dossier) -> dict:
    """Toàn trình: the signed result comes online. Otherwise (một phần, or a dossier not sent online):
    where and when to collect it, from receipt until it is returned."""
    from one_stop.services.results import dossier_requires_signed_result

    full_online = dossier_requires_signed_result(dossier)
    return {"full_online": full_online,
            "collect_in_person": not full_online and dossier.state in ("received", "in_progress", "resolved")}


@login_required
def document_download(request, code: str, document_id: int):
    document = selectors.citizen_document(user=request.user, code=code, document_id=document_id)
    if document is None:
        raise Http404
    return _file_response(document)


def _file_response(document):
    from django.http import FileResponse

    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=document.original_name, content_type=document.content_type)


@login_required
def receipt(request, code: str):
    """Form 01 for the owner, once the desk has received the dossier (same PDF as the counter's)."""
    from one_stop.pdf.receipt import receipt_pdf

    dossier = selectors.citizen_dossier(user=request.user, code=code)
    if dossier is None or dossier.received_at is None:
        raise Http404
    response = HttpResponse(receipt_pdf(dossier=dossier, base_url=request.build_absolute_uri("/")),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="giay-tiep-nhan-{dossier.code}.pdf"'
    return response


@login_required
@require_POST
def withdraw(request, code: str):
    """Withdraw after a confirmation (a box to tick on the dossier page). Without it — no JavaScript, or the box left
    empty — a confirmation page comes back with the reason typed, so nothing is withdrawn in one click."""
    from egov.core.errors import ApplicationError
    from public_services.payments.selectors import dossier_paid_payment
    from public_services.services import portal_dossier_withdraw

    dossier = selectors.citizen_dossier(user=request.user, code=code)
    if dossier is None:
        raise Http404
    note = clean_text(request.POST.get("note"))
    paid = dossier_paid_payment(dossier=dossier)
    try:
        portal_dossier_withdraw(dossier=dossier, citizen=request.user, note=note,
                                confirmed=request.POST.get("xac_nhan") == "on")
    except ApplicationError as exc:
        if exc.code != "withdrawal_not_confirmed":
            messages.error(request, exc.message)
            return redirect("public_services:dossier", code=code)
        return render(request, "public_services/withdraw_confirm.html", {
            "dossier": dossier, "paid_payment": paid, "note": note, "errors": exc.fields,
        }, status=400)
    messages.success(request, _("Đã rút hồ sơ %(code)s.") % {"code": dossier.code})
    return redirect("public_services:dossier", code=code)


@login_required
@require_POST
def rate(request, code: str):
    from egov.core.errors import ApplicationError
    from one_stop.services.dossiers import dossier_rate

    dossier = selectors.citizen_dossier(user=request.user, code=code)
    if dossier is None:
        raise Http404
    try:
        # Signed in as the owner: who they are is already proven, no ID number to retype.
        dossier_rate(dossier=dossier, id_number=dossier.applicant_id_number, level=request.POST.get("level", ""),
                     comment=clean_text(request.POST.get("comment")))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Cảm ơn bạn đã đánh giá."))
    return redirect("public_services:dossier", code=code)


@login_required
@require_POST
def supplement(request, code: str):
    from egov.core.errors import ApplicationError
    from one_stop.constants import DossierState
    from public_services.services import portal_supplement_send

    dossier = selectors.citizen_dossier(user=request.user, code=code)
    if dossier is None:
        raise Http404
    requirement = clean_text(request.POST.get("requirement"), limit=500)
    note = clean_text(request.POST.get("note"))
    uploads = [(requirement, f) for f in request.FILES.getlist("files")]
    try:
        portal_supplement_send(dossier=dossier, citizen=request.user, uploads=uploads, note=note)
    except ApplicationError as exc:
        if dossier.state != DossierState.SUPPLEMENT_REQUESTED or dossier.supplement_submitted_at is not None:
            messages.error(request, exc.message)  # no box to send again: the page says why
            return redirect("public_services:dossier", code=code)
        # The box comes back with what was typed and the refusal next to the file; a browser never refills a file
        # input, so the page asks for the files again.
        file_errors = exc.fields.get("file") or exc.fields.get("files") or []
        return _dossier_page(request, dossier, status=exc.status if 400 <= exc.status < 500 else 400, supplement={
            "requirement": requirement, "note": note, "file_errors": file_errors,
            "message": exc.message if exc.message not in file_errors else "",
        })
    else:
        messages.success(request, _("Đã gửi hồ sơ bổ sung. Bộ phận Một cửa sẽ kiểm tra lại."))
    return redirect("public_services:dossier", code=code)
