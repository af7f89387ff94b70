import pytest

from signatures.demo_pki.builder import DemoPki, OrganisationSpec, PersonSpec, demo_pki_build
from signatures.demo_pki.server import PkiServer, free_loopback_port

DEMO_PEOPLE = [
    PersonSpec(label="leader", full_name="Hoàng Văn Nam", national_id="020079001234", position="Giám đốc Sở"),
    PersonSpec(label="leader2", full_name="Nguyễn Thị Lan", national_id="020180005678", position="Phó Giám đốc Sở"),
]
DEMO_ORGANISATIONS = [
    OrganisationSpec(label="agency", name="Sở Tư pháp tỉnh Lạng Sơn", tax_code="4900234567", province="Lạng Sơn"),
]


@pytest.fixture(scope="session")
def demo_pki(tmp_path_factory) -> DemoPki:
    """The demo PKI, served over HTTP on 127.0.0.1 for the whole session (CRL, OCSP, TSA)."""
    port = free_loopback_port()
    pki = demo_pki_build(
        directory=tmp_path_factory.mktemp("demo_pki"),
        base_url=f"http://127.0.0.1:{port}",
        people=DEMO_PEOPLE,
        organisations=DEMO_ORGANISATIONS,
    )
    server = PkiServer(pki, port)
    server.start()
    yield pki
    server.stop()
