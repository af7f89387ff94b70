from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from one_stop.selectors import dossier_public_lookup


def lookup(request, code: str | None = None):
    """Public lookup by dossier code (typed, or from the receipt's QR code): state and dates only."""
    typed = request.GET.get("ma", "").strip()
    if typed and code is None:
        return redirect(reverse("one_stop:lookup_code", kwargs={"code": typed}))
    dossier = dossier_public_lookup(code=code) if code else None
    status = 404 if code and dossier is None else 200
    return render(request, "one_stop/lookup.html", {"code": code or "", "dossier": dossier}, status=status)


@login_required
def receipt(request, code: str):
    """Form 01 for staff who can see the dossier (print at the counter)."""
    from one_stop.pdf.receipt import receipt_pdf
    from one_stop.selectors import dossiers_visible_to

    dossier = dossiers_visible_to(user=request.user).select_related("received_by").filter(code=code).first()
    if dossier is None:
        raise Http404
    pdf = receipt_pdf(dossier=dossier, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="giay-tiep-nhan-{dossier.code}.pdf"'
    return response


@login_required
def queue(request):
    """The staff member's queue, coloured by deadline (overdue, due within two days, on time)."""
    from one_stop.constants import DossierState
    from one_stop.selectors import dossiers_queue_page

    if not request.user.is_agency_staff:
        raise Http404
    search = request.GET.get("q", "")
    try:
        number = int(request.GET.get("trang", "1"))
    except ValueError:
        number = 1
    page = dossiers_queue_page(user=request.user, search=search, page=number)
    # Labels translated once per page, not once per row (get_FOO_display rebuilds its choices each call).
    states = {value: str(label) for value, label in DossierState.choices}
    due = {"overdue": _("Quá hạn"), "due_soon": _("Sắp đến hạn"), "on_time": _("Trong hạn")}
    for dossier in page.dossiers:
        dossier.state_label, dossier.due_label = states.get(dossier.state, dossier.state), due[dossier.due_status]
    return render(request, "one_stop/queue.html", {"dossiers": page.dossiers, "page": page, "search": search})


@login_required
def counter_receipt(request):
    """A clerk receives a dossier at the counter, then prints the receipt."""
    from egov.accounts.roles import Role
    from egov.core.errors import ApplicationError
    from one_stop.forms import CounterReceiptForm
    from one_stop.services.dossiers import ApplicantData, dossier_receive_at_counter

    if not request.user.has_role(Role.ONE_STOP_CLERK):
        raise Http404
    form = CounterReceiptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            dossier = dossier_receive_at_counter(clerk=request.user, procedure=data["procedure"], applicant=ApplicantData(
                full_name=data["full_name"], id_number=data["id_number"], phone=data["phone"], email=data["email"],
                address=data["address"]))
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã tiếp nhận hồ sơ %(code)s.") % {"code": dossier.code})
            return redirect("one_stop_staff:dossier", code=dossier.code)
    return render(request, "one_stop/counter.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def dossier_detail(request, code: str):
    from one_stop.forms import DossierActionForm
    from one_stop.selectors import dossiers_visible_to
    from one_stop.services.dossiers import dossier_actions_for

    dossier = dossiers_visible_to(user=request.user).filter(code=code).first()
    if dossier is None or not request.user.is_agency_staff:
        raise Http404
    from one_stop.services.dossiers import ACTION_LABELS

    events = list(dossier.events.select_related("actor", "agency"))
    for event in events:
        event.label = ACTION_LABELS.get(event.action, _("nộp trực tuyến") if event.action == "submit" else event.action)
    return render(request, "one_stop/dossier.html", {
        "dossier": dossier, "events": events, "actions": dossier_actions_for(dossier=dossier, user=request.user),
        "form": DossierActionForm(),
    })


@login_required
@require_POST
def dossier_action(request, code: str, action: str):
    from egov.core.errors import ApplicationError
    from one_stop.forms import DossierActionForm
    from one_stop.selectors import dossiers_visible_to
    from one_stop.services.dossiers import dossier_act

    dossier = dossiers_visible_to(user=request.user).filter(code=code).first()
    if dossier is None:
        raise Http404
    form = DossierActionForm(request.POST)
    form.is_valid()
    try:
        dossier_act(dossier=dossier, user=request.user, action=action, note=form.cleaned_data.get("note", ""))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã cập nhật hồ sơ."))
    return redirect("one_stop_staff:dossier", code=code)


@login_required
def apology(request, code: str):
    """Form 04 of a dossier that was given a new return date."""
    from one_stop.pdf.apology import apology_pdf
    from one_stop.selectors import dossiers_visible_to

    dossier = dossiers_visible_to(user=request.user).filter(code=code, postponed_at__isnull=False).first()
    if dossier is None or not request.user.is_agency_staff:
        raise Http404
    response = HttpResponse(apology_pdf(dossier=dossier), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="phieu-xin-loi-{dossier.code}.pdf"'
    return response


@login_required
def notice(request, code: str):
    """Form 02 or 03, whichever the dossier's state calls for."""
    from one_stop.pdf.notices import FORMS, notice_pdf
    from one_stop.selectors import dossiers_visible_to

    dossier = dossiers_visible_to(user=request.user).filter(code=code, state__in=list(FORMS)).first()
    if dossier is None or not request.user.is_agency_staff:
        raise Http404
    response = HttpResponse(notice_pdf(dossier=dossier), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="phieu-{dossier.state}-{dossier.code}.pdf"'
    return response


@login_required
def control_slip(request, code: str):
    from one_stop.pdf.control import control_slip_pdf
    from one_stop.selectors import dossiers_visible_to

    dossier = dossiers_visible_to(user=request.user).filter(code=code).first()
    if dossier is None or not request.user.is_agency_staff:
        raise Http404
    response = HttpResponse(control_slip_pdf(dossier=dossier), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="phieu-kiem-soat-{dossier.code}.pdf"'
    return response


@login_required
def desk_register(request, day: str):
    from datetime import date

    from egov.accounts.roles import Role
    from one_stop.pdf.control import desk_register_pdf

    if not request.user.has_role(Role.ONE_STOP_CLERK) or request.user.agency is None:
        raise Http404
    try:
        on = date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    response = HttpResponse(desk_register_pdf(agency=request.user.agency, day=on), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="so-theo-doi-{on:%Y-%m-%d}.pdf"'
    return response
