import pytest
from django.core.management import call_command

from egov.accounts.models import User
from egov.accounts.roles import Role
from egov.agencies.models import Agency, AgencyKind

pytestmark = pytest.mark.django_db

DEMO_USERS = {
    "demo_admin": Role.SYSTEM_ADMIN, "demo_clerk": Role.ONE_STOP_CLERK, "demo_specialist": Role.SPECIALIST,
    "demo_head": Role.HEAD_OF_DIVISION, "demo_leader": Role.LEADER, "demo_records_clerk": Role.RECORDS_CLERK,
    "demo_citizen": Role.CITIZEN, "demo_clerk_commune": Role.ONE_STOP_CLERK, "demo_leader_commune": Role.LEADER,
}


def test_a_fresh_database_has_no_demo_accounts():
    assert not User.objects.filter(username__startswith="demo_").exists()


def test_the_demo_loads_lang_son_with_all_its_communes_and_a_user_per_role(monkeypatch, capsys):
    monkeypatch.setenv("DEMO_PASSWORD", "mat-khau-demo-2026")
    call_command("seed_demo")
    province = Agency.objects.get(kind=AgencyKind.PROVINCIAL_COMMITTEE)
    assert province.name == "Ủy ban nhân dân tỉnh Lạng Sơn" and province.exchange_code == "000.00.00.H41"
    # Lạng Sơn has 65 communes and wards since 1 July 2025 (vietnam-provinces data).
    assert Agency.objects.filter(kind=AgencyKind.COMMUNE_COMMITTEE, parent=province).count() == 65
    centre = Agency.objects.get(kind=AgencyKind.SERVICE_CENTRE)
    assert centre.parent.parent == province
    for username, role in DEMO_USERS.items():
        user = User.objects.get(username=username)
        assert user.has_role(role), username
        assert user.check_password("mat-khau-demo-2026")
    assert User.objects.get(username="demo_clerk_commune").agency.kind == AgencyKind.COMMUNE_COMMITTEE
    out = capsys.readouterr().out
    assert "mat-khau-demo-2026" in out and "demo_leader" in out


def test_loading_the_demo_twice_changes_nothing(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "mat-khau-demo-2026")
    call_command("seed_demo")
    counts = (Agency.objects.count(), User.objects.count())
    call_command("seed_demo")
    assert (Agency.objects.count(), User.objects.count()) == counts


def test_the_demo_operator_has_one_personal_data_request_to_answer(monkeypatch):
    from egov.accounts.data_requests import can_handle_data_requests
    from egov.accounts.models import PersonalDataRequest

    monkeypatch.setenv("DEMO_PASSWORD", "mat-khau-demo-2026")
    call_command("seed_demo")
    call_command("seed_demo")

    [request] = PersonalDataRequest.objects.all()
    assert request.user.username == "demo_citizen" and request.state == "received"
    assert can_handle_data_requests(User.objects.get(username="demo_admin"))


def test_without_a_demo_password_a_random_one_is_generated_and_printed(monkeypatch, capsys):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    call_command("seed_demo")
    out = capsys.readouterr().out
    password = out.split("mật khẩu chung: ")[1].split(")")[0]
    assert len(password) >= 12
    assert User.objects.get(username="demo_leader").check_password(password)


def test_the_demo_gives_the_demo_leaders_and_their_agencies_certificates_trusted_through_the_demo_root(monkeypatch):
    from signatures.constants import CertificateKind
    from signatures.models import Certificate, TrustAnchor

    monkeypatch.setenv("DEMO_PASSWORD", "mat-khau-demo-2026")
    call_command("seed_demo")
    call_command("seed_demo")  # a second run imports nothing twice
    leader = User.objects.get(username="demo_leader")
    personal = Certificate.objects.get(kind=CertificateKind.PERSONAL, owner=leader, is_active=True)
    assert personal.common_name == leader.full_name and "non_repudiation" in personal.key_usage
    organisation = Certificate.objects.get(kind=CertificateKind.ORGANISATION, agency=leader.agency, is_active=True)
    assert organisation.key_usage == ["digital_signature"]
    assert personal.stamp_image and organisation.stamp_image
    assert TrustAnchor.objects.filter(is_active=True).count() == 1


def test_the_demo_loads_the_curated_and_the_national_catalogue_once(monkeypatch, settings, capsys):
    from one_stop.constants import ProcedureSource
    from one_stop.models import Procedure

    settings.EGOV_DEMO_RAW_CATALOGUE = True
    monkeypatch.setenv("DEMO_PASSWORD", "mat-khau-demo-2026")
    call_command("seed_demo")
    assert Procedure.objects.count() >= 2368
    assert Procedure.objects.get(code="1.001193").source == ProcedureSource.CURATED  # hand-checked data wins
    call_command("seed_demo")
    assert "0 mới, 0 cập nhật, 25 không đổi" in capsys.readouterr().out


def test_the_demo_desk_has_dossiers_to_show_once(monkeypatch, client):
    """The demo's queues are not empty: counter receipts at the provincial centre (some handled by departments), each
    with a due date some working days ahead, and one online submission waiting in the desk's inbox; a second
    seed_demo adds none."""
    from one_stop.constants import DossierState
    from one_stop.models import Dossier

    monkeypatch.setenv("DEMO_PASSWORD", "mat-khau-demo-2026")
    call_command("seed_demo")
    call_command("seed_demo")
    clerk = User.objects.get(username="demo_clerk")
    at_centre = Dossier.objects.filter(receiving_agency=clerk.agency)
    assert at_centre.filter(state=DossierState.RECEIVED, received_by=clerk).count() == 5
    assert at_centre.filter(handling_agency__short_name="SNV").count() == 2
    assert at_centre.filter(handling_agency__short_name="SXD").count() == 1
    online = at_centre.get(state=DossierState.SUBMITTED)
    assert online.citizen.username == "demo_citizen"
    assert all(d.due_at.date() > d.received_at.date() and d.events.exists() for d in at_centre.exclude(pk=online.pk))

    client.force_login(clerk)
    queue = client.get("/mot-cua/ho-so/").content.decode()
    assert "Nguyễn Văn An" in queue and "Công ty TNHH Thương mại Hoa Mai" in queue
