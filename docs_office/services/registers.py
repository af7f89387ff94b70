"""Registers and numbering (Decree 30/2020): per register, per calendar year, from 01, never skipped or repeated."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

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


def register_incoming_for(*, agency) -> Register:
    register = Register.objects.filter(agency=agency, kind=RegisterKind.INCOMING, is_active=True).order_by("id").first()
    if register is None:
        raise ApplicationError("no_register", _("Cơ quan chưa có sổ văn bản đến. Đề nghị quản trị tạo sổ trước."),
                               status=409)
    return register


def register_outgoing_for(*, agency, document_type) -> Register:
    """The outgoing register that numbers this type: one that lists it, else the agency's general one."""
    registers = list(Register.objects.filter(agency=agency, kind=RegisterKind.OUTGOING, is_active=True)
                     .prefetch_related("document_types").order_by("id"))
    for register in registers:
        if any(t.pk == document_type.pk for t in register.document_types.all()):
            return register
    for register in registers:
        if not register.document_types.all():
            return register
    raise ApplicationError("no_register",
                           _("Cơ quan chưa có sổ văn bản đi cho loại “%(t)s”. Đề nghị quản trị tạo sổ trước.")
                           % {"t": document_type.name}, status=409)


@transaction.atomic
def register_create(*, agency, kind: str, name: str, document_types=()) -> Register:
    register, _created = Register.objects.get_or_create(agency=agency, kind=kind, name=name)
    if document_types:
        register.document_types.set(document_types)
    return register
