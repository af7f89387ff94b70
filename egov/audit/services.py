"""The legal event log: append one event, verify the whole chain."""

import hashlib
import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from egov.audit.models import LegalEvent, LegalEventChainHead


def _digest(*, previous_hash: str, sequence: int, occurred_at, actor_id, action: str, object_type: str,
            object_id: str, data: dict, ip: str | None) -> str:
    canonical = json.dumps(
        {
            "previous_hash": previous_hash, "sequence": sequence, "occurred_at": occurred_at.isoformat(),
            "actor_id": actor_id, "action": action, "object_type": object_type, "object_id": object_id,
            "data": data, "ip": ip,
        },
        sort_keys=True, ensure_ascii=False, separators=(",", ":"), cls=DjangoJSONEncoder,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@transaction.atomic
def legal_event_record(*, action: str, obj: models.Model, actor=None, data: dict | None = None,
                       ip: str | None = None) -> LegalEvent:
    """Append an event (dossier received, document issued, signed…) to the chain.

    Call it inside the transaction of the change it records: both commit or neither does.
    """
    head, _created = LegalEventChainHead.objects.select_for_update().get_or_create(pk=1)
    # Round-trip through JSON so the hash is computed on exactly what the database stores.
    data = json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder))
    event = LegalEvent(
        sequence=head.sequence + 1,
        occurred_at=timezone.now().replace(microsecond=0),
        actor=actor if actor is not None and actor.pk else None,
        actor_label=str(actor) if actor is not None else "",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        data=data,
        ip=ip,
        previous_hash=head.hash,
    )
    event.hash = _event_digest(event)
    event.save()
    head.sequence, head.hash = event.sequence, event.hash
    head.save(update_fields=["sequence", "hash"])
    return event


def _event_digest(event: LegalEvent) -> str:
    return _digest(previous_hash=event.previous_hash, sequence=event.sequence, occurred_at=event.occurred_at,
                   actor_id=event.actor_id, action=event.action, object_type=event.object_type,
                   object_id=event.object_id, data=event.data, ip=event.ip)


@dataclass
class ChainBreak:
    sequence: int
    reason: str


def legal_event_chain_verify(*, batch_size: int = 5000) -> list[ChainBreak]:
    """Walk the chain in order; report every row whose hash, link or numbering is wrong."""
    breaks: list[ChainBreak] = []
    previous_hash, expected_sequence = "0" * 64, 1
    events = LegalEvent.objects.order_by("sequence").iterator(chunk_size=batch_size)
    for event in events:
        if event.sequence != expected_sequence:
            breaks.append(ChainBreak(expected_sequence, "missing"))
        if event.previous_hash != previous_hash:
            breaks.append(ChainBreak(event.sequence, "link"))
        if _event_digest(event) != event.hash:
            breaks.append(ChainBreak(event.sequence, "content"))
        previous_hash, expected_sequence = event.hash, event.sequence + 1
    head = LegalEventChainHead.objects.filter(pk=1).first()
    if head is not None and (head.sequence != expected_sequence - 1 or head.hash != previous_hash):
        breaks.append(ChainBreak(head.sequence, "truncated"))
    return breaks
