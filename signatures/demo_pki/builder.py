"""Build and load the demo PKI that the signatures app signs with in development and tests.

The PKI is described for certomancer: a root CA, an intermediate "government" CA that issues the
signers' certificates, an OCSP responder and a time-stamping authority. Certomancer only loads keys
from files, so the RSA keys are generated here with `cryptography` and kept across rebuilds (a
rebuild re-issues the certificates for the same keys). The configuration carries absolute dates, so
`demo_pki_load` brings back exactly the certificates that `demo_pki_build` issued.

Service URLs follow certomancer's layout under the base URL, e.g. with the base URL
``http://127.0.0.1:8765``: OCSP at ``/demo/ocsp/gov``, CRLs at ``/demo/crls/gov/latest.crl`` and
``/demo/crls/root/latest.crl``, the TSA at ``/demo/tsa/demo``, the CA certificates (AIA caIssuers)
at ``/demo/certs/gov/ca.crt`` and ``/demo/certs/root/ca.crt``.
"""

from __future__ import annotations

import json
import os
import re
import secrets
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from asn1crypto import x509 as asn1_x509
    from certomancer.registry import PKIArchitecture

ARCH_LABEL = "demo"

# Certificate labels; each certificate's subject entity and key carry the same label.
ROOT = "root"
INTERMEDIATE = "gov"
OCSP_RESPONDER = "ocsp-gov"
TSA = "tsa"
REVOKED = "revoked"
EXPIRED = "expired"
NO_SIGNING_USAGE = "no-signing-usage"
SPECIAL_LABELS = (REVOKED, EXPIRED, NO_SIGNING_USAGE)
INFRASTRUCTURE_LABELS = (ROOT, INTERMEDIATE, OCSP_RESPONDER, TSA)
RESERVED_LABELS = frozenset(INFRASTRUCTURE_LABELS + SPECIAL_LABELS)

# Service labels (they become path segments of the service URLs).
OCSP_SERVICE = "gov"
TSA_SERVICE = "demo"

ROOT_NAME = "Demo Root CA — Cổng Chính quyền điện tử"
INTERMEDIATE_NAME = "Demo Government CA"
CA_ORGANISATION = "Cổng Chính quyền điện tử (demo)"

CONFIG_FILE = "certomancer.yml"
META_FILE = "demo_pki.json"
KEYS_DIR = "keys"
CERTS_DIR = "certs"
META_FORMAT = 1
RSA_KEY_SIZE = 2048

_LABEL_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,62}\Z")


@dataclass
class PersonSpec:
    label: str
    full_name: str
    national_id: str  # CCCD number
    position: str


@dataclass
class OrganisationSpec:
    label: str
    name: str
    tax_code: str  # MST
    province: str


# The three personal certificates that exist to be refused: their holders are fictitious.
_SPECIAL_PEOPLE = (
    PersonSpec(REVOKED, "Trần Thị Thu (chứng thư đã bị thu hồi)", "001190000001", "Chuyên viên"),
    PersonSpec(EXPIRED, "Lê Văn Hạn (chứng thư đã hết hạn)", "001090000002", "Chuyên viên"),
    PersonSpec(NO_SIGNING_USAGE, "Phạm Minh Mã (chứng thư chỉ dùng để mã hoá)", "001090000003", "Chuyên viên"),
)


class DemoPki:
    """A built demo PKI: its certomancer architecture plus the files it was loaded from."""

    def __init__(
        self,
        *,
        directory: Path,
        base_url: str,
        arch: PKIArchitecture,
        people: list[PersonSpec],
        organisations: list[OrganisationSpec],
        built_at: datetime,
    ) -> None:
        from certomancer.registry import ServiceLabel

        self.directory = directory
        self.base_url = base_url
        self.arch = arch
        self.people = people
        self.organisations = organisations
        self.built_at = built_at
        self.labels_people = [person.label for person in people]
        self.labels_organisations = [organisation.label for organisation in organisations]
        self.labels_special = list(SPECIAL_LABELS)

        services = arch.service_registry
        self.tsa_url: str = services.get_tsa_info(ServiceLabel(TSA_SERVICE)).url
        self.ocsp_url: str = services.get_ocsp_info(ServiceLabel(OCSP_SERVICE)).url
        self.crl_url: str = services.get_crl_repo_info(ServiceLabel(INTERMEDIATE)).latest_external_url
        self.root_crl_url: str = services.get_crl_repo_info(ServiceLabel(ROOT)).latest_external_url

    def __repr__(self) -> str:
        return f"<DemoPki {self.base_url} in {self.directory}>"

    @property
    def labels(self) -> list[str]:
        """Every certificate in the PKI."""
        return [*INFRASTRUCTURE_LABELS, *self.labels_people, *self.labels_organisations, *self.labels_special]

    def cert(self, label: str) -> asn1_x509.Certificate:
        from certomancer.registry import CertLabel

        return self.arch.get_cert(CertLabel(label))

    def cert_der(self, label: str) -> bytes:
        return self.cert(label).dump()

    def cert_pem(self, label: str) -> bytes:
        from asn1crypto import pem

        return pem.armor("CERTIFICATE", self.cert_der(label))

    def root_pem(self) -> bytes:
        return self.cert_pem(ROOT)

    def intermediate_pem(self) -> bytes:
        return self.cert_pem(INTERMEDIATE)

    def chain_der(self, label: str) -> list[bytes]:
        """The issuers of a certificate, nearest first, up to and including the root."""
        from certomancer.registry import CertLabel

        return [self.cert_der(issuer.value) for issuer in self.arch.get_chain(CertLabel(label))]

    def private_key_pem(self, label: str) -> bytes:
        if label not in self.labels:
            raise KeyError(f"no certificate labelled {label!r} in the demo PKI")
        return _key_path(self.directory, label).read_bytes()

    def pkcs12(self, label: str, passphrase: bytes) -> bytes:
        """The certificate, its private key and its chain (intermediate, root) as a PKCS#12 file."""
        from cryptography import x509
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.serialization import pkcs12

        key = serialization.load_pem_private_key(self.private_key_pem(label), password=None)
        encryption = serialization.BestAvailableEncryption(passphrase) if passphrase else serialization.NoEncryption()
        return pkcs12.serialize_key_and_certificates(
            name=label.encode(),
            key=key,
            cert=x509.load_der_x509_certificate(self.cert_der(label)),
            cas=[x509.load_der_x509_certificate(der) for der in self.chain_der(label)],
            encryption_algorithm=encryption,
        )


def demo_pki_build(
    *,
    directory: Path,
    base_url: str,
    people: list[PersonSpec],
    organisations: list[OrganisationSpec],
    now: datetime | None = None,
) -> DemoPki:
    """Write keys (only the missing ones) and the certomancer configuration, then load the PKI.

    `base_url` is where the PKI will be served (see `signatures.demo_pki.server`); it is embedded
    in every certificate, so it has to be known before building.
    """
    import yaml

    directory = Path(directory)
    base_url = base_url.rstrip("/")
    if not base_url.startswith(("http://", "https://")):
        raise ValueError(f"base_url must be an http(s) URL, not {base_url!r}")
    now = _whole_seconds_utc(now or datetime.now(UTC))
    _labels_check(people, organisations)

    labels = [
        *INFRASTRUCTURE_LABELS,
        *(person.label for person in people),
        *(organisation.label for organisation in organisations),
        *SPECIAL_LABELS,
    ]
    (directory / KEYS_DIR).mkdir(parents=True, exist_ok=True)
    for label in labels:
        _key_ensure(_key_path(directory, label))

    config = _certomancer_config(base_url=base_url, people=people, organisations=organisations, now=now)
    header = "# Generated by signatures.demo_pki.builder: rebuild rather than edit.\n"
    _write_atomically(directory / CONFIG_FILE, (header + yaml.safe_dump(config, allow_unicode=True, sort_keys=False)).encode())
    meta = {
        "format": META_FORMAT,
        "base_url": base_url,
        "built_at": now.isoformat(),
        "people": [asdict(person) for person in people],
        "organisations": [asdict(organisation) for organisation in organisations],
    }
    _write_atomically(directory / META_FILE, json.dumps(meta, ensure_ascii=False, indent=2).encode())

    pki = _demo_pki_from_files(directory, meta)
    # Plain copies of the certificates, e.g. to install the root in a PDF reader.
    pki.arch.dump_certs(str(directory / CERTS_DIR), use_pem=True, flat=True)
    return pki


def demo_pki_load(directory: Path) -> DemoPki:
    """Load a PKI that `demo_pki_build` wrote into `directory`."""
    directory = Path(directory)
    try:
        meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileNotFoundError(f"no demo PKI in {directory} (missing {META_FILE})")
    if meta.get("format") != META_FORMAT:
        raise ValueError(f"{directory / META_FILE} has format {meta.get('format')!r}, expected {META_FORMAT}: rebuild it")
    return _demo_pki_from_files(directory, meta)


def _demo_pki_from_files(directory: Path, meta: dict[str, Any]) -> DemoPki:
    from certomancer.registry import ArchLabel, CertLabel, CertomancerConfig

    config = CertomancerConfig.from_file(str(directory / CONFIG_FILE), key_search_dir=str(directory), allow_external_config=False)
    arch = config.get_pki_arch(ArchLabel(ARCH_LABEL))
    pki = DemoPki(
        directory=directory,
        base_url=meta["base_url"],
        arch=arch,
        people=[PersonSpec(**person) for person in meta["people"]],
        organisations=[OrganisationSpec(**organisation) for organisation in meta["organisations"]],
        built_at=datetime.fromisoformat(meta["built_at"]),
    )
    # Certomancer issues certificates lazily and caches them; issue them all now, in this thread,
    # rather than on first use inside a server thread.
    for label in pki.labels:
        arch.get_cert(CertLabel(label))
    return pki


def _labels_check(people: list[PersonSpec], organisations: list[OrganisationSpec]) -> None:
    seen: set[str] = set()
    for label in [person.label for person in people] + [organisation.label for organisation in organisations]:
        if not _LABEL_RE.match(label):
            raise ValueError(f"label {label!r}: use lower-case letters, digits and hyphens")
        if label in RESERVED_LABELS:
            raise ValueError(f"label {label!r} is reserved by the demo PKI")
        if label in seen:
            raise ValueError(f"label {label!r} is used twice")
        seen.add(label)


def _whole_seconds_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    # X.509 times have whole seconds; keeping the configuration exact keeps rebuilds comparable.
    return moment.astimezone(UTC).replace(microsecond=0)


def _years_later(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + years, day=28)


def _key_path(directory: Path, label: str) -> Path:
    return directory / KEYS_DIR / f"{label}.key.pem"


def _key_ensure(path: Path) -> None:
    if path.exists():
        return
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=RSA_KEY_SIZE)
    pem = key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    )
    _write_atomically(path, pem, mode=0o600)


def _write_atomically(path: Path, data: bytes, *, mode: int = 0o644) -> None:
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


# --- the certomancer configuration -------------------------------------------------------------


def _certomancer_config(
    *, base_url: str, people: list[PersonSpec], organisations: list[OrganisationSpec], now: datetime
) -> dict[str, Any]:
    special = {person.label: person for person in _SPECIAL_PEOPLE}
    all_people = [*people, *special.values()]

    entities: dict[str, dict[str, str]] = {
        ROOT: {"common-name": ROOT_NAME, "organization-name": CA_ORGANISATION},
        INTERMEDIATE: {"common-name": INTERMEDIATE_NAME, "organization-name": CA_ORGANISATION},
        OCSP_RESPONDER: {"common-name": f"{INTERMEDIATE_NAME} — OCSP", "organization-name": CA_ORGANISATION},
        TSA: {"common-name": "Demo Time-Stamping Authority", "organization-name": CA_ORGANISATION},
    }
    for person in all_people:
        # Vietnamese CAs identify a person by "CCCD:<number>" and an organisation by "MST:<tax code>"
        # in the UID attribute of the subject.
        entities[person.label] = {
            "common-name": person.full_name,
            "title": person.position,
            "user-id": f"CCCD:{person.national_id}",
        }
    for organisation in organisations:
        entities[organisation.label] = {
            "common-name": organisation.name,
            "organization-name": organisation.name,
            "user-id": f"MST:{organisation.tax_code}",
            "state-or-province-name": organisation.province,
        }

    leaf_validity = _validity(now - timedelta(days=30), _years_later(now, 2))
    service_validity = _validity(now - timedelta(days=365), _years_later(now, 5))
    issued_by_intermediate = [_crl_distribution_point(INTERMEDIATE), _authority_information_access(INTERMEDIATE)]

    certs: dict[str, dict[str, Any]] = {
        ROOT: _cert_spec(
            issuer=ROOT,
            validity=_validity(_years_later(now, -1), _years_later(now, 20)),
            extensions=[_basic_constraints_ca(), _key_usage("key_cert_sign", "crl_sign")],
        ),
        INTERMEDIATE: _cert_spec(
            issuer=ROOT,
            validity=_validity(_years_later(now, -1), _years_later(now, 10)),
            extensions=[
                _basic_constraints_ca(path_length=0),
                _key_usage("key_cert_sign", "crl_sign"),
                _crl_distribution_point(ROOT),
                _authority_information_access(ROOT, with_ocsp=False),
            ],
        ),
        OCSP_RESPONDER: _cert_spec(
            issuer=INTERMEDIATE,
            validity=service_validity,
            extensions=[
                _key_usage("digital_signature"),
                _extended_key_usage("ocsp_signing"),
                # RFC 6960 §4.2.2.2.1: clients need not check the responder's own status.
                {"id": "ocsp_no_check"},
                _authority_information_access(INTERMEDIATE, with_ocsp=False),
            ],
        ),
        TSA: _cert_spec(
            issuer=INTERMEDIATE,
            validity=service_validity,
            # RFC 3161 §2.3: the only extended key usage, and critical.
            extensions=[_key_usage("digital_signature"), _extended_key_usage("time_stamping"), *issued_by_intermediate],
        ),
    }
    for person in people:
        certs[person.label] = _cert_spec(
            issuer=INTERMEDIATE,
            validity=leaf_validity,
            extensions=[_key_usage("digital_signature", "non_repudiation"), *issued_by_intermediate],
        )
    for organisation in organisations:
        # An agency's certificate seals (digitalSignature); commitment is the leader's, not the seal's.
        certs[organisation.label] = _cert_spec(
            issuer=INTERMEDIATE,
            validity=leaf_validity,
            extensions=[_key_usage("digital_signature"), *issued_by_intermediate],
        )
    certs[REVOKED] = _cert_spec(
        issuer=INTERMEDIATE,
        validity=leaf_validity,
        extensions=[_key_usage("digital_signature", "non_repudiation"), *issued_by_intermediate],
        revocation={"revoked-since": (now - timedelta(days=1)).isoformat(), "reason": "key_compromise"},
    )
    certs[EXPIRED] = _cert_spec(
        issuer=INTERMEDIATE,
        validity=_validity(_years_later(now, -2), _years_later(now, -1)),
        extensions=[_key_usage("digital_signature", "non_repudiation"), *issued_by_intermediate],
    )
    certs[NO_SIGNING_USAGE] = _cert_spec(
        issuer=INTERMEDIATE,
        validity=leaf_validity,
        extensions=[_key_usage("key_encipherment"), *issued_by_intermediate],
    )

    services = {
        "ocsp": {
            OCSP_SERVICE: {"for-issuer": INTERMEDIATE, "responder-cert": OCSP_RESPONDER, "signing-key": OCSP_RESPONDER},
        },
        "crl-repo": {
            ROOT: {"for-issuer": ROOT, "signing-key": ROOT, "simulated-update-schedule": "P1D"},
            INTERMEDIATE: {"for-issuer": INTERMEDIATE, "signing-key": INTERMEDIATE, "simulated-update-schedule": "PT1H"},
        },
        "cert-repo": {
            ROOT: {"for-issuer": ROOT},
            INTERMEDIATE: {"for-issuer": INTERMEDIATE},
        },
        "time-stamping": {
            TSA_SERVICE: {"signing-cert": TSA, "signing-key": TSA, "certs-to-embed": [INTERMEDIATE, ROOT]},
        },
    }
    key_labels = [*entities]
    return {
        "external-url-prefix": base_url,
        "keysets": {
            ARCH_LABEL: {
                "path-prefix": KEYS_DIR,
                "keys": {label: {"path": _key_path(Path("."), label).name} for label in key_labels},
            }
        },
        "pki-architectures": {
            ARCH_LABEL: {
                "keyset": ARCH_LABEL,
                "entity-defaults": {"country-name": "VN"},
                "entities": entities,
                "certs": certs,
                "services": services,
            }
        },
    }


def _validity(valid_from: datetime, valid_to: datetime) -> dict[str, str]:
    return {"valid-from": valid_from.isoformat(), "valid-to": valid_to.isoformat()}


def _cert_spec(
    *, issuer: str, validity: dict[str, str], extensions: list[dict[str, Any]], revocation: dict[str, str] | None = None
) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "issuer": issuer,
        # Random, as RFC 5280 §4.1.2.2 and the CA/B forum ask: a rebuild never reuses a serial number.
        "serial": secrets.randbits(63) | (1 << 62),
        "validity": validity,
        "extensions": extensions,
    }
    if revocation is not None:
        spec["revocation"] = revocation
    return spec


def _basic_constraints_ca(path_length: int | None = None) -> dict[str, Any]:
    value: dict[str, Any] = {"ca": True}
    if path_length is not None:
        value["path_len_constraint"] = path_length
    return {"id": "basic_constraints", "critical": True, "value": value}


def _key_usage(*usages: str) -> dict[str, Any]:
    # asn1crypto wants a set for a bit string, which YAML cannot express: certomancer's key-usage
    # plugin turns the list into one.
    return {"id": "key_usage", "critical": True, "smart-value": {"schema": "key-usage", "params": list(usages)}}


def _extended_key_usage(*purposes: str) -> dict[str, Any]:
    return {"id": "extended_key_usage", "critical": True, "value": list(purposes)}


def _crl_distribution_point(repository: str) -> dict[str, Any]:
    return {
        "id": "crl_distribution_points",
        "smart-value": {"schema": "crl-dist-url", "params": {"crl-repo-names": [repository]}},
    }


def _authority_information_access(issuer: str, *, with_ocsp: bool = True) -> dict[str, Any]:
    params: dict[str, Any] = {"ca-issuer-links": [{"repo": issuer}]}
    if with_ocsp:
        params["ocsp-responder-names"] = [OCSP_SERVICE]
    return {"id": "authority_information_access", "smart-value": {"schema": "aia-urls", "params": params}}
