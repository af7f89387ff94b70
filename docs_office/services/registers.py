"""Registers and numbering (Decree 30/2020): per register, per calendar year, from 01, never skipped or repeated."""

import re
import unicodedata
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from docs_office.constants import RegisterKind
from docs_office.models import Register, RegisterCounter
from egov.core.errors import ApplicationError


def register_number_allocate(*, register: Register, at: datetime) -> tuple[int, int]:
    """The next number of `register` in the year of `at`: (number, year). Call inside the transaction
    that stores the number on its document.

    The year's counter row is created if missing (ON CONFLICT DO NOTHING) and then locked, so parallel
    callers queue on the row and take consecutive numbers; a rolled-back caller gives its number back.
    A new year starts a new row, hence 1 again on 1 January.
    """
    if transaction.get_autocommit():
        raise RuntimeError("register_number_allocate must run inside a transaction")
    year = timezone.localtime(at).year
    RegisterCounter.objects.bulk_create([RegisterCounter(register=register, year=year)], ignore_conflicts=True)
    counter = RegisterCounter.objects.select_for_update().get(register=register, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last, year


def format_number(number: int) -> str:
    """Arabic digits with a leading zero below 10 (Decree 30: 01, 02, … 10, 11)."""
    return f"{number:02d}"


def number_symbol_file_stem(*, number: int, symbol: str) -> str:
    """A numbered document's file name, before its extension: its number and symbol as it is cited, "01/STP-HCTP" →
    "01-STP-HCTP" ("2026-01.pdf" named no document anyone knows: found by exploratory testing). ASCII only, so any
    browser and mail client keeps it: "QĐ-UBND" → "QD-UBND"; anything but letters, digits and "-" becomes "-"."""
    decomposed = unicodedata.normalize("NFD", symbol or "").replace("đ", "d").replace("Đ", "D")
    ascii_symbol = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return re.sub(r"-{2,}", "-", re.sub(r"[^A-Za-z0-9-]", "-", f"{format_number(number)}-{ascii_symbol}")).strip("-")


def symbol_compose(*, document_type, agency, division=None) -> str:
    """The symbol after the number: `QĐ-UBND`; an official letter has no type part: `UBND-VP`.

    Groups are joined by "-" with no spaces (Decree 30, appendix I). For typed documents the drafting
    unit is not part of the symbol; for an official letter it is, when there is one.
    """
    if document_type.abbreviation:
        return f"{document_type.abbreviation}-{agency.short_name}"
    if division is not None:
        return f"{agency.short_name}-{division.short_name}"
    return agency.short_name


# The register a secret document is numbered in when the agency has not set one up: Decree 30 wants its own
# series, and a clerk registering a secret letter should not be stopped by a missing book.
SECRET_REGISTER_NAMES = {RegisterKind.INCOMING: gettext_noop("Sổ văn bản mật đến"),
                         RegisterKind.OUTGOING: gettext_noop("Sổ văn bản mật đi")}


def _secret_register(*, agency, kind: str) -> Register:
    """The agency's general secret register of this kind (active, for no type in particular; the first by id),
    created under its standard name when there is none: its own series, from 01 each year like any register. A secret
    register kept for some types (decisions, say) numbers only those: another type's secret document never takes a
    number of that series."""
    from egov.core.language import portal_language

    register = (Register.objects.filter(agency=agency, kind=kind, for_secret=True, is_active=True,
                                        document_types__isnull=True)
                .order_by("id").first())
    if register is None:
        with portal_language():
            name = _(SECRET_REGISTER_NAMES[kind])
        register, _created = Register.objects.get_or_create(agency=agency, kind=kind, name=name,
                                                            defaults={"for_secret": True})
        if not (register.for_secret and register.is_active):  # an older register of that name: made the secret one
            Register.objects.filter(pk=register.pk).update(for_secret=True, is_active=True)
            register.for_secret, register.is_active = True, True
    return register


def register_incoming_for(*, agency, secret: bool = False) -> Register:
    if secret:
        return _secret_register(agency=agency, kind=RegisterKind.INCOMING)
    register = (Register.objects.filter(agency=agency, kind=RegisterKind.INCOMING, is_active=True, for_secret=False)
                .order_by("id").first())
    if register is None:
        raise ApplicationError("no_register", _("Cơ quan chưa có sổ văn bản đến. Đề nghị quản trị tạo sổ trước."),
                               status=409)
    return register


def register_outgoing_for(*, agency, document_type, secret: bool = False) -> Register:
    """The outgoing register that numbers this type: one that lists it, else the agency's general one; a secret
    document only ever in a secret register (one listing its type, else the agency's general secret one)."""
    registers = list(Register.objects.filter(agency=agency, kind=RegisterKind.OUTGOING, is_active=True,
                                             for_secret=secret).prefetch_related("document_types").order_by("id"))
    for register in registers:
        if any(t.pk == document_type.pk for t in register.document_types.all()):
            return register
    for register in registers:
        if not register.document_types.all():
            return register
    if secret:
        return _secret_register(agency=agency, kind=RegisterKind.OUTGOING)
    raise ApplicationError("no_register",
                           _("Cơ quan chưa có sổ văn bản đi cho loại “%(t)s”. Đề nghị quản trị tạo sổ trước.")
                           % {"t": document_type.name}, status=409)


@transaction.atomic
def register_create(*, agency, kind: str, name: str, document_types=()) -> Register:
    register, _created = Register.objects.get_or_create(agency=agency, kind=kind, name=name)
    if document_types:
        register.document_types.set(document_types)
    return register
