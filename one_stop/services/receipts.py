"""Form 01 rendered once and kept: a clerk's print click serves a stored file (within 300 ms), and the
form is laid out again only when what it shows has changed."""

import logging

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from one_stop.models import Dossier, DossierReceipt

logger = logging.getLogger(__name__)


def dossier_receipt_ensure(*, dossier: Dossier, base_url: str) -> bytes:
    """The dossier's form 01 as a PDF: the stored one while it still shows what the dossier says (its
    fingerprint, the hash of the form's text, is unchanged and the file is there); otherwise rendered,
    stored for the next click, and returned.

    `dossier` needs its procedure, version, receiving agency and receiving clerk (select_related).
    """
    from one_stop.pdf.receipt import receipt_context, receipt_fingerprint, receipt_pdf

    context = receipt_context(dossier=dossier, base_url=base_url)
    fingerprint = receipt_fingerprint(context)
    stored = DossierReceipt.objects.filter(dossier=dossier).first()
    if stored is not None and stored.fingerprint == fingerprint:
        try:
            with stored.file.open("rb") as handle:
                return handle.read()
        except OSError:  # the file went missing (a restored database, a cleaned volume): render it again
            logger.warning("Stored receipt of %s is missing its file; rendering again", dossier.code)
    pdf = receipt_pdf(dossier=dossier, base_url=base_url, context=context)
    _store(dossier=dossier, stored=stored, pdf=pdf, fingerprint=fingerprint)
    return pdf


def _store(*, dossier: Dossier, stored: DossierReceipt | None, pdf: bytes, fingerprint: str) -> None:
    old_name = stored.file.name if stored is not None else ""
    receipt = stored or DossierReceipt(dossier=dossier)
    receipt.fingerprint = fingerprint
    receipt.file.save(f"{dossier.code}.pdf", ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            receipt.save()
    except IntegrityError:
        # Two clicks at once on a dossier without a stored form: the other one stored it; this copy goes.
        receipt.file.delete(save=False)
        return
    if old_name and old_name != receipt.file.name:
        storage = receipt.file.storage
        transaction.on_commit(lambda: storage.delete(old_name))


def dossier_receipt_prepare(*, dossier: Dossier, base_url: str) -> None:
    """Render form 01 right after the receipt is committed, so the clerk's print click finds it ready.

    A failure here loses nothing (the dossier is received; the click renders the form itself): log it.
    """
    dossier = (Dossier.objects.select_related("procedure", "procedure_version", "receiving_agency__parent",
                                              "received_by").get(pk=dossier.pk))
    try:
        dossier_receipt_ensure(dossier=dossier, base_url=base_url)
    except Exception:
        logger.exception("Could not prepare the receipt of %s", dossier.code)
