"""Exchange between agencies of the system (liên thông văn bản): sending, delivery states, recall."""

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from docs_office.constants import DeliveryChannel, DeliveryState, IncomingState
from docs_office.edxml import trace_hop_line
from docs_office.models import Delivery, IncomingDocument, IncomingEvent, OutgoingDocument
from docs_office.services.attachments import incoming_attachment_copy
from docs_office.services.registers import format_number
from egov.accounts.roles import Role
from egov.core.text import fold_vietnamese
from egov.notifications.services import recipient_language


def _notify_users(users, subject: str, text: str, *, link: str = "") -> None:
    from egov.notifications.models import Channel
    from egov.notifications.services import notification_send

    for user in users:
        notification_send(template="message", channel=Channel.IN_APP, recipient=user,
                          payload={"subject": subject, "text": text, "link": link})


def _records_clerks(agency_ids):
    from egov.accounts.models import User

    return User.objects.filter(agency_id__in=agency_ids, groups__name=Role.RECORDS_CLERK, is_active=True).distinct()


def exchange_send(*, document: OutgoingDocument, actor, recipients=None) -> list[Delivery]:
    """Each recipient agency of the system (`recipients`, else the document's own) gets an incoming document,
    waiting for its records clerk, with the signed PDF; the delivery is `received` at once (the system acknowledges
    arrival)."""
    if document.is_secret:
        return []  # never electronically (Decree 30; the secrets law): refused at drafting, kept here too
    now = timezone.now()
    with document.signed_file.open("rb") as handle:
        signed = handle.read()
    appendices = []
    for attachment in document.attachments.all():
        # The signed copy the clerk issued (an attachment without one was issued before appendices were signed).
        with (attachment.signed_file or attachment.file).open("rb") as handle:
            appendices.append((attachment.original_name, handle.read()))
    from docs_office.services.edxml import outgoing_envelope

    envelope = outgoing_envelope(document)  # what an edXML package of it would say, so both recipients agree
    deliveries = []
    # An answer to a letter that came by the exchange names, at its sender, the letter it answers.
    source = getattr(document.answers, "source_delivery", None) if document.answers_id else None
    if recipients is None:
        recipients = document.recipient_agencies.exclude(pk=document.agency_id)
    for recipient in recipients:
        delivery = Delivery.objects.create(document=document, recipient=recipient, state=DeliveryState.SENT,
                                           sent_at=now, updated_at=now)
        incoming = IncomingDocument(
            agency=recipient, received_at=now, number=format_number(document.number), symbol=document.symbol,
            issuer_agency=document.agency, issuer_name=document.agency.name,
            issuer_name_folded=fold_vietnamese(document.agency.name), issued_on=timezone.localtime(document.issued_at).date(),
            document_type=document.document_type, summary=document.summary, summary_folded=document.summary_folded,
            signer_name=envelope.signer_name, signer_position=envelope.signer_position,
            signer_competence=envelope.signer_competence, place=envelope.place, to_places=envelope.to_places,
            trace=[*envelope.trace, trace_hop_line(recipient.exchange_code, now)], page_count=document.page_count,
            urgency=document.urgency, confidentiality=document.confidentiality, source_delivery=delivery,
            acknowledged_at=now, deadline=document.reply_due_on,
            in_reply_to=source.document if source is not None and source.document.agency_id == recipient.pk else None,
        )
        incoming.file.save(f"{document.year}-{document.number:04d}.pdf", ContentFile(signed), save=False)
        incoming.save()
        for name, data in appendices:
            incoming_attachment_copy(document=incoming, name=name, data=data, at=now)
        with recipient_language():  # the receiving agency's record, whatever the sender's interface language
            note = _("Nhận liên thông từ %(a)s") % {"a": document.agency.name}
        IncomingEvent.objects.create(document=incoming, action="arrive", from_state="", to_state=incoming.state,
                                     actor=None, at=now, note=note)
        delivery.state = DeliveryState.RECEIVED
        delivery.save(update_fields=["state"])
        deliveries.append(delivery)
    if deliveries:
        with recipient_language():
            subject = _("Văn bản đến liên thông: %(s)s") % {"s": document.number_symbol}
        for delivery in deliveries:  # each agency's clerks to their own copy
            _notify_users(_records_clerks([delivery.recipient_id]), subject, document.summary,
                          link=reverse("docs_office:incoming_detail", args=[delivery.incoming.pk]))
    return deliveries


def exchange_notify_sender(*, delivery: Delivery, subject: str, text: str) -> None:
    document = delivery.document
    users = {document.drafter, *([document.issued_by] if document.issued_by else [])}
    _notify_users(users, subject, text, link=reverse("docs_office:outgoing_detail", args=[document.pk]))


def exchange_recall(*, document: OutgoingDocument, actor, reason: str) -> None:
    """Withdraw every recipient's copy that was not returned; the recipients and the sender are told."""
    from docs_office.services.incoming import incoming_withdraw

    now = timezone.now()
    recalled = []
    # Copies inside the system only: a recipient outside it reports its own withdrawal by a status message.
    for delivery in document.deliveries.select_related("incoming").filter(channel=DeliveryChannel.SYSTEM).exclude(
            state=DeliveryState.RETURNED):
        incoming = getattr(delivery, "incoming", None)
        if incoming is not None and incoming.state not in (IncomingState.RETURNED, IncomingState.WITHDRAWN):
            incoming_withdraw(document=incoming, reason=reason, actor=actor)
        delivery.state, delivery.reason, delivery.updated_at = DeliveryState.RECALLED, reason, now
        delivery.save(update_fields=["state", "reason", "updated_at"])
        recalled.append(delivery)
    with recipient_language():  # the recipients' message, whatever the recalling officer's language
        subject = _("Thu hồi văn bản %(s)s") % {"s": document.number_symbol}
        text = _("%(a)s thu hồi văn bản %(s)s. Lý do: %(r)s") % {"a": document.agency.name, "s": document.number_symbol,
                                                                "r": reason}
    for delivery in recalled:  # each agency's clerks to their own (withdrawn) copy
        copy = getattr(delivery, "incoming", None)
        _notify_users(_records_clerks([delivery.recipient_id]), subject, text,
                      link=reverse("docs_office:incoming_detail", args=[copy.pk]) if copy is not None else "")
    _notify_users({document.drafter, actor}, subject, text,
                  link=reverse("docs_office:outgoing_detail", args=[document.pk]))
