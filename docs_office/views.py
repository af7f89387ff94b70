"""Staff pages of eOffice. Visibility comes from the selectors, every step from the services."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from docs_office.constants import IncomingState, OutgoingState
from egov.core.errors import ApplicationError
from egov.core.staff_pages import staff_page
from egov.core.text import parse_int

LIST_LIMIT = 100


def _staff(request) -> None:
    if not request.user.is_agency_staff or request.user.agency_id is None:
        raise Http404


@login_required
def dashboard(request):
    """Việc cần xử lý: incoming documents waiting to be registered (records clerk) or assigned (leader), my assignments with their
    deadlines (overdue, due in 3 days) and latest progress, and the drafts waiting on me."""
    from docs_office.selectors import (
        assignments_to_handle,
        incoming_to_assign,
        incoming_to_register,
        open_work_by_unit,
        outgoing_to_act_on,
    )

    _staff(request)
    to_register = list(incoming_to_register(user=request.user)[:LIST_LIMIT])
    to_assign = list(incoming_to_assign(user=request.user)[:LIST_LIMIT])
    assignments = list(assignments_to_handle(user=request.user)[:LIST_LIMIT])
    outgoing = list(outgoing_to_act_on(user=request.user)[:LIST_LIMIT])
    return render(request, "docs_office/dashboard.html", {"to_register": to_register, "to_assign": to_assign,
                                                          "assignments": assignments,
                                                          "outgoing": outgoing, "units": open_work_by_unit(user=request.user)})


@login_required
def incoming_list(request):
    """The agency's incoming documents, newest first, or those a search finds, best first (100 lines).

    One statement reads the rows and the registers: the newest documents, for a leader or records clerk, kept in
    the worker until the agency's documents change (selectors.incoming_newest); a search, or anyone else's list,
    read on every visit. The lines are built once per distinct set of rows in this worker, and the whole page is
    kept per user and lines shown (egov.core.staff_pages), so neither is ever stale.
    """
    from docs_office.filters import document_type_choices, list_filters_parse
    from docs_office.selectors import incoming_newest, incoming_search_rows, reads_whole_agency

    _staff(request)
    search, state = request.GET.get("q", ""), request.GET.get("state", "")
    filters, filter_errors = list_filters_parse(request.GET)
    if not search.strip() and not filters and reads_whole_agency(request.user):
        registers, rows = incoming_newest(user=request.user, state=state, limit=LIST_LIMIT)
    else:
        registers, rows = incoming_search_rows(user=request.user, query=search, state=state, limit=LIST_LIMIT,
                                               registers=True, filters=filters)
    lines = _incoming_rows_html(translation.get_language(), rows)
    years, year, year_error = _register_year(request, registers)
    types = document_type_choices()

    def render_page(csrf_token):
        return render(request, "docs_office/incoming_list.html", {
            "documents": rows, "rows": lines, "search": search, "state": state, "states": IncomingState.choices,
            **_filter_context(request, types, filters, {**filter_errors, "nam": year_error}), "registers": registers,
            "year": year, "years": years, **({"csrf_token": csrf_token} if csrf_token else {})})

    return staff_page(request, ("docs_office:incoming_list", lines, tuple(registers), year, tuple(years), types),
                      render_page)


def _register_year(request, registers) -> tuple[list[int], int, list]:
    """The years the lists' registers can be printed for, the one chosen (`nam`, else the current year) and what is
    wrong with a year asked for that no register has numbered in (the current one is shown instead)."""
    from docs_office.selectors import register_years

    this_year = timezone.localdate().year
    asked = request.GET.get("nam", "").strip()
    if not registers or not asked:
        return register_years(registers), this_year, []
    years = register_years(registers)
    year = parse_int(asked, max_digits=4)
    if year in years:
        return years, year, []
    return years, this_year, [_("Không có sổ văn bản năm %(y)s; đang hiện sổ năm nay.") % {"y": asked[:8]}]


def _filter_context(request, types, filters, errors) -> dict:
    """What the lists' search form shows of the filters: the types to choose from, the values applied (dates as the
    date inputs hold them), what is wrong with the others."""
    return {"types": types, "type": filters.document_type,
            "date_from": filters.date_from.isoformat() if filters.date_from else "",
            "date_to": filters.date_to.isoformat() if filters.date_to else "",
            "filter_errors": [message for field_messages in errors.values() for message in field_messages]}


@functools.lru_cache(maxsize=256)
def _incoming_rows_html(language: str, rows: tuple) -> str:
    """The list's lines as HTML for rows of INCOMING_ROW_FIELDS' values, in `language` (the active one: part of
    the key), built here: 100 lines with a template variable, filter or tag per cell (url, date, truncatewords,
    get_FOO_display) cost the template engine more than the rest of the page. Every text is escaped; they
    read as those filters printed them: dates as `date:"d/m/Y"` in local time, the summary cut at 16 words as
    `truncatewords:16`."""
    from html import escape

    from docs_office.constants import Confidentiality, Urgency
    from docs_office.selectors import INCOMING_ROW_FIELDS
    from docs_office.services.registers import format_number

    # Labels translated and escaped once per page, not once per row.
    states = {value: escape(str(label)) for value, label in IncomingState.choices}
    urgencies = {value: escape(str(label)) for value, label in Urgency.choices}
    secrecy = {value: f"<strong>{escape(str(label))}</strong> · " for value, label in Confidentiality.choices}
    secrecy[Confidentiality.NORMAL] = ""
    # One reverse() for the page: the id replaces a marker in the path.
    marker = "987654321"
    link = escape(reverse("docs_office:incoming_detail", args=[int(marker)]))
    lines = []
    for values in rows:
        row = dict(zip(INCOMING_ROW_FIELDS, values, strict=True))
        words = row["summary"].split()
        summary = " ".join(words[:16]) + (" …" if len(words) > 16 else "")  # as truncatewords:16 cuts it
        number_symbol = "/".join(p for p in (row["number"], row["symbol"]) if p) or "—"
        deadline = row["deadline"].strftime("%d/%m/%Y") if row["deadline"] else "—"
        lines.append(
            f"<tr><td>{format_number(row['arrival_number']) if row['arrival_number'] else '—'}</td>"
            f"<td>{timezone.localtime(row['received_at']).strftime('%d/%m/%Y')}</td>"
            f'<td><a href="{link.replace(marker, str(row["id"]))}">{escape(number_symbol)}</a></td>'
            f"<td>{escape(row['issuer_name'])}</td>"
            f"<td>{secrecy.get(row['confidentiality'], '')}{escape(summary)}</td>"
            f"<td>{urgencies.get(row['urgency'], escape(row['urgency']))}</td><td>{deadline}</td>"
            f"<td>{states.get(row['state'], escape(row['state']))}</td></tr>")
    return mark_safe("\n".join(lines))  # noqa: S308  (every value above is escaped)


@login_required
def incoming_register(request):
    from docs_office.forms import IncomingRegisterForm
    from docs_office.services.incoming import IncomingData, incoming_register_scan
    from egov.accounts.roles import Role

    _staff(request)
    if not request.user.has_role(Role.RECORDS_CLERK):
        raise Http404
    form = IncomingRegisterForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload, readers, confirm = data.pop("file"), data.pop("readers"), data.pop("confirm_duplicate")
        attachments = data.pop("attachments")
        try:
            document = incoming_register_scan(clerk=request.user, data=IncomingData(**data), upload=upload,
                                              readers=list(readers), confirm_duplicate=confirm, attachments=attachments)
        except ApplicationError as exc:
            for field, errors in exc.fields.items():
                if field in form.fields:
                    form.add_error(field, errors)
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã vào sổ văn bản đến, số đến %(n)s.") % {"n": document.arrival_number_display})
            return redirect("docs_office:incoming_detail", pk=document.pk)
    return render(request, "docs_office/incoming_register.html", {"form": form}, status=400 if form.errors else 200)


def _incoming_for(request, pk):
    from docs_office.models import IncomingEvent, IncomingOpinion
    from docs_office.selectors import assignments_in_role_order, incoming_visible_to, outgoing_visible_to

    _staff(request)
    document = incoming_visible_to(user=request.user).select_related(
        "issuer_agency", "registered_by", "source_delivery").prefetch_related(
        Prefetch("assignments", queryset=assignments_in_role_order()),
        # The answer linked at closing, when this user may see it: it may be a secret document the closer reads.
        Prefetch("answered_by", queryset=outgoing_visible_to(user=request.user), to_attr="visible_answered_by"),
        # The outgoing documents drafted as its answer, those this user may see.
        Prefetch("answers", queryset=outgoing_visible_to(user=request.user).order_by("created_at", "id"),
                 to_attr="visible_answers"),
        Prefetch("opinions", queryset=IncomingOpinion.objects.select_related("author")),
        Prefetch("events", queryset=IncomingEvent.objects.select_related("actor")),
        "attachments",
    ).filter(pk=pk).first()
    if document is None:
        raise Http404
    return document


@login_required
def incoming_detail(request, pk: int):
    return _incoming_detail_page(request, _incoming_for(request, pk))


def _incoming_detail_page(request, document, *, assign_form=None, opinion_form=None, refused: dict | None = None,
                          status: int = 200, attachments_form=None):
    """The detail page; after a refused assignment or opinion, with that form as it was sent and its errors; after a
    refused return or close (`refused`: the action, the text typed, the reason — and for a close, the answer
    searched for and chosen), with that text kept."""
    from docs_office.forms import AttachmentsForm, OpinionForm, assign_formset
    from docs_office.selectors import incoming_history, outgoing_answer_choices
    from docs_office.services.attachments import INCOMING_UNASSIGNED, incoming_attachment_allowed
    from docs_office.services.incoming import incoming_actions_for

    refused = refused or {}
    actions = incoming_actions_for(user=request.user, document=document)
    if incoming_attachment_allowed(user=request.user, document=document):
        attachments_form = attachments_form or AttachmentsForm()
    else:
        attachments_form = None
    # The template offers removal of the files a clerk added (an uploader), not the sender's.
    attachments_removable = attachments_form is not None and document.state in INCOMING_UNASSIGNED
    if "assign" in actions and assign_form is None:
        assign_form = assign_formset(user=request.user, document=document)
    if "opinion" in actions and opinion_form is None:
        opinion_form = OpinionForm()
    answer_choices = []
    if "close" in actions:
        answer_choices = outgoing_answer_choices(user=request.user, document=document,
                                                 query=refused.get("answer_q", ""), selected=refused.get("answered_by"))
    from docs_office.selectors import outgoing_visible_to

    # The letter of ours this one answers, when the user may see it (a secret one stays unnamed to others).
    in_reply_to = (outgoing_visible_to(user=request.user).filter(pk=document.in_reply_to_id).first()
                   if document.in_reply_to_id else None)
    return render(request, "docs_office/incoming_detail.html", {
        "document": document, "actions": actions, "in_reply_to": in_reply_to, "history": incoming_history(document),
        "assign_form": assign_form if "assign" in actions else None,
        "opinion_form": opinion_form if "opinion" in actions else None,
        "edxml_status": _edxml_status_offered(request.user, document), "refused": refused,
        "answer_choices": answer_choices, "attachments_form": attachments_form,
        "attachments_removable": attachments_removable,
    }, status=status)


def _edxml_status_offered(user, document) -> list[dict]:
    """The status messages the records clerk may send back for a package's document, one for each state it has
    been in (read from the events the page already has): the acknowledgment of arrival ("01") is ready from the
    import, that of registration ("03") from the registration."""
    from docs_office.edxml import STATUS_CODES
    from docs_office.services.edxml import incoming_status_codes_reached
    from egov.accounts.roles import Role

    if not document.external_id or not user.has_role(Role.RECORDS_CLERK) or user.agency_id != document.agency_id:
        return []
    labels = {"01": _("Thông báo đã đến (gửi lại cho nơi gửi)"),
              "03": _("Thông báo đã tiếp nhận (gửi lại cho nơi gửi)")}
    return [{"code": code, "description": STATUS_CODES[code],
             "label": labels.get(code) or _("Thông điệp trạng thái “%(s)s” (gửi lại cho nơi gửi)") % {
                 "s": _(STATUS_CODES[code])}}
            for code in incoming_status_codes_reached(document, document.events.all())]


@login_required
def incoming_edxml_status(request, pk: int):
    """A status message of a document received by edXML, to send to its sender: of the state `?ma=` names (one it
    has been in), else of its current state."""
    from docs_office.services.edxml import INCOMING_STATUS_CODES, incoming_status_message

    document = _incoming_for(request, pk)
    code = request.GET.get("ma") or None
    return _xml_download(request, lambda: incoming_status_message(user=request.user, document=document, code=code),
                         back="docs_office:incoming_detail", pk=pk,
                         filename=lambda: f"trang-thai-edxml-{document.pk}-"
                                          f"{code or INCOMING_STATUS_CODES[document.state]}.xml")


def _xml_download(request, build, *, back: str, pk: int, filename: str):
    """An edXML file built now, as a download named once it is built (an issued document has its number);
    a refusal goes back to the document's page with its message."""
    from django.http import HttpResponse

    try:
        data = build()
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(back, pk=pk)
    response = HttpResponse(data, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename()}"'
    return response


@login_required
@require_POST
def incoming_action(request, pk: int, action: str):
    """A step of the flow. The assignment and the opinion come through their forms: invalid input or a refusal shows
    the page again with what was typed and the real reason by its field (400, or the refusal's status), not a
    redirect that loses it; the other steps (one button or one line) report a refusal above the page."""
    from docs_office.actions import incoming_action_run
    from docs_office.forms import OpinionForm, assign_formset, assign_formset_with_row
    from docs_office.selectors import SEARCH_MAX_LENGTH
    from docs_office.services.incoming import incoming_actions_for

    document = _incoming_for(request, pk)
    data = {"reason": request.POST.get("reason", ""), "text": request.POST.get("text", ""),
            "result": request.POST.get("result", ""), "confirm_duplicate": request.POST.get("confirm_duplicate") == "on",
            "answered_by": parse_int(request.POST.get("answered_by", ""))}
    if action == "close":
        # The close form's answer picker: a search shows the page again with what was typed, closing nothing.
        close_typed = {"action": "close", "text": data["result"], "message": "", "answered_by": data["answered_by"],
                       "answer_q": request.POST.get("answer_q", "")[:SEARCH_MAX_LENGTH]}
        if "find_answer" in request.POST and action in incoming_actions_for(user=request.user, document=document):
            return _incoming_detail_page(request, document, refused=close_typed)
    form = None
    if action in ("assign", "opinion") and action in incoming_actions_for(user=request.user, document=document):
        if action == "assign" and "add_row" in request.POST:
            # "Thêm dòng": the rows typed so far and one more, nothing assigned yet.
            return _incoming_detail_page(request, document, assign_form=assign_formset_with_row(
                user=request.user, data=request.POST, role=request.POST["add_row"], document=document))
        form = (assign_formset(user=request.user, data=request.POST, document=document) if action == "assign"
                else OpinionForm(request.POST))
        if not form.is_valid():
            return _incoming_detail_page(request, document, **{f"{action}_form": form}, status=400)
        if action == "assign":
            if form.refuse_deadlines(document_deadline=document.deadline):
                return _incoming_detail_page(request, document, assign_form=form, status=400)
            data["assignments"] = form.assignments()
        else:
            data.update(text=form.cleaned_data["text"], progress=form.cleaned_data["progress"])
    try:
        incoming_action_run(user=request.user, document=document, action=action, data=data)
    except ApplicationError as exc:
        if action in ("return", "close") and action in incoming_actions_for(user=request.user, document=document):
            # The reason or result typed comes back in its form, with why it was refused.
            if action == "close":
                refused = {**close_typed, "message": exc.message}
            else:
                refused = {"action": action, "text": request.POST.get("reason", ""), "message": exc.message}
            return _incoming_detail_page(request, document, refused=refused, status=exc.status)
        if form is None:
            messages.error(request, exc.message)
            return redirect("docs_office:incoming_detail", pk=pk)
        if action == "assign":
            form.refuse(exc.message)
        else:
            _form_refused(form, exc)
        return _incoming_detail_page(request, document, **{f"{action}_form": form}, status=exc.status)
    if action == "accept" and document.external_id:
        messages.success(request, _("Đã vào sổ văn bản đến. Thông báo đã tiếp nhận (mã 03) sẵn sàng để gửi lại cho nơi "
                                    "gửi."))
    else:
        messages.success(request, _("Đã cập nhật văn bản."))
    return redirect("docs_office:incoming_detail", pk=pk)


@login_required
def incoming_file(request, pk: int):
    from docs_office.services.incoming import SCAN_TYPES
    from egov.core.uploads import stored_file_response

    document = _incoming_for(request, pk)
    if not document.file:
        raise Http404
    if refused := _incoming_files_refused(request, document):
        return refused
    return stored_file_response(document.file, stem=f"van-ban-den-{document.pk}", allowed=SCAN_TYPES)


def _incoming_files_refused(request, document):
    """A recalled copy's file asked for: its page (which says who recalled it, when and why) with the reason, 410."""
    from docs_office.services.incoming import incoming_files_check

    try:
        incoming_files_check(document=document)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return _incoming_detail_page(request, document, status=exc.status)
    return None


@login_required
def incoming_attachment_file(request, pk: int, attachment_pk: int):
    """An attachment, served like the main file: to whoever may open the document, by its sniffed type."""
    from docs_office.services.attachments import INCOMING_ATTACHMENT_TYPES
    from egov.core.uploads import stored_file_response

    document = _incoming_for(request, pk)
    attachment = next((a for a in document.attachments.all() if a.pk == attachment_pk), None)
    if attachment is None or document.is_secret:
        raise Http404
    if refused := _incoming_files_refused(request, document):
        return refused
    return stored_file_response(attachment.file, stem=f"van-ban-den-{document.pk}-phu-luc-{attachment.pk}",
                                allowed=INCOMING_ATTACHMENT_TYPES, as_attachment=attachment.content_type != "application/pdf")


def _attachments_add(request, document, form, add, *, done: str, page, detail: str):
    """Add the files of `form` with `add(uploads)`; done: back to the document's page with `done` said; refused:
    the page again with the form's errors (400, or the service's status)."""
    status = 400
    if form.is_valid():
        try:
            add(form.cleaned_data["attachments"])
        except ApplicationError as exc:
            _form_refused(form, exc)
            status = exc.status
        else:
            messages.success(request, done)
            return redirect(detail, pk=document.pk)
    return page(request, document, attachments_form=form, status=status)


def _attachment_remove(request, document, remove, *, done: str, page, detail: str):
    """Remove an attachment with `remove()`: done, back to the document's page with `done` said; refused, the page
    again with the reason and the service's status (409 once issued or assigned)."""
    try:
        remove()
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return page(request, document, status=exc.status)
    messages.success(request, done)
    return redirect(detail, pk=document.pk)


@login_required
@require_POST
def incoming_attachment_remove_page(request, pk: int, attachment_pk: int):
    from docs_office.services.attachments import incoming_attachment_remove

    document = _incoming_for(request, pk)
    return _attachment_remove(
        request, document, lambda: incoming_attachment_remove(clerk=request.user, document=document,
                                                              attachment_id=attachment_pk),
        done=_("Đã gỡ tệp đính kèm."), page=_incoming_detail_page, detail="docs_office:incoming_detail")


@login_required
@require_POST
def outgoing_attachment_remove_page(request, pk: int, attachment_pk: int):
    from docs_office.services.attachments import outgoing_attachment_remove

    document = _outgoing_for(request, pk)
    return _attachment_remove(
        request, document, lambda: outgoing_attachment_remove(user=request.user, document=document,
                                                              attachment_id=attachment_pk),
        done=_("Đã gỡ phụ lục."), page=_outgoing_detail_page, detail="docs_office:outgoing_detail")


@login_required
@require_POST
def incoming_attachment_add_page(request, pk: int):
    from docs_office.forms import AttachmentsForm
    from docs_office.services.attachments import incoming_attachment_add

    document = _incoming_for(request, pk)
    return _attachments_add(
        request, document, AttachmentsForm(request.POST, request.FILES),
        lambda uploads: incoming_attachment_add(clerk=request.user, document=document, uploads=uploads),
        done=_("Đã thêm tệp đính kèm."), page=_incoming_detail_page, detail="docs_office:incoming_detail")


@login_required
def outgoing_list(request):
    from docs_office.filters import document_type_choices, list_filters_parse
    from docs_office.selectors import outgoing_register_links, outgoing_search

    _staff(request)
    search, state = request.GET.get("q", ""), request.GET.get("state", "")
    filters, filter_errors = list_filters_parse(request.GET)
    documents = list(outgoing_search(user=request.user, query=search, state=state, filters=filters)[:LIST_LIMIT])
    registers = outgoing_register_links(user=request.user)
    years, year, year_error = _register_year(request, registers)
    return render(request, "docs_office/outgoing_list.html", {
        "documents": documents, "search": search, "state": state, "states": OutgoingState.choices,
        **_filter_context(request, document_type_choices(), filters, {**filter_errors, "nam": year_error}),
        "registers": registers, "year": year, "years": years})


@login_required
def outgoing_create_page(request):
    from docs_office.forms import OutgoingCreateForm
    from docs_office.models import IncomingDocument
    from docs_office.selectors import incoming_visible_to
    from docs_office.services.outgoing import outgoing_create
    from egov.accounts.roles import Role

    _staff(request)
    if not request.user.role_names() & {Role.SPECIALIST, Role.HEAD_OF_DIVISION}:
        raise Http404
    initial = {"answers": request.GET.get("tra-loi")} if parse_int(request.GET.get("tra-loi", "")) is not None else {}
    form = OutgoingCreateForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    # The incoming document answered, named on the page (found by exploratory testing: nothing said which) — one the
    # drafter may see: a secret one they are not a reader of is neither named nor answered.
    answering_pk = parse_int(str(form["answers"].value() or ""))
    answering = incoming_visible_to(user=request.user).filter(pk=answering_pk).first() if answering_pk else None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        answers = None
        if data.get("answers"):
            # The service refuses (400) a document the drafter may not read; looked up by agency so that it does.
            answers = IncomingDocument.objects.filter(pk=data["answers"], agency_id=request.user.agency_id).first()
        try:
            document = outgoing_create(
                drafter=request.user, document_type=data["document_type"], summary=data["summary"],
                upload=data["file"], composition=form.composition(), division=data["division"],
                urgency=data["urgency"], confidentiality=data["confidentiality"], answers=answers,
                recipient_agencies=list(data["recipient_agencies"]), readers=list(data["readers"]),
                recipients_text=data["recipients_text"], reply_due_on=data["reply_due_on"],
                attachments=data["attachments"])
        except ApplicationError as exc:
            for field, errors in exc.fields.items():
                if field in form.fields:
                    form.add_error(field, errors)
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã tạo dự thảo."))
            return redirect("docs_office:outgoing_detail", pk=document.pk)
    return render(request, "docs_office/outgoing_create.html", {"form": form, "answering": answering},
                  status=400 if form.errors else 200)


def _outgoing_for(request, pk):
    from docs_office.models import Delivery, OutgoingEvent, OutgoingVersion
    from docs_office.selectors import incoming_visible_to, outgoing_visible_to

    _staff(request)
    document = outgoing_visible_to(user=request.user).select_related(
        "agency", "signer", "register", "issued_by", "leader_signature", "agency_signature").prefetch_related(
        # The incoming document it answers, when this user may see it (a secret one stays unnamed to others).
        Prefetch("answers", queryset=incoming_visible_to(user=request.user), to_attr="visible_answers"),
        Prefetch("versions", queryset=OutgoingVersion.objects.select_related("uploaded_by")),
        Prefetch("deliveries", queryset=Delivery.objects.select_related("recipient")),
        Prefetch("events", queryset=OutgoingEvent.objects.select_related("actor")),
        "recipient_agencies", "attachments",
    ).filter(pk=pk).first()
    if document is None:
        raise Http404
    return document


@login_required
def outgoing_detail(request, pk: int):
    return _outgoing_detail_page(request, _outgoing_for(request, pk))


def _outgoing_detail_page(request, document, *, edxml: dict | None = None, status: int = 200, attachments_form=None,
                          refused: dict | None = None):
    """The outgoing page; `edxml` holds the edXML form's values and errors when a sending was refused; `refused` a
    step of the flow that was (the action, the note and reason typed, the message and the fields it names): its form
    shows them, or, when the page no longer offers that form, the message and the text typed above the actions."""
    from docs_office.forms import OutgoingAttachmentsForm
    from docs_office.selectors import incoming_answered_by, incoming_replies_to
    from docs_office.services.attachments import outgoing_attachment_allowed
    from docs_office.services.outgoing import ACTION_LABELS, outgoing_actions_for, outgoing_leader_signed_pdf
    from egov.accounts.roles import Role

    if outgoing_attachment_allowed(user=request.user, document=document):
        attachments_form = attachments_form or OutgoingAttachmentsForm()
    else:
        attachments_form = None

    actions = outgoing_actions_for(user=request.user, document=document)
    review = [(a, ACTION_LABELS[a]) for a in ("submit", "head_approve", "leader_approve", "return") if a in actions]
    issued = document.state in (OutgoingState.ISSUED, OutgoingState.RECALLED)
    answered = incoming_answered_by(user=request.user, document=document) if issued else []
    replies = incoming_replies_to(user=request.user, document=document) if issued else []
    # Whom a composed draft's signer block names, next to the approving leader: only that person may sign it.
    version = max(document.versions.all(), key=lambda v: v.number, default=None)
    signer_block = " / ".join(filter(None, [version.signer_competence, version.signer_position, version.signer_name])) \
        if version is not None and version.signer_name else ""
    if refused is not None:
        # The step's form is on the page when the user may still take it; else the refusal shows above the actions.
        refused = {**refused, "on_form": refused["action"] in actions}
    edxml_offered = (document.state == OutgoingState.ISSUED and not document.is_secret
                     and request.user.has_role(Role.RECORDS_CLERK) and request.user.agency_id == document.agency_id)
    return render(request, "docs_office/outgoing_detail.html", {
        "document": document, "actions": actions, "review_actions": review, "edxml_offered": edxml_offered,
        "edxml": edxml or {"values": {}, "errors": {}}, "answered_incoming": answered, "replies": replies,
        "attachments_form": attachments_form, "attachments_removable": attachments_form is not None,
        "signer_block": signer_block, "refused": refused or {},
        # A composed draft is edited as composed ("Sửa nội dung"), not only replaced by an upload.
        "composed": version is not None and (bool(version.composition) or version.signature_box is not None),
        "leader_signed": outgoing_leader_signed_pdf(document) is not None,
        "send_more_agencies": _send_more_agencies(document) if "send_more" in actions else ()}, status=status)


def _send_more_agencies(document) -> list:
    """The agencies of the system an issued document may still be sent to: active, not its own, not sent to yet."""
    from egov.agencies.models import Agency
    from egov.core.text import vietnamese_sorted

    sent = [d.recipient_id for d in document.deliveries.all() if d.recipient_id is not None]
    return vietnamese_sorted(Agency.objects.filter(is_active=True).exclude(pk=document.agency_id).exclude(pk__in=sent)
                             .only("name", "exchange_code"), key=lambda agency: agency.name)


@login_required
def outgoing_compose_page(request, pk: int):
    """ "Sửa nội dung" of a composed draft: its content and signer block, pre-filled with the current version's,
    composed again into a new version — by whoever may add a version now (the drafter of a returned draft, the
    reviewer holding it), as "Phiên bản mới" would be."""
    from dataclasses import asdict

    from docs_office.forms import OutgoingComposeForm
    from docs_office.services.outgoing import outgoing_actions_for, outgoing_composition_of, outgoing_version_add

    document = _outgoing_for(request, pk)
    current = outgoing_composition_of(max(document.versions.all(), key=lambda v: v.number, default=None))
    if current is None or "version" not in outgoing_actions_for(user=request.user, document=document):
        messages.error(request, _("Không sửa được nội dung dự thảo này ở bước này."))
        return redirect("docs_office:outgoing_detail", pk=pk)
    form = OutgoingComposeForm(request.POST or None, initial=asdict(current))
    if request.method == "POST" and form.is_valid():
        try:
            version = outgoing_version_add(user=request.user, document=document,
                                           composition=form.composition(recipients=current.recipients),
                                           note=form.cleaned_data["note"])
        except ApplicationError as exc:
            for field, errors in exc.fields.items():
                if field in form.fields:
                    form.add_error(field, errors)
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã tạo phiên bản %(n)s từ nội dung đã sửa.") % {"n": version.number})
            return redirect("docs_office:outgoing_detail", pk=pk)
    return render(request, "docs_office/outgoing_compose.html", {"form": form, "document": document},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def outgoing_action(request, pk: int, action: str):
    """A step of the draft's flow. A refusal shows the page again with its status (400 for what was typed, 403 or 409
    for who or when) and the refused form as it was sent — the note or reason kept, the reason by its field — not a
    redirect that loses it (found by exploratory testing)."""
    from docs_office.actions import outgoing_action_run

    document = _outgoing_for(request, pk)
    data = {"note": request.POST.get("note", ""), "reason": request.POST.get("reason", ""),
            "file": request.FILES.get("file"), "agencies": request.POST.getlist("agencies")}
    try:
        outgoing_action_run(user=request.user, document=document, action=action, data=data)
    except ApplicationError as exc:
        refused = {"action": action, "note": data["note"], "reason": data["reason"], "agencies": data["agencies"],
                   "message": exc.message, "fields": exc.fields}
        return _outgoing_detail_page(request, _outgoing_for(request, pk), refused=refused, status=exc.status)
    if action == "sign" or action == "issue":
        messages.success(request, _("Đã tạo yêu cầu ký số. Xác nhận bằng mã xác thực tại mục Ký số."))
    elif action == "change_signer":
        messages.success(request, _("Đã chuyển văn bản về bước lãnh đạo cơ quan duyệt để lãnh đạo khác ký."))
    else:
        messages.success(request, _("Đã cập nhật văn bản."))
    return redirect("docs_office:outgoing_detail", pk=pk)


@login_required
def outgoing_file(request, pk: int):
    from docs_office.services.outgoing import outgoing_current_version, outgoing_leader_signed_pdf
    from docs_office.services.registers import number_symbol_file_stem
    from egov.core.uploads import PDF, stored_file_response

    document = _outgoing_for(request, pk)
    if document.signed_file:
        return stored_file_response(document.signed_file, allowed=(PDF,),
                                    stem=number_symbol_file_stem(number=document.number, symbol=document.symbol))
    if (leader_signed := outgoing_leader_signed_pdf(document)) is not None:
        return stored_file_response(leader_signed, stem=f"van-ban-di-{document.pk}-lanh-dao-da-ky", allowed=(PDF,))
    version = outgoing_current_version(document)
    if version is None:
        raise Http404
    extension = "pdf" if version.content_type == "application/pdf" else "docx"
    return FileResponse(version.file.open("rb"), content_type=version.content_type,
                        filename=f"du-thao-{document.pk}-v{version.number}.{extension}")


@login_required
def outgoing_attachment_file(request, pk: int, attachment_pk: int):
    """An appendix PDF: its signed copy once issued, else the file the drafter added."""
    from egov.core.uploads import PDF, stored_file_response

    document = _outgoing_for(request, pk)
    attachment = next((a for a in document.attachments.all() if a.pk == attachment_pk), None)
    if attachment is None:
        raise Http404
    return stored_file_response(attachment.signed_file or attachment.file,
                                stem=f"van-ban-di-{document.pk}-phu-luc-{attachment.pk}", allowed=(PDF,))


@login_required
@require_POST
def outgoing_attachment_add_page(request, pk: int):
    from docs_office.forms import OutgoingAttachmentsForm
    from docs_office.services.attachments import outgoing_attachment_add

    document = _outgoing_for(request, pk)
    return _attachments_add(
        request, document, OutgoingAttachmentsForm(request.POST, request.FILES),
        lambda uploads: outgoing_attachment_add(user=request.user, document=document, uploads=uploads),
        done=_("Đã thêm phụ lục."), page=_outgoing_detail_page, detail="docs_office:outgoing_detail")


@login_required
def register_export(request, pk: int, year: int, fmt: str = "pdf"):
    """A register of the user's agency for one year, as the printed book (PDF) or a spreadsheet (XLSX);
    for records clerks and leaders."""
    from django.http import HttpResponse

    from docs_office.exports import register_xlsx
    from docs_office.models import Register
    from docs_office.pdf.register import register_pdf
    from egov.accounts.roles import Role

    _staff(request)
    if not request.user.role_names() & {Role.RECORDS_CLERK, Role.LEADER}:
        raise Http404
    register = Register.objects.select_related("agency").filter(pk=pk, agency_id=request.user.agency_id).first()
    if register is None or not 2000 <= year <= 2100:
        raise Http404
    if fmt == "xlsx":
        response = HttpResponse(register_xlsx(register=register, year=year),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="so-van-ban-{register.pk}-{year}.xlsx"'
        return response
    response = HttpResponse(register_pdf(register=register, year=year), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="so-van-ban-{register.pk}-{year}.pdf"'
    return response


@login_required
def incoming_import_edxml_page(request):
    """The records clerk uploads an edXML package from an agency outside the system."""
    from docs_office.services.edxml import incoming_import_edxml
    from egov.accounts.roles import Role

    _staff(request)
    if not request.user.has_role(Role.RECORDS_CLERK):
        raise Http404
    problems = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            problems = [_("Cần chọn tệp gói edXML.")]
        else:
            try:
                document = incoming_import_edxml(clerk=request.user, data=upload.read())
            except ApplicationError as exc:
                problems = exc.fields.get("file") or [exc.message]
            else:
                messages.success(request, _("Đã nhận văn bản từ gói edXML; kiểm tra và vào sổ. Thông báo đã đến (mã 01) "
                                            "sẵn sàng để gửi lại cho nơi gửi."))
                return redirect("docs_office:incoming_detail", pk=document.pk)
    return render(request, "docs_office/incoming_import.html", {"problems": problems}, status=400 if problems else 200)


@login_required
def outgoing_status_import_page(request):
    """The records clerk uploads a status message an agency outside the system sent about our package."""
    from docs_office.services.edxml import delivery_status_record
    from egov.accounts.roles import Role

    _staff(request)
    if not request.user.has_role(Role.RECORDS_CLERK):
        raise Http404
    problems, status = [], 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            problems, status = [_("Cần chọn tệp thông điệp trạng thái.")], 400
        else:
            try:
                delivery = delivery_status_record(clerk=request.user, data=upload.read())
            except ApplicationError as exc:
                # A malformed message: each reason; any other refusal: its one sentence.
                problems = exc.fields["file"] if exc.code == "invalid_status" else [exc.message]
                status = exc.status
            else:
                messages.success(request, _("Đã ghi nhận trạng thái của %(a)s: %(s)s.") % {
                    "a": delivery.recipient_label, "s": delivery.get_state_display()})
                return redirect("docs_office:outgoing_detail", pk=delivery.document_id)
    return render(request, "docs_office/outgoing_status_import.html", {"problems": problems}, status=status)


@login_required
@require_POST
def outgoing_edxml(request, pk: int):
    """The records clerk sends the issued document to an agency outside the system: the delivery is recorded and
    the package downloads. A POST, since it records a sending; a refused recipient shows on the page by its field."""
    from django.http import HttpResponse

    from docs_office.services.edxml import outgoing_edxml_export

    document = _outgoing_for(request, pk)
    values = {"recipient_code": request.POST.get("recipient_code", ""),
              "recipient_name": request.POST.get("recipient_name", "")}
    try:
        data = outgoing_edxml_export(user=request.user, document=document, **values)
    except ApplicationError as exc:
        if not exc.fields:
            messages.error(request, exc.message)
            return redirect("docs_office:outgoing_detail", pk=pk)
        return _outgoing_detail_page(request, document, status=exc.status,
                                     edxml={"values": values, "errors": exc.fields, "message": exc.message})
    response = HttpResponse(data, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="edxml-{document.year}-{document.number:02d}.xml"'
    return response


# The query parameters naming the directive a task is given from: a document the leader can see.
DIRECTIVE_PARAMETERS = {"van-ban-den": "incoming", "van-ban-di": "outgoing"}


def _task_directive(request):
    """The directive named in the address or the form (?van-ban-den=<id> or ?van-ban-di=<id>): a document of the
    leader's agency they can see, else None; (parameter, id) to send it on with the form."""
    from docs_office.selectors import incoming_visible_to, outgoing_visible_to

    for parameter, kind in DIRECTIVE_PARAMETERS.items():
        pk = parse_int(request.POST.get(parameter) or request.GET.get(parameter) or "", max_digits=12)
        if pk is None:
            continue
        visible = incoming_visible_to if kind == "incoming" else outgoing_visible_to
        document = visible(user=request.user).filter(pk=pk).first()
        if document is None:
            raise Http404
        return document, (parameter, pk)
    return None, None


@login_required
def tasks_page(request):
    """Theo dõi nhiệm vụ: the tasks of my units (a leader: all, with completion per unit, and a form to give one,
    from a directive when the document's page sent them here), each with its units' progress reports.

    A refused task is shown again on the form with its errors and what the leader typed (400), not lost on a redirect.
    """
    from docs_office.forms import TaskForm
    from docs_office.services.tasks import task_create
    from egov.accounts.roles import Role

    _staff(request)
    leader = request.user.has_role(Role.LEADER)
    if request.method == "POST" and not leader:
        raise Http404
    directive, directive_field = _task_directive(request) if leader else (None, None)
    form = TaskForm(request.POST if request.method == "POST" else None, user=request.user) if leader else None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            task_create(leader=request.user, title=data["title"], division=data["division"], deadline=data["deadline"],
                        directive=directive)
        except ApplicationError as exc:
            _form_refused(form, exc)
        else:
            messages.success(request, _("Đã giao nhiệm vụ."))
            return redirect("docs_office:tasks")
    return _tasks_render(request, form=form, directive=directive, directive_field=directive_field,
                         status=400 if form is not None and form.errors else 200)


def _tasks_render(request, *, form=None, directive=None, directive_field=None, refused_report=None, status=200):
    """The tasks page; `refused_report`: a progress report the service refused, shown again on its task's row with
    what was typed and why (a dict: task, progress, text, message, fields)."""
    from django.db.models import Prefetch

    from docs_office.forms import TaskForm
    from docs_office.models import TaskReport
    from docs_office.selectors import task_completion_by_unit, task_directives_attach, tasks_visible_to
    from egov.accounts.roles import Role

    leader = request.user.has_role(Role.LEADER)
    if form is None and leader:  # a leader's refused report: the form to give a task is on the page as always
        form = TaskForm(user=request.user)
    tasks = tasks_visible_to(user=request.user).prefetch_related(
        Prefetch("reports", queryset=TaskReport.objects.select_related("author").order_by("-created_at", "-id")))
    tasks = task_directives_attach(user=request.user, tasks=list(tasks[:LIST_LIMIT]))
    for task in tasks:
        task.refused_report = refused_report if refused_report and refused_report["task"] == task.pk else None
    return render(request, "docs_office/tasks.html", {
        "tasks": tasks, "today": timezone.localdate(), "units": task_completion_by_unit(user=request.user),
        "is_leader": leader, "form": form,
        "directive": directive, "directive_field": directive_field,
    }, status=status)


def _form_refused(form, exc: ApplicationError) -> None:
    """A service's refusal on the form that was sent: each message by its field, the sentence above the form."""
    for field, errors in exc.fields.items():
        if field in form.fields:
            form.add_error(field, errors)
    form.add_error(None, exc.message)


@login_required
@require_POST
def task_report_page(request, pk: int):
    from docs_office.selectors import tasks_visible_to
    from docs_office.services.tasks import task_report

    _staff(request)
    task = tasks_visible_to(user=request.user).filter(pk=pk).first()
    if task is None:
        raise Http404
    typed_progress, text = request.POST.get("progress", "").strip(), request.POST.get("text", "")
    # Anything but a short plain number ("²", thousands of digits) is no progress, which the service refuses.
    progress = parse_int(typed_progress, max_digits=3)
    try:
        task_report(user=request.user, task=task, progress=progress, text=text)
    except ApplicationError as exc:
        # The page again, the report on its row with what was typed and why — not lost on a redirect.
        return _tasks_render(request, refused_report={"task": task.pk, "progress": typed_progress[:10], "text": text,
                                                      "message": exc.message, "fields": exc.fields},
                             status=exc.status)
    messages.success(request, _("Đã báo cáo tiến độ."))
    return redirect("docs_office:tasks")
