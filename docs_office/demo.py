"""Demo eOffice data: registers and divisions for the demo agencies (idempotent; seed_demo only)."""

from django.db import transaction

from docs_office.constants import RegisterKind
from docs_office.models import Division, DocumentType
from docs_office.services.registers import register_create
from egov.accounts.models import User
from egov.agencies.models import Agency, AgencyKind

# Legal normative documents have their own series (Decree 30): the committee keeps a register for
# decisions and resolutions apart from the general one.
NORMATIVE_TYPES = ["quyet-dinh", "nghi-quyet", "chi-thi"]


@transaction.atomic
def demo_office_seed(*, stdout=print) -> int:
    agencies = list(Agency.objects.filter(kind__in=[AgencyKind.PROVINCIAL_COMMITTEE, AgencyKind.DEPARTMENT]))
    communes = list(Agency.objects.filter(kind=AgencyKind.COMMUNE_COMMITTEE).order_by("exchange_code")[:3])
    for agency in [*agencies, *communes]:
        register_create(agency=agency, kind=RegisterKind.INCOMING, name="Sổ văn bản đến")
        register_create(agency=agency, kind=RegisterKind.OUTGOING, name="Sổ văn bản đi")
        if agency.kind == AgencyKind.PROVINCIAL_COMMITTEE:
            register_create(agency=agency, kind=RegisterKind.OUTGOING, name="Sổ quyết định, nghị quyết, chỉ thị",
                            document_types=DocumentType.objects.filter(code__in=NORMATIVE_TYPES))
    stp = Agency.objects.filter(kind=AgencyKind.DEPARTMENT, short_name="STP").first()
    if stp is not None:
        division, _created = Division.objects.get_or_create(agency=stp, short_name="HCTP",
                                                            defaults={"name": "Phòng Hành chính tư pháp"})
        division.members.add(*User.objects.filter(username__in=["demo_specialist", "demo_head"]))
    stdout(f"eOffice: sổ văn bản cho {len(agencies) + len(communes)} cơ quan")
    return len(agencies) + len(communes)
