"""A citizen's copy of their personal data (Law on Personal Data Protection 91/2025/QH15: the right to access and
obtain a copy).

Here rather than in egov.accounts: the copy holds dossiers (one_stop) and payments (public_services), which the
kernel may not import. One query per kind of data, whatever the number of dossiers; files are named, not included.
"""

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from egov.accounts.models import User
from egov.accounts.privacy import privacy_consent_state
from egov.audit.services import legal_event_record

EXPORT_FORMAT = "egov-personal-data/1"


def _account(user: User) -> dict:
    return {
        "username": user.username, "full_name": user.full_name, "national_id": user.national_id, "phone": user.phone,
        "email": user.email, "address": user.address, "birth_date": user.birth_date, "gender": user.gender,
        "date_joined": user.date_joined, "last_login": user.last_login, "verified_at": user.verified_at,
        "language": user.language,
    }


def _dossiers(user: User) -> list[dict]:
    from one_stop.constants import DocumentKind
    from one_stop.models import Dossier, DossierDocument

    # The files the citizen (or the desk, for them) handed in; results are documents of the agency.
    handed_in = DossierDocument.objects.exclude(kind=DocumentKind.RESULT).only(
        "id", "dossier_id", "kind", "requirement", "original_name", "content_type", "size", "uploaded_at").order_by("id")
    dossiers = (Dossier.objects.filter(citizen=user)
                .select_related("procedure", "receiving_agency", "handling_agency")
                .only("id", "code", "state", "channel", "applicant_kind", "applicant_name", "applicant_id_number",
                      "applicant_phone", "applicant_email", "applicant_address", "form_data", "created_at", "submitted_at",
                      "received_at", "due_at", "resolved_at", "returned_at", "fee_vnd",
                      "procedure__code", "procedure__name", "receiving_agency__name", "handling_agency__name")
                .prefetch_related(Prefetch("documents", queryset=handed_in))
                .order_by("created_at", "id"))
    return [{
        "code": d.code,
        "procedure": {"code": d.procedure.code, "name": d.procedure.name},
        "state": d.state, "state_label": d.get_state_display(), "channel": d.channel,
        "receiving_agency": d.receiving_agency.name if d.receiving_agency else None,
        "handling_agency": d.handling_agency.name if d.handling_agency else None,
        "created_at": d.created_at, "submitted_at": d.submitted_at, "received_at": d.received_at, "due_at": d.due_at,
        "resolved_at": d.resolved_at, "returned_at": d.returned_at, "fee_vnd": d.fee_vnd,
        "applicant": {"kind": d.applicant_kind, "name": d.applicant_name, "id_number": d.applicant_id_number,
                      "phone": d.applicant_phone, "email": d.applicant_email, "address": d.applicant_address},
        "form_data": d.form_data,
        "files": [{"name": f.original_name, "kind": f.kind, "requirement": f.requirement, "content_type": f.content_type,
                   "size": f.size, "uploaded_at": f.uploaded_at} for f in d.documents.all()],
    } for d in dossiers]


def _payments(user: User) -> list[dict]:
    from public_services.payments.models import Payment

    payments = (Payment.objects.filter(payer=user).select_related("dossier")
                .only("dossier__code", "amount_vnd", "currency", "provider", "txn_ref", "state", "bank_code", "created_at",
                      "paid_at", "receipt_number", "receipt_issued_at")
                .order_by("created_at", "id"))
    return [{"dossier": p.dossier.code, "amount": p.amount_vnd, "currency": p.currency, "provider": p.provider,
             "transaction": p.txn_ref, "state": p.state, "bank": p.bank_code, "created_at": p.created_at, "paid_at": p.paid_at,
             "receipt_number": p.receipt_number, "receipt_issued_at": p.receipt_issued_at} for p in payments]


def _notifications(user: User) -> list[dict]:
    from egov.notifications.models import Notification

    notifications = (Notification.objects.filter(recipient=user)
                     .only("channel", "address", "subject", "body", "status", "created_at", "sent_at", "read_at")
                     .order_by("created_at", "id"))
    return [{"channel": n.channel, "address": n.address, "subject": n.subject, "body": n.body, "status": n.status,
             "created_at": n.created_at, "sent_at": n.sent_at, "read_at": n.read_at} for n in notifications]


def _account_events(user: User) -> list[dict]:
    # Sign-ups, verifications, VNeID sign-ins, password and contact changes, consents, earlier copies.
    from egov.audit.models import LegalEvent

    events = (LegalEvent.objects.filter(object_type=User._meta.label_lower, object_id=str(user.pk))
              .only("action", "occurred_at", "ip").order_by("sequence"))
    return [{"action": e.action, "at": e.occurred_at, "ip": e.ip} for e in events]


def _data_requests(user: User) -> list[dict]:
    from egov.accounts.models import PersonalDataRequest

    requests = (PersonalDataRequest.objects.filter(user=user)
                .only("id", "kind", "details", "state", "received_at", "respond_due_at", "due_at", "extended_at",
                      "extension_reason", "answer", "closed_at")
                .order_by("received_at", "id"))
    return [{"code": r.code, "kind": r.kind, "details": r.details, "state": r.state, "received_at": r.received_at,
             "respond_due_at": r.respond_due_at, "due_at": r.due_at, "extended_at": r.extended_at,
             "extension_reason": r.extension_reason or None, "answer": r.answer or None, "closed_at": r.closed_at}
            for r in requests]


@transaction.atomic
def personal_data_export(*, user: User, ip: str | None = None) -> dict:
    """Everything the portal holds about this citizen, as data for a JSON file; the copy is itself a legal event."""
    data = {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now(),
        "account": _account(user),
        "privacy_consent": privacy_consent_state(user),
        "personal_data_requests": _data_requests(user),
        "dossiers": _dossiers(user),
        "payments": _payments(user),
        "notifications": _notifications(user),
        "account_events": _account_events(user),
    }
    legal_event_record(action="account.personal_data_export", obj=user, actor=user, ip=ip,
                       data={"dossiers": len(data["dossiers"]), "payments": len(data["payments"]),
                             "notifications": len(data["notifications"])})
    return data
