"""Demo signing set-up: the demo PKI, its root as a trust anchor, certificates for the demo signers.

Registered as a seed_demo step (signatures/apps.py); also `manage.py demo_pki`.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from egov.accounts.models import User
from signatures.constants import CertificateKind
from signatures.demo_images import demo_seal_png, demo_signature_png
from signatures.models import Certificate

# Only protects the demo PKCS#12 files in transit to the importer; the demo keys are not secrets.
PASSPHRASE = "demo-p12"  # noqa: S105


@dataclass(frozen=True)
class DemoSigner:
    username: str
    label: str
    national_id: str


# The demo leaders get personal certificates; their agencies get organisation certificates.
DEMO_SIGNERS = [
    DemoSigner("demo_leader", "leader-province", "020079001234"),
    DemoSigner("demo_leader_commune", "leader-commune", "020068004321"),
]


def demo_pki_base_url() -> str:
    return f"http://127.0.0.1:{settings.EGOV_DEMO_PKI_PORT}"


@transaction.atomic
def demo_signing_seed(*, stdout=print):
    from signatures.demo_pki.builder import META_FILE, OrganisationSpec, PersonSpec, demo_pki_build, demo_pki_load
    from signatures.services import trust_anchor_add

    users = {u.username: u for u in User.objects.filter(username__in=[s.username for s in DEMO_SIGNERS])
             .select_related("agency")}
    signers = [s for s in DEMO_SIGNERS if s.username in users]
    people = [PersonSpec(label=s.label, full_name=users[s.username].full_name, national_id=s.national_id,
                         position=users[s.username].position_title or "Lãnh đạo") for s in signers]
    agencies = {users[s.username].agency for s in signers if users[s.username].agency}
    organisations = [OrganisationSpec(label=f"agency-{a.pk}", name=a.name, tax_code=f"49{a.pk:08d}",
                                      province="Lạng Sơn") for a in sorted(agencies, key=lambda a: a.pk)]
    pki = None
    if (settings.EGOV_DEMO_PKI_DIR / META_FILE).exists():
        # Reuse the PKI as issued: rebuilding would re-issue every certificate, the root included.
        pki = demo_pki_load(settings.EGOV_DEMO_PKI_DIR)
        wanted = {p.label for p in people} | {o.label for o in organisations}
        if not wanted <= set(pki.labels) or pki.base_url != demo_pki_base_url():
            pki = None
    if pki is None:
        pki = demo_pki_build(directory=settings.EGOV_DEMO_PKI_DIR, base_url=demo_pki_base_url(), people=people,
                             organisations=organisations)
    trust_anchor_add(name="Demo Root CA (chỉ dùng thử nghiệm)", data=pki.root_pem(), note="manage.py demo_pki")
    imported = 0
    for signer in signers:
        user = users[signer.username]
        imported += _import_once(pki, signer.label, kind=CertificateKind.PERSONAL, owner=user,
                                 stamp_png=demo_signature_png(seed=user.pk % 5 + 1))
    for spec in organisations:
        agency = next(a for a in agencies if f"agency-{a.pk}" == spec.label)
        imported += _import_once(pki, spec.label, kind=CertificateKind.ORGANISATION, agency=agency,
                                 stamp_png=demo_seal_png())
    stdout(f"PKI dùng thử: {pki.base_url} (thư mục {pki.directory}); {imported} chứng thư số mới được nạp.")
    return pki


def _import_once(pki, label: str, *, kind: str, stamp_png: bytes, owner=None, agency=None) -> int:
    import hashlib

    from signatures.services import certificate_import_pkcs12

    if Certificate.objects.filter(fingerprint_sha256=hashlib.sha256(pki.cert_der(label)).hexdigest()).exists():
        return 0
    # A rebuilt PKI re-issues certificates for the same keys: retire the previous ones.
    holder = {"owner": owner} if kind == CertificateKind.PERSONAL else {"agency": agency}
    Certificate.objects.filter(kind=kind, is_active=True, **holder).update(is_active=False)
    certificate_import_pkcs12(data=pki.pkcs12(label, PASSPHRASE.encode()), passphrase=PASSPHRASE, kind=kind,
                              stamp_png=stamp_png, owner=owner, agency=agency)
    return 1
