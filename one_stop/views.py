import functools
import secrets
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.core.staff_pages import staff_page, staff_page_around
from egov.core.text import parse_int
from one_stop.constants import step_display_name
from one_stop.selectors import dossier_public_lookup


def lookup(request, code: str | None = None):
    """Public lookup by dossier code (typed, or from the receipt's QR code): state, places, dates and the
    process's steps; never the applicant."""
    typed = request.GET.get("ma", "").strip()
    if typed and code is None:
        try:
            return redirect(reverse("one_stop:lookup_code", kwargs={"code": typed}))
        except NoReverseMatch:
            # A "/" cannot go into the code's URL, and no dossier code holds one: answer "not found" right here.
            code = typed
    return _lookup_page(request, code)


def _lookup_page(request, code: str | None, *, rating_form=None, rating_error: str = "", status: int | None = None):
    dossier = dossier_public_lookup(code=code) if code else None
    status = status or (404 if code and dossier is None else 200)
    context = {"code": code or "", "dossier": dossier}
    if dossier is not None:
        # Times written as `date:"H:i d/m/Y"` would, with strftime (a tenth of the filter's cost, on the
        # page every receipt's QR code opens).
        context.update(received=_local_text(dossier.received_at), due=_local_text(dossier.due_at),
                       returned=_local_text(dossier.returned_at),
                       steps=[(step_display_name(step.name), step.agency, _local_text(step.started_at) or "—",
                               _local_text(step.completed_at) or "—", _local_text(step.due_at) or "—")
                              for step in dossier.steps])
        # After the result is returned the applicant rates the service once, here too: most applicants came to the
        # counter and have no account, only the receipt whose QR code opened this page.
        if dossier.state == "returned" and not dossier.rated:
            context.update(rating_fields_html=_rating_fields_html(rating_form) if rating_form is not None
                           else _blank_rating_fields_html(translation.get_language()))
        context["rating_error"] = rating_error  # shown without the form too: "already rated", "not returned yet"
    return render(request, "one_stop/lookup.html", context, status=status)


def _rating_fields_html(form) -> str:
    return render_to_string("one_stop/_lookup_rating_fields.html", {"rating_form": form})


@functools.lru_cache(maxsize=8)
def _blank_rating_fields_html(language: str) -> str:
    """The empty rating form's fields, laid out once per language: the page every receipt's QR code opens shows
    them for each returned dossier, and a form's widgets cost more to lay out than the rest of the page."""
    from one_stop.forms import LookupRatingForm

    return _rating_fields_html(LookupRatingForm())


@require_POST
def lookup_rate(request, code: str):
    """The rating sent from the public lookup: the applicant proves who they are by the ID number or tax code given
    at submission, as the API asks (POST /api/v1/lookup/{code}/rating/), under the lookup's per-address limit;
    what was typed stays in the form when it is refused — the ID number excepted (forms.UnkeptTextInput)."""
    from egov.core.errors import ApplicationError
    from one_stop.api.views import LookupPageThrottle
    from one_stop.forms import LookupRatingForm
    from one_stop.selectors import dossier_by_code
    from one_stop.services.dossiers import dossier_rate

    form = LookupRatingForm(request.POST)
    if not LookupPageThrottle().allow_request(request, None):
        return _lookup_page(request, code, rating_form=form, status=429,
                            rating_error=_("Gửi quá nhiều lần: vui lòng thử lại sau ít phút."))
    dossier = dossier_by_code(code=code)
    if dossier is None:
        raise Http404
    if not form.is_valid():
        return _lookup_page(request, dossier.code, rating_form=form, status=400,
                            rating_error=_("Đánh giá chưa gửi được: xem lỗi ở từng mục."))
    try:
        dossier_rate(dossier=dossier, id_number=form.cleaned_data["id_number"], level=form.cleaned_data["level"],
                     comment=form.cleaned_data["comment"])
    except ApplicationError as refused:
        for field, problems in refused.fields.items():
            if field in form.fields:
                form.add_error(field, problems)
        return _lookup_page(request, dossier.code, rating_form=form, rating_error=refused.message, status=refused.status)
    messages.success(request, _("Cảm ơn ông/bà đã đánh giá mức độ hài lòng."))
    return redirect("one_stop:lookup_code", code=dossier.code)


def _staff_dossier(request, code: str, *, related=(), **conditions):
    """The dossier `code` for a staff member who may see it (and meets `conditions`), with `related` joined; else
    404 — for a citizen too, whose own dossiers are the portal's (public_services)."""
    from one_stop.selectors import dossiers_worked_by

    if not request.user.is_agency_staff:
        raise Http404
    # Their agency's work only: a dossier they filed as a citizen elsewhere is read on the portal.
    dossiers = dossiers_worked_by(user=request.user).select_related(
        "procedure", "procedure_version", "receiving_agency", "handling_agency", *related)
    dossier = dossiers.filter(code=code, **conditions).first()
    if dossier is None:
        raise Http404
    return dossier


def _local_text(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y") if moment else ""


@login_required
def receipt(request, code: str):
    """Form 01 for staff who can see the dossier (print at the counter): the file stored at receipt, or
    rendered now when the dossier no longer matches it (one_stop.services.receipts)."""
    from one_stop.services.receipts import dossier_receipt_ensure

    # Staff only: the owner has the portal's copy. Form 01 attests a receipt: a dossier the desk never received (an
    # online submission still waiting, a draft) has none to print (404, as on the portal).
    dossier = _staff_dossier(request, code, related=("received_by", "receiving_agency__parent"),
                             received_at__isnull=False)
    pdf = dossier_receipt_ensure(dossier=dossier, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="giay-tiep-nhan-{dossier.code}.pdf"'
    return response


# The queue's filters in its address (Vietnamese, as the staff read and share them) and what they stand for.
QUEUE_GROUP_SLUGS = {"cho-tiep-nhan": "submitted", "dang-xu-ly": "in_progress", "cho-tra-ket-qua": "resolved",
                     "bo-sung": "supplement"}
QUEUE_DUE_SLUGS = {"qua-han": "overdue", "sap-den-han": "due_soon", "can-xin-loi": "at_risk"}
QUEUE_MINE_PARAM = "cua-toi"


def _queue_filters(params):
    """The filters a queue address asks for; an unknown value is no filter (an old or mistyped link shows more)."""
    from one_stop.selectors import QueueFilters

    return QueueFilters(group=QUEUE_GROUP_SLUGS.get(params.get("nhom", ""), ""),
                        due=QUEUE_DUE_SLUGS.get(params.get("han", ""), ""), mine=params.get(QUEUE_MINE_PARAM) == "1")


def _queue_filters_query(filters) -> list[tuple[str, str]]:
    """The address parameters of `filters`, in a fixed order (the inverse of _queue_filters)."""
    query = []
    if filters.group:
        query.append(("nhom", next(slug for slug, group in QUEUE_GROUP_SLUGS.items() if group == filters.group)))
    if filters.due:
        query.append(("han", next(slug for slug, due in QUEUE_DUE_SLUGS.items() if due == filters.due)))
    if filters.mine:
        query.append((QUEUE_MINE_PARAM, "1"))
    return query


@login_required
def queue(request):
    """The staff member's queue, coloured by deadline (overdue, due within two working days, on time), narrowed by
    the tabs: a group of states, a due status (with the dossiers needing an apology), the user's own work."""
    from one_stop.selectors import (
        QUEUE_VERSION_FACT,
        dossiers_queue_page,
        due_horizons,
        queue_seconds_kept,
    )
    from one_stop.services.dossiers import POSTPONE_ROLES

    if not request.user.is_agency_staff:
        raise Http404
    search = request.GET.get("q", "")
    try:
        number = int(request.GET.get("trang", "1"))
    except ValueError:
        number = 1
    filters = _queue_filters(request.GET)
    roles = request.user.role_names()
    is_clerk = "one_stop_clerk" in roles
    is_handler = bool(roles & {str(role) for role in POSTPONE_ROLES})
    # From the calendar once per worker and day (the calendar's version comes with the user): no query here.
    horizons = due_horizons(user=request.user)
    version = (getattr(request.user, "signed_in_facts", None) or {}).get(QUEUE_VERSION_FACT)
    if version is not None and not search.strip() and filters.by_state_only:
        # The open queue (or one group of its states) is kept until a dossier of it changes (its version, read
        # with the user — steps and supplements sent back included, which the "my work" and apology counts show) or
        # one of its rows or counts changes with the time (a row turns due soon or overdue, a step passes its due
        # date, midnight) — whichever comes first: the same page again costs no query. Filters by due status or by
        # step change with the time or the steps, not the version.
        kept_for = []

        def render_kept(csrf_token):
            page = dossiers_queue_page(user=request.user, page=number, filters=filters, horizons=horizons)
            if page.number > page.last_number:
                return _queue_last_page_redirect(search, page, filters)
            tabs = _queue_tab_counts_kept(request.user, filters, is_handler, horizons, version)
            rows_kept = queue_seconds_kept(page, horizons=horizons)
            counts_kept = (tabs.next_change - horizons.now).total_seconds()
            kept_for.append(counts_kept if rows_kept is None else min(rows_kept, counts_kept))
            content = _queue_content_html(translation.get_language(), is_clerk, is_handler, "", filters, page.number,
                                          page.has_next, page.count, page.count_capped, tuple(page.dossiers),
                                          tabs.counts)
            return render(request, "one_stop/queue.html",
                          {"content_html": content, **({"csrf_token": csrf_token} if csrf_token else {})})

        return staff_page(request, ("queue", version, filters, horizons.due_soon_until), render_kept,
                          seconds=lambda: kept_for[0] if kept_for else None)
    page = dossiers_queue_page(user=request.user, search=search, page=number, filters=filters, horizons=horizons)
    if page.number > page.last_number:
        return _queue_last_page_redirect(search, page, filters)
    # A search's page links the tabs back without their counts: it lists matches of every state, and counting the
    # whole queue for links the clerk did not come for would cost every search.
    tab_counts = () if search.strip() else _queue_tab_counts_kept(request.user, filters, is_handler, horizons, version).counts
    content = _queue_content_html(translation.get_language(), is_clerk, is_handler, search, filters,
                                  page.number, page.has_next, page.count, page.count_capped, tuple(page.dossiers),
                                  tab_counts)
    if search.strip():
        # Every search is a page of its own (a name, its matches): only the layout around it is kept.
        def render_around(content_html, path, csrf_token):
            return render(request, "one_stop/queue.html", {"content_html": mark_safe(content_html), "page_path": path,  # noqa: S308
                                                           **({"csrf_token": csrf_token} if csrf_token else {})})

        return staff_page_around(request, content, render_around)

    def render_page(csrf_token):
        return render(request, "one_stop/queue.html",
                      {"content_html": content, **({"csrf_token": csrf_token} if csrf_token else {})})

    # Kept per user and content: the same rows a moment later are the same page (egov.core.staff_pages).
    return staff_page(request, content, render_page)


# The tabs' counts of a user's queue, kept in this process by the queue's version (which follows every column and step
# they read, migration 0104) until the first moment the time alone changes one: a search or a page filtered by due date
# or by the user's own work (drawn at every visit) then costs no count of the whole queue either.
_TAB_COUNTS_LIMIT = 4096
_tab_counts_kept: dict[tuple, object] = {}


def _queue_tab_counts_kept(user, filters, is_handler: bool, horizons, version):
    """Every tab's count from `filters` (one statement for all of them), kept while the queue's version holds and the
    time changes none of them."""
    from one_stop.selectors import dossiers_queue_tab_counts, queue_tab_targets

    if version is None:  # not to be trusted now (egov.core.versions): counted for this request alone
        return dossiers_queue_tab_counts(user=user, targets=queue_tab_targets(filters, is_handler=is_handler),
                                         horizons=horizons)
    key = (user.pk, user.agency_id, frozenset(user.role_names()), user.is_superuser, version, filters, is_handler,
           horizons.due_soon_until)
    tabs = _tab_counts_kept.get(key)
    if tabs is None or horizons.now >= tabs.next_change:
        tabs = dossiers_queue_tab_counts(user=user, targets=queue_tab_targets(filters, is_handler=is_handler),
                                         horizons=horizons)
        if len(_tab_counts_kept) >= _TAB_COUNTS_LIMIT:  # simpler than an LRU; each entry comes back in one visit
            _tab_counts_kept.clear()
        _tab_counts_kept[key] = tabs
    return tabs


def _queue_last_page_redirect(search: str, page, filters):
    """A page past the end (a bookmark, the queue shrank) goes to the last page that has rows: its statement
    brought the count with it, so only the redirected request reads the rows."""
    from urllib.parse import urlencode

    query = [("q", search)] if search.strip() else _queue_filters_query(filters)
    return redirect(f"{reverse('one_stop_staff:queue')}?{urlencode([*query, ('trang', page.last_number)])}")


@functools.lru_cache(maxsize=512)
def _queue_content_html(language: str, is_clerk: bool, is_handler: bool, search: str, filters, number: int,
                        has_next: bool, count: int, count_capped: bool, dossiers: tuple, tab_counts: tuple = ()) -> str:
    """The page's content (heading, filters, search form, table, pages), built once per distinct set of what it
    shows in this process.

    Keyed by everything it shows — the rows as read from the database a moment ago (code, state, due
    date, names, due status), the count, the page, the filters, the search and the language — so a cached
    rendering is never stale: any change is a new key. Most visits see what the visit before saw (a clerk's
    refresh, colleagues of one desk), and rendering the table was most of the page's cost.
    """
    from html import escape

    before_filters, before_search, before_rows, before_pager, after = _queue_content_frame(language, is_clerk)
    # A search looks through every dossier, whatever the filters: its page shows none of them as chosen.
    shown = filters if not search.strip() else type(filters)()
    return mark_safe("".join((before_filters, _queue_filters_html(language, is_handler, shown, tab_counts),  # noqa: S308
                              before_search,
                              escape(search), before_rows, _queue_rows_html(dossiers), before_pager,
                              _queue_pager_html(search, shown, number, has_next, count, count_capped), after)))


@functools.lru_cache(maxsize=256)
def _queue_filters_html(language: str, is_handler: bool, filters, tab_counts: tuple = ()) -> str:
    """The queue's tabs, the chosen ones marked (aria-current): links that change one filter and keep the others, each
    with how many dossiers it lists (`tab_counts`: (filters, count) pairs, selectors.dossiers_queue_tab_counts), past
    the queue's cap as "200+"."""
    from dataclasses import replace
    from html import escape
    from urllib.parse import urlencode

    from one_stop import selectors

    counts = dict(tab_counts)

    def link(label, target, current: bool) -> str:
        query = urlencode(_queue_filters_query(target))
        marked = ' aria-current="page"' if current else ""
        count = counts.get(target)
        shown = ("" if count is None else
                 f' <span class="tab-count">({selectors.QUEUE_COUNT_CAP}+)</span>' if count > selectors.QUEUE_COUNT_CAP
                 else f' <span class="tab-count">({count})</span>')
        return f'<li><a href="?{escape(query)}"{marked}>{escape(label)}{shown}</a></li>'

    groups = [(_("Tất cả"), ""), (_("Chờ tiếp nhận"), "submitted"), (_("Đang xử lý"), "in_progress"),
              (_("Chờ trả kết quả"), "resolved"), (_("Chờ bổ sung"), "supplement")]
    dues = [(_("Mọi thời hạn"), ""), (_("Quá hạn"), "overdue"), (_("Sắp đến hạn"), "due_soon")]
    if is_handler:  # only the handling agency's specialists and leaders apologise (form 04)
        dues.append((_("Sắp quá hạn cần xin lỗi"), "at_risk"))
    rows = [
        (_("Trạng thái"), [link(label, replace(filters, group=group), filters.group == group) for label, group in groups]),
        (_("Hạn"), [link(label, replace(filters, due=due), filters.due == due) for label, due in dues]),
        (_("Phạm vi"), [link(_("Cả cơ quan"), replace(filters, mine=False), not filters.mine),
                        link(_("Việc của tôi"), replace(filters, mine=True), filters.mine)]),
    ]
    nav = "\n".join(f'  <div><span>{escape(title)}:</span> <ul>{"".join(links)}</ul></div>' for title, links in rows)
    label = escape(_("Lọc hồ sơ"))  # outside the f-string: makemessages does not read calls inside one
    return f'<nav class="queue-filters" aria-label="{label}">\n{nav}\n</nav>'


_FILTERS_SLOT, _SEARCH_SLOT, _ROWS_SLOT, _PAGER_SLOT = (f"{name}-slot-{secrets.token_hex(8)}"
                                                       for name in ("filters", "search", "rows", "pager"))


@functools.lru_cache(maxsize=16)
def _queue_content_frame(language: str, is_clerk: bool) -> tuple[str, str, str, str, str]:
    """The content's template rendered once per language and role, cut where the filters, the search typed, the
    table's rows and the pages go: a search is new at nearly every visit, and the template engine's tags and
    translations around it cost more than the rows themselves. The slots are random per process, so nothing
    rendered can hold them."""
    frame = render_to_string("one_stop/_queue_content.html", {
        "filters_html": _FILTERS_SLOT, "search": _SEARCH_SLOT, "rows_html": _ROWS_SLOT, "pager_html": _PAGER_SLOT,
        "is_clerk": is_clerk})
    before_filters, rest = frame.split(_FILTERS_SLOT)
    before_search, rest = rest.split(_SEARCH_SLOT)
    before_rows, rest = rest.split(_ROWS_SLOT)
    before_pager, after = rest.split(_PAGER_SLOT)
    return before_filters, before_search, before_rows, before_pager, after


def _queue_pager_html(search: str, filters, number: int, has_next: bool, count: int, count_capped: bool) -> str:
    """The count and the links to the pages before and after, every value escaped (the search as in a query), with
    the filters chosen."""
    from html import escape
    from urllib.parse import quote, urlencode

    from django.utils.formats import localize
    from django.utils.translation import ngettext

    counter = {"counter": localize(count)}
    if count_capped:
        total = ngettext("Hơn %(counter)s hồ sơ.", "Hơn %(counter)s hồ sơ.", count) % counter
    else:
        total = ngettext("%(counter)s hồ sơ.", "%(counter)s hồ sơ.", count) % counter
    # Every text translated outside the f-strings below: makemessages does not read calls inside them.
    pages, previous, following = escape(_("Trang")), escape(_("Trang trước")), escape(_("Trang sau"))
    current = escape(_("Trang %(number)s.") % {"number": localize(number)})
    query = f"q={escape(quote(search, safe='/'))}&amp;" if search else ""
    chosen = urlencode(_queue_filters_query(filters))
    query += f"{escape(chosen)}&amp;" if chosen else ""
    before = f'<li><a href="?{query}trang={number - 1}" rel="prev">{previous}</a></li>' if number > 1 else ""
    after = f'<li><a href="?{query}trang={number + 1}" rel="next">{following}</a></li>' if has_next else ""
    return (f'<nav class="queue-pages" aria-label="{pages}">\n  <p>{escape(total)}\n    {current}</p>\n'
            f'  <ul>\n    {before}\n    {after}\n  </ul>\n</nav>')


# One line of the queue's table. Written here, not in a template: the desk's most visited page shows 25
# of them, and the template engine's per-cell work (lookup, escaping, localisation) cost more than the
# rest of the page together. Every value goes through html.escape.
# Each cell names its column (data-label): on a phone the table is drawn as one card per dossier (egov.css .stack-table).
_QUEUE_ROW = ('<tr class="row-{status}"><td data-label="{h[code]}"><a href="{url}">{code}</a></td>'
              '<td data-label="{h[procedure]}">{procedure}</td><td data-label="{h[applicant]}">{applicant}</td>'
              '<td data-label="{h[state]}">{state}</td><td data-label="{h[due]}">{due}</td>'
              '<td data-label="{h[progress]}"><span class="due due-{status}">{due_label}</span></td></tr>')
_PROCEDURE_WORDS = 14  # a procedure's name is cut after this many words (the full name is on the dossier page)


def _queue_rows_html(dossiers: tuple) -> str:
    """The queue's table rows, in the active language, every value escaped."""
    from html import escape
    from urllib.parse import quote

    from one_stop.constants import DossierState

    if not dossiers:
        nothing = escape(_("Không có hồ sơ nào cần xử lý."))
        return mark_safe(f'<tr><td colspan="6">{nothing}</td></tr>')  # noqa: S308
    states, due, link, headers = _queue_row_labels(translation.get_language(), reverse("one_stop_staff:dossier",
                                                                                         kwargs={"code": _CODE_MARKER}))
    before_code, after_code = link.split(_CODE_MARKER)
    zone = timezone.get_current_timezone()  # once: localtime() would look it up again for every row
    row = _QUEUE_ROW.format
    rows = []
    for d in dossiers:
        # A status of our own (dossier_due_status's or this one), never typed: used as is in the class names.
        status = "not_received" if d.due_at is None and d.state == DossierState.SUBMITTED else d.due_status
        rows.append(row(
            # quote() leaves nothing HTML would read (letters, digits, "_.-~" and %XX): no escaping needed.
            h=headers, status=status, url=f"{before_code}{quote(d.code, safe='')}{after_code}", code=escape(d.code),
            procedure=_procedure_cell(d.procedure_name or ""), applicant=escape(d.applicant_name or ""),
            state=states.get(d.state) or escape(d.state), due_label=due[status],
            due=d.due_at.astimezone(zone).strftime("%H:%M %d/%m/%Y") if d.due_at else "—"))
    return mark_safe("\n".join(rows))  # noqa: S308  (every value above is escaped)


@functools.lru_cache(maxsize=2048)
def _procedure_cell(name: str) -> str:
    """A procedure's name as the queue's cell shows it, cut after _PROCEDURE_WORDS words and escaped: once per
    procedure (a province has a few thousand), not once per row."""
    from html import escape

    words = name.split()
    return escape(" ".join(words[:_PROCEDURE_WORDS]) + ("…" if len(words) > _PROCEDURE_WORDS else ""))


_CODE_MARKER = "--code--"  # in the dossier page's address, where each row's code goes


@functools.lru_cache(maxsize=16)
def _queue_row_labels(language: str, link: str) -> tuple[dict, dict, str, dict]:
    """The states' and due statuses' labels in `language`, the dossier page's address and the columns' headers,
    escaped: once per language and address, not once per row (get_FOO_display rebuilds its choices at each call)."""
    from html import escape

    from one_stop.constants import DossierState

    states = {value: escape(str(label)) for value, label in DossierState.choices}
    # "not_received": an online dossier the desk has not received has no time limit running yet, so it is
    # neither on time nor late.
    due = {"overdue": escape(_("Quá hạn")), "due_soon": escape(_("Sắp đến hạn")), "on_time": escape(_("Trong hạn")),
           "not_received": escape(_("Chưa tiếp nhận"))}
    headers = {"code": _("Mã hồ sơ"), "procedure": _("Thủ tục"), "applicant": _("Người nộp"), "state": _("Trạng thái"),
               "due": _("Hẹn trả"), "progress": _("Tiến độ")}
    return states, due, escape(link), {key: escape(label, quote=True) for key, label in headers.items()}


def _ticked(post) -> set[int]:
    """The checklist positions ticked in a form (ASCII numbers only: '²' is a digit to isdigit(), not to int())."""
    return {position for position in (parse_int(value, max_digits=3) for value in post.getlist("received"))
            if position is not None}


@login_required
def counter_receipt(request):
    """A clerk receives a dossier at the counter: procedure, applicant, then the checklist of the
    procedure's required documents with optional scans; then prints the receipt.

    Without JavaScript the first post that names a valid procedure shows its checklist; with htmx the
    checklist appears as soon as the code is typed. The procedure search above the form works the same way: without
    JavaScript a search (`?tim=`) shows this page with the matches, and a match picked (`?procedure=`) shows the form
    with its code and checklist; with JavaScript the matches come as the clerk types and a pick fills the code in
    place (static/js/counter.js), keeping what was typed.
    """
    from django.db import transaction

    from egov.accounts.roles import Role
    from egov.core.errors import ApplicationError
    from one_stop.forms import CounterReceiptForm, RegisterDayForm
    from one_stop.models import Procedure
    from one_stop.selectors import (
        COUNTER_SEARCH_LIMIT,
        procedure_version_current,
        procedures_counter_search,
        required_documents_with_templates,
    )
    from one_stop.services.dossiers import ApplicantData, dossier_receive_at_counter

    if not request.user.has_role(Role.ONE_STOP_CLERK):
        raise Http404
    picked = request.GET.get("procedure", "").strip()[:40] if request.method == "GET" else ""
    form = CounterReceiptForm(request.POST or None, clerk=request.user, initial={"procedure": picked} if picked else None)
    valid = request.method == "POST" and form.is_valid()
    documents, ticked, procedure, version = [], None, None, None
    search = request.GET.get("tim", "").strip()[:200] if request.method == "GET" else ""
    page = {"form": form, "search": search, "matches": procedures_counter_search(query=search),
            "limit": COUNTER_SEARCH_LIMIT,
            "register_form": RegisterDayForm(initial={"ngay": timezone.localdate()})}
    if picked:
        procedure = Procedure.objects.filter(code=picked, is_active=True).first()
        version = procedure_version_current(procedure=procedure) if procedure else None
        documents = required_documents_with_templates(procedure=procedure, version=version)
    if request.method == "POST":
        # The checklist comes back with every answer, errors included: rebuilt from the posted procedure (valid even
        # when another field is not), with the ticks as the clerk left them — a re-ticked box would put a paper
        # never handed in on the receipt. At first display no box is ticked (ticked is None): the clerk ticks each paper
        # in hand — ticked in advance, optional papers ("nếu có") and the alternatives of a form (paper or electronic)
        # were all printed on the receipt as received (found by exploratory testing).
        procedure = form.cleaned_data.get("procedure")
        version = procedure_version_current(procedure=procedure) if procedure else None
        documents = required_documents_with_templates(procedure=procedure, version=version)
        if "checklist_shown" in request.POST:
            ticked = _ticked(request.POST)
    if valid:
        data = form.cleaned_data
        if "checklist_shown" not in request.POST and documents:
            return render(request, "one_stop/counter.html", {**page, "documents": documents, "version": version,
                                                             "ask_checklist": True, "procedure": procedure})
        checklist = [{"name": d.get("name", ""), "copies": d.get("copies", ""), "received": i in (ticked or set())}
                     for i, d in enumerate(documents)]
        scans = []
        for key, uploads in request.FILES.lists():
            index = key.removeprefix("scan-")
            position = parse_int(index, max_digits=3)
            name = documents[position].get("name", "") if position is not None and position < len(documents) else ""
            scans += [(name, upload) for upload in uploads]
        try:
            with transaction.atomic():
                dossier = dossier_receive_at_counter(
                    clerk=request.user, procedure=data["procedure"], checklist=checklist,
                    fee_exempt_reason=data["fee_exempt_reason"], scans=scans, processing_days=data["processing_days"],
                    channel=data["channel"], handling_agency=data["handling_agency"],
                    submission_key=data["submission_key"],
                    applicant=ApplicantData(full_name=data["full_name"], id_number=data["id_number"],
                                            phone=data["phone"], email=data["email"], address=data["address"],
                                            kind=data["applicant_kind"]))
        except ApplicationError as exc:
            # The service names its fields as the form does (the applicant's kind excepted).
            named = {"kind": "applicant_kind"}
            field = next((named.get(name, name) for name in exc.fields if named.get(name, name) in form.fields), None)
            form.add_error(field, exc.message)
        else:
            from one_stop.services.receipts import dossier_receipt_prepare

            if getattr(dossier, "repeated_submission", False):  # a second click: the first one's dossier
                messages.info(request, _("Hồ sơ %(code)s đã được tiếp nhận ở lần bấm trước; không tạo hồ sơ mới.")
                              % {"code": dossier.code})
                return redirect("one_stop_staff:dossier", code=dossier.code)
            # Laid out now, after the commit: the clerk's next click prints a stored file.
            dossier_receipt_prepare(dossier=dossier, base_url=request.build_absolute_uri("/"))
            messages.success(request, _("Đã tiếp nhận hồ sơ %(code)s.") % {"code": dossier.code})
            return redirect("one_stop_staff:dossier", code=dossier.code)
    return render(request, "one_stop/counter.html", {**page, "documents": documents, "ticked": ticked,
                                                     "procedure": procedure, "version": version,
                                                     "ask_checklist": bool(documents),
                                                     # A browser never sends a file input back filled in.
                                                     "scans_lost": bool(form.errors and request.FILES)},
                  status=400 if form.errors else 200)


@login_required
def counter_procedures(request):
    """The matches of the counter's procedure search (htmx, as the clerk types): the list the page shows after a
    search without JavaScript."""
    from egov.accounts.roles import Role
    from one_stop.selectors import COUNTER_SEARCH_LIMIT, procedures_counter_search

    if not request.user.has_role(Role.ONE_STOP_CLERK):
        raise Http404
    search = request.GET.get("tim", "").strip()[:200]
    return render(request, "one_stop/_procedure_matches.html", {
        "search": search, "matches": procedures_counter_search(query=search), "limit": COUNTER_SEARCH_LIMIT,
        "announce": True})


@login_required
def counter_checklist(request):
    """The checklist fragment for a procedure code (htmx, while the clerk fills the counter form)."""
    from egov.accounts.roles import Role
    from one_stop.models import Procedure
    from one_stop.selectors import procedure_version_current, required_documents_with_templates

    if not request.user.has_role(Role.ONE_STOP_CLERK):
        raise Http404
    procedure = Procedure.objects.filter(code=request.GET.get("procedure", "").strip(), is_active=True).first()
    version = procedure_version_current(procedure=procedure) if procedure else None
    documents = required_documents_with_templates(procedure=procedure, version=version) if procedure else []
    return render(request, "one_stop/_checklist.html", {"documents": documents, "version": version,
                                                        "procedure": procedure, "announce": True})


@login_required
def dossier_detail(request, code: str):
    return _dossier_page(request, _staff_dossier(request, code))


@dataclass(frozen=True)
class _Refused:
    """A form of the dossier page that the rules refused: the page is drawn again with the message and what was typed
    (a state changed meanwhile in another tab, a colleague acted first): nothing typed is lost."""

    action: str  # an action of dossier_act, "step_complete", "forward" or "postpone"
    message: str
    note: str = ""
    processing_days: str = ""  # as typed
    received: frozenset | None = None  # the checklist's ticks (receive)


def _refused_page(request, code: str, refused: _Refused, *, status: int, **forms):
    """The dossier page again, answering `status` (409: not in this state; 403: not this user's; 400: what was typed),
    read afresh: the refusal changed nothing, and the page shows the dossier as it is now."""
    return _dossier_page(request, _staff_dossier(request, code), status=status, refused=refused, **forms)


def _dossier_page(request, dossier, *, status: int = 200, refused: _Refused | None = None, forward_form=None,
                  postpone_form=None):
    from one_stop.events import event_label
    from one_stop.form_answers import form_answers, upload_labels
    from one_stop.forms import DocumentUploadForm, DossierActionForm, ForwardForm, PostponeForm
    from one_stop.ledger import due_ledger
    from one_stop.selectors import dossier_payment_status
    from one_stop.services.documents import dossier_checklist_from_version, dossier_requirements_supplied
    from one_stop.services.dossiers import dossier_actions_for
    from one_stop.services.process import step_closed_by_transition

    events = list(dossier.events.select_related("actor", "agency"))
    for event in events:
        event.label = event_label(event.action)
    form = dossier.procedure_version.form or {}
    documents = list(dossier.documents.all())
    slot_labels = upload_labels(form)
    for document in documents:  # an online upload records its slot's name; the desk reads the slot's label
        document.requirement_label = slot_labels.get(document.requirement, document.requirement)
    steps = list(dossier.steps.select_related("agency", "completed_by"))
    current = next((step for step in steps if step.completed_at is None), None)
    following = next((step for step in steps if current and step.order > current.order), None)
    user = request.user
    # The last step before the desk returns the result is completed by approving the result itself.
    actions = dossier_actions_for(dossier=dossier, user=user)
    # Receiving an online dossier: the desk ticks what is complete, starting from what the applicant uploaded.
    receive_checklist = dossier_checklist_from_version(
        dossier, received=dossier_requirements_supplied(dossier, documents)) if any(
        action == "receive" for action, _label in actions) else []
    may_complete_step = (current is not None and dossier.state in ("received", "in_progress")
                         and current.agency_id == user.agency_id and current.role in user.role_names()
                         and not step_closed_by_transition(dossier, following))
    may_postpone = (dossier.state in ("received", "in_progress") and dossier.postponed_at is None
                    and user.agency_id == dossier.handling_agency_id
                    and bool(user.role_names() & {"specialist", "head_of_division", "leader"}))
    at_risk = False
    if may_postpone:
        from one_stop.selectors import dossier_is_at_risk, dossier_postpone_draft, due_horizons

        # The system drafts form 04 (a new date and a reason) for the handler to correct and send.
        horizons = due_horizons(user=user)
        at_risk = dossier_is_at_risk(dossier=dossier, steps=steps, horizons=horizons)
        if postpone_form is None:  # else the handler's own, refused: kept as typed
            draft = dossier_postpone_draft(dossier=dossier, steps=steps, horizons=horizons)
            postpone_form = PostponeForm(initial={"new_due_at": draft.new_due_at, "reason": draft.reason} if draft else None)
    else:
        postpone_form = None
    forwardable = dossier.state in ("received", "in_progress")
    # What was typed in a refused form whose form the page no longer offers (the state moved on): shown apart, read-only.
    if refused is not None:
        offered = {"step_complete": may_complete_step, "forward": forwardable, "postpone": postpone_form is not None}
        kept_apart = not offered.get(refused.action, any(action == refused.action for action, _label in actions))
    return render(request, "one_stop/dossier.html", {
        "dossier": dossier, "events": events, "actions": actions, "receive_checklist": receive_checklist,
        "answers": form_answers(form, dossier.form_data) if dossier.form_data else [],
        "form": DossierActionForm(), "upload_form": DocumentUploadForm(), "documents": documents,
        "steps": steps, "current_step": current, "may_complete_step": may_complete_step,
        "ledger": due_ledger(dossier=dossier, events=events), "now": timezone.now(),
        # Before receipt the dossier has no fee yet: the one its channel will pay, as the catalogue states it.
        "channel_fee": _channel_fee(dossier),
        # Paid online or not, as the payment app registered to tell (one query; None without one).
        "payment_status": dossier_payment_status(dossier=dossier),
        # Receiving an online dossier whose procedure's catalogue entry states no time limit: the desk gives one.
        "time_limit_missing": dossier.procedure_version.processing_days is None and dossier.processing_days is None,
        "forward_form": (forward_form or ForwardForm()) if forwardable else None,
        "postpone_form": postpone_form, "at_risk": at_risk,
        "refused": refused, "refused_kept_apart": refused is not None and kept_apart and bool(refused.note.strip()),
        "may_upload_result": dossier.state in ("in_progress", "resolved") and user.agency_id == dossier.handling_agency_id
        and bool(user.role_names() & {"specialist", "head_of_division", "leader"}),
        "may_upload_scan": dossier.state in ("submitted", "received", "in_progress") and "one_stop_clerk" in user.role_names()
        and user.agency_id in (dossier.receiving_agency_id, dossier.handling_agency_id),
        **_result_signing_context(dossier, user, documents),
    }, status=status)


def _channel_fee(dossier) -> int | None:
    """The fee the catalogue states for the dossier's channel (online is often cheaper), while the dossier has none of
    its own (before receipt); None when the catalogue gives no amount."""
    from one_stop.services.dossiers import version_fee_for

    return version_fee_for(dossier.procedure_version, dossier.channel) if dossier.fee_vnd is None else None


def _result_signing_context(dossier, user, documents) -> dict:
    """What the "Trình ký kết quả" form offers: the unsigned result PDFs and the agency's leaders who can sign; and
    the "Chuyển lãnh đạo khác ký" form, when the leader asked can no longer sign."""
    from one_stop.services.results import (
        RESULT_ROLES,
        SIGNER_CHANGE_ROLES,
        dossier_requires_signed_result,
        result_requests_waiting,
        result_signer_change_offered,
        result_signers_for,
    )

    context = {"requires_signed_result": dossier_requires_signed_result(dossier)}
    if dossier.state == "in_progress" and user.agency_id == dossier.handling_agency_id \
            and user.role_names() & {str(r) for r in SIGNER_CHANGE_ROLES}:
        context["result_signer_change"] = result_signer_change_offered(
            dossier=dossier, user=user, requests=result_requests_waiting(documents=documents))
    if dossier.state != "in_progress" or user.agency_id != dossier.handling_agency_id \
            or not user.role_names() & {str(r) for r in RESULT_ROLES}:
        return context
    unsigned = [d for d in documents if d.kind == "result" and not d.signed and not d.verification_token
                and d.content_type == "application/pdf"]
    if unsigned:
        context.update(result_sign_documents=unsigned, result_signers=result_signers_for(dossier=dossier))
    return context


@login_required
@require_POST
def dossier_result_sign(request, code: str):
    """Send a result PDF to a leader of the handling agency for signature, with its verification QR code."""
    from egov.accounts.models import User
    from egov.core.errors import ApplicationError
    from one_stop.services.results import dossier_result_sign_request

    dossier = _staff_dossier(request, code)
    document = dossier.documents.filter(pk=_int_or_none(request.POST.get("document"))).first()
    signer = User.objects.filter(pk=_int_or_none(request.POST.get("signer"))).first()
    if document is None or signer is None:
        messages.error(request, _("Chọn tệp kết quả và người ký."))
        return redirect("one_stop_staff:dossier", code=code)
    try:
        dossier_result_sign_request(dossier=dossier, user=request.user, document=document, signer=signer,
                                    base_url=request.build_absolute_uri("/"))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã trình %(name)s ký số kết quả.") % {"name": signer.full_name})
    return redirect("one_stop_staff:dossier", code=code)


@login_required
@require_POST
def dossier_result_signer_change_view(request, code: str):
    """"Chuyển lãnh đạo khác ký": the leader asked to sign the result can no longer sign it; the request is withdrawn
    and the result may be sent to another leader."""
    from egov.core.errors import ApplicationError
    from one_stop.services.results import dossier_result_signer_change

    dossier = _staff_dossier(request, code)
    try:
        dossier_result_signer_change(dossier=dossier, user=request.user, reason=request.POST.get("reason", ""))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã rút yêu cầu ký. Hãy trình lãnh đạo khác ký số kết quả."))
    return redirect("one_stop_staff:dossier", code=code)


def _int_or_none(value):
    return parse_int(value, max_digits=11)


# Tokens are 32 letters and digits (one_stop.services.results); older ones may hold "-" and "_".
RESULT_KEY_SHAPE = r"^[A-Za-z0-9_-]{32}$"


def result_verify(request, token: str):
    """The public verification page a signed result's QR code leads to.

    Shows whether the signature is valid, who signed, when, for which agency, procedure and dossier
    code — never the applicant's data (the result itself may carry it) — and checks an uploaded copy
    against the stored signed result.
    """
    import hashlib
    import re

    from django.core.exceptions import ValidationError

    from egov.core.uploads import PDF, validate_upload
    from one_stop.selectors import signed_result_by_token
    from signatures.api.views import signature_verify_page_allowed
    from signatures.verification import pdf_verify, signed_copy_verify

    if request.method not in ("GET", "POST"):
        return HttpResponse(status=405)
    result = signed_result_by_token(token=token) if re.match(RESULT_KEY_SHAPE, token) else None
    if result is None:
        raise Http404
    report = signed_copy_verify(sha256=result.sha256)
    if report is None:  # signed elsewhere than the signatures app's requests: verify the stored file
        with result.file.open("rb") as handle:
            report = pdf_verify(handle.read())
    copy, copy_error, status = None, "", 200
    if request.method == "POST" and not signature_verify_page_allowed(request):
        # Checking a copy costs what /xac-thuc-chu-ky/ does (~0.5 s, revocation look-ups): the same per-address
        # budget, shared with that page. The stored result's report above is the GET's, which is not limited.
        copy_error, status = _("Gửi quá nhiều lần: vui lòng thử lại sau ít phút."), 429
    elif request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise ValidationError(_("Chọn tệp PDF cần đối chiếu."))
            validate_upload(upload, allowed=(PDF,), check_pdf=False)  # a damaged PDF: the "unreadable" verdict
        except ValidationError as exc:
            copy_error, status = exc.messages[0], 400
        else:
            upload.seek(0)
            data = upload.read()
            copy = pdf_verify(data)
            copy.matches_stored = hashlib.sha256(data).hexdigest() == result.sha256
            copy.genuine = copy.is_valid and copy.matches_stored
    signatures = [s for s in report.signatures if not s.is_timestamp]
    return render(request, "one_stop/result_verify.html", {
        "result": result, "dossier": result.dossier, "report": report, "signatures": signatures,
        "copy": copy, "copy_error": copy_error,
    }, status=status)


@login_required
@require_POST
def dossier_forward_view(request, code: str):
    """Hand the dossier to another agency, with a note (một cửa liên thông)."""
    from egov.core.errors import ApplicationError
    from one_stop.forms import ForwardForm
    from one_stop.selectors import dossiers_visible_to
    from one_stop.services.dossiers import dossier_forward

    dossier = _staff_dossier(request, code)
    form = ForwardForm(request.POST)
    if not form.is_valid():
        return _refused_page(request, code, _Refused("forward", _("Chọn cơ quan nhận hồ sơ.")), status=400,
                             forward_form=form)
    try:
        dossier_forward(dossier=dossier, user=request.user, to_agency=form.cleaned_data["agency"],
                        note=form.cleaned_data["note"])
    except ApplicationError as exc:
        return _refused_page(request, code, _Refused("forward", exc.message, note=form.cleaned_data["note"]),
                             status=exc.status, forward_form=form)
    messages.success(request, _("Đã chuyển hồ sơ đến %(agency)s.") % {"agency": form.cleaned_data["agency"].name})
    # Whoever handed it away may no longer see it (a specialist of the old handling agency).
    if dossiers_visible_to(user=request.user).filter(code=code).exists():
        return redirect("one_stop_staff:dossier", code=code)
    return redirect("one_stop_staff:queue")


@login_required
@require_POST
def dossier_postpone_view(request, code: str):
    """The apology with a new return date (form 04), once, at least a working day before the due date."""
    from egov.core.errors import ApplicationError
    from one_stop.forms import PostponeForm
    from one_stop.services.dossiers import dossier_postpone

    dossier = _staff_dossier(request, code)
    form = PostponeForm(request.POST)
    if not form.is_valid():
        # Each message with the field it is about: "Trường này là bắt buộc." twice said nothing.
        message = " ".join(f"{form.fields[name].label}: {error}" if name in form.fields else str(error)
                           for name, errors in form.errors.items() for error in errors)
        return _refused_page(request, code, _Refused("postpone", message, note=request.POST.get("reason", "")),
                             status=400, postpone_form=form)
    try:
        dossier_postpone(dossier=dossier, user=request.user, new_due_at=form.cleaned_data["new_due_at"],
                         reason=form.cleaned_data["reason"])
    except ApplicationError as exc:
        for name, errors in exc.fields.items():  # shown at the field too (the new date: a working day, within a year)
            if name in form.fields:
                form.add_error(name, errors)
        return _refused_page(request, code, _Refused("postpone", exc.message, note=form.cleaned_data["reason"]),
                             status=exc.status, postpone_form=form)
    messages.success(request, _("Đã hẹn lại ngày trả kết quả; người nộp được báo tin."))
    return redirect("one_stop_staff:dossier", code=code)


@login_required
@require_POST
def dossier_step_done(request, code: str):
    from egov.core.errors import ApplicationError
    from one_stop.services.process import dossier_step_complete

    dossier = _staff_dossier(request, code)
    note = request.POST.get("note", "")
    try:
        step = dossier_step_complete(dossier=dossier, user=request.user, note=note)
    except ApplicationError as exc:
        return _refused_page(request, code, _Refused("step_complete", exc.message, note=note), status=exc.status)
    messages.success(request, _("Đã hoàn thành bước “%(step)s”.") % {"step": step.display_name})
    return redirect("one_stop_staff:dossier", code=code)


@login_required
@require_POST
def dossier_upload(request, code: str, kind: str):
    from egov.core.errors import ApplicationError
    from one_stop.forms import DocumentUploadForm
    from one_stop.services.documents import dossier_document_add

    dossier = _staff_dossier(request, code)
    form = DocumentUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Chọn một tệp để tải lên."))
        return redirect("one_stop_staff:dossier", code=code)
    try:
        dossier_document_add(dossier=dossier, user=request.user, file=form.cleaned_data["file"], kind=kind,
                             requirement=form.cleaned_data["requirement"])
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã tải tệp lên hồ sơ."))
    return redirect("one_stop_staff:dossier", code=code)


@login_required
def dossier_document(request, code: str, document_id: int):
    """Download one file of a dossier (staff of its agencies).

    The owner downloads through the portal, which hands out a result only once it is approved; here they
    would get every file, drafts of the result included.
    """
    from django.http import FileResponse

    from one_stop.selectors import dossier_document_visible

    if not request.user.is_agency_staff:
        raise Http404
    document = dossier_document_visible(user=request.user, code=code, document_id=document_id)
    if document is None:
        raise Http404
    return FileResponse(document.file.open("rb"), content_type=document.content_type, as_attachment=True,
                        filename=document.original_name)


@login_required
def online_inbox(request):
    """The desk's inbox of online submissions and supplements sent back, to accept, ask for more or refuse."""
    from egov.accounts.roles import Role
    from one_stop.selectors import dossiers_online_inbox_for

    if not request.user.has_role(Role.ONE_STOP_CLERK):
        raise Http404
    dossiers = list(dossiers_online_inbox_for(user=request.user)[:200])
    return render(request, "one_stop/inbox.html", {"dossiers": dossiers})


@login_required
@require_POST
def dossier_action(request, code: str, action: str):
    from egov.core.errors import ApplicationError
    from one_stop.forms import DossierActionForm
    from one_stop.services.dossiers import dossier_act

    dossier = _staff_dossier(request, code)  # a citizen withdraws through the portal
    form = DossierActionForm(request.POST)
    form.is_valid()
    received = None
    if action == "receive" and "checklist_shown" in request.POST:  # the clerk ticked what is complete
        received = _ticked(request.POST)
    # A number the form refuses (400 days) goes to the service as typed, which names what is wrong with it.
    processing_days = (request.POST.get("processing_days") if "processing_days" in form.errors
                       else form.cleaned_data.get("processing_days"))
    try:
        dossier_act(dossier=dossier, user=request.user, action=action, note=form.cleaned_data.get("note", ""),
                    processing_days=processing_days, received=received)
    except ApplicationError as exc:
        # As the API answers (409 when the dossier is no longer in a state for it, 403 not this user's), with the page
        # as it is now and what was typed.
        return _refused_page(request, code, _Refused(
            action, exc.message, note=request.POST.get("note", ""), processing_days=request.POST.get("processing_days", ""),
            received=frozenset(received) if received is not None else None), status=exc.status)
    if action == "receive":
        from one_stop.services.receipts import dossier_receipt_prepare

        # An online dossier accepted at the desk: its form 01 is ready before the print click.
        dossier_receipt_prepare(dossier=dossier, base_url=request.build_absolute_uri("/"))
    messages.success(request, _("Đã cập nhật hồ sơ."))
    return redirect("one_stop_staff:dossier", code=code)


@login_required
def apology(request, code: str):
    """Form 04 of a dossier that was given a new return date."""
    from one_stop.pdf.apology import apology_pdf

    dossier = _staff_dossier(request, code, postponed_at__isnull=False)
    response = HttpResponse(apology_pdf(dossier=dossier), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="phieu-xin-loi-{dossier.code}.pdf"'
    return response


@login_required
def notice(request, code: str):
    """Form 02 or 03, whichever the dossier's state calls for."""
    from one_stop.pdf.notices import FORMS, notice_pdf

    dossier = _staff_dossier(request, code, state__in=list(FORMS))
    response = HttpResponse(notice_pdf(dossier=dossier), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="phieu-{dossier.state}-{dossier.code}.pdf"'
    return response


@login_required
def control_slip(request, code: str):
    from one_stop.pdf.control import control_slip_pdf

    dossier = _staff_dossier(request, code)
    response = HttpResponse(control_slip_pdf(dossier=dossier), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="phieu-kiem-soat-{dossier.code}.pdf"'
    return response


@login_required
def desk_register_choose(request):
    """Form 06 for a day the clerk picks (the counter page's date field): the PDF's address, or this page again with
    what is wrong with the date."""
    from egov.accounts.roles import Role
    from one_stop.forms import RegisterDayForm

    if not request.user.has_role(Role.ONE_STOP_CLERK) or request.user.agency is None:
        raise Http404
    form = RegisterDayForm(request.GET if "ngay" in request.GET else None,
                           initial={"ngay": timezone.localdate()})
    if form.is_valid():
        return redirect("one_stop_staff:register", day=f"{form.cleaned_data['ngay']:%Y-%m-%d}")
    return render(request, "one_stop/register.html", {"register_form": form}, status=400 if form.errors else 200)


@login_required
def desk_register(request, day: str):
    from datetime import date

    from egov.accounts.roles import Role
    from one_stop.forms import register_day_in_range
    from one_stop.pdf.control import desk_register_pdf

    if not request.user.has_role(Role.ONE_STOP_CLERK) or request.user.agency is None:
        raise Http404
    try:
        on = date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    if not register_day_in_range(on):
        raise Http404
    response = HttpResponse(desk_register_pdf(agency=request.user.agency, day=on), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="so-theo-doi-{on:%Y-%m-%d}.pdf"'
    return response
