"""Editing a procedure's terms makes a new version from an effective date; a dossier stays on the version it was
received under (issue #3): the service, the admin's "new version" form and import_procedures --effective-from."""

from datetime import date, timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from egov.accounts.roles import Role
from egov.core.errors import ApplicationError
from one_stop.catalogue.data import ChannelTerms, ProcedureData, ProcessStep, RequiredDocument
from one_stop.constants import ProcedureSource
from one_stop.models import Dossier, Procedure, ProcedureVersion
from one_stop.selectors import procedure_version_current
from one_stop.services.catalogue import VersionTerms, procedure_upsert, procedure_version_create
from one_stop.services.dossiers import dossier_act
from tests.factories import AgencyFactory, UserFactory
from tests.one_stop.factories import at_local, receive_at_counter

pytestmark = pytest.mark.django_db


def at(when):
    return mock.patch("django.utils.timezone.now", return_value=when)


@pytest.fixture
def birth(db):
    return procedure_upsert(data=ProcedureData(
        code="1.001193", name="Thủ tục đăng ký khai sinh", field="Hộ tịch", processing_days=5, fee_vnd=50_000,
        channels=[ChannelTerms(channel="counter", processing_days=5, fee_vnd=50_000)],
        required_documents=[RequiredDocument(name="Tờ khai đăng ký khai sinh"), RequiredDocument(name="Giấy chứng sinh")]),
        effective_from=at_local(2025, 7, 1, 0, 0))[0]


@pytest.fixture
def admin_user(db):
    return UserFactory(is_staff=True, roles=[Role.SYSTEM_ADMIN], full_name="Quản trị tỉnh")


def ten_days_three_papers(**changes) -> VersionTerms:
    terms = VersionTerms(
        processing_days=Decimal(10), fee_vnd=100_000,
        channels=[ChannelTerms(channel="counter", processing_days=10, fee_vnd=100_000)],
        required_documents=[RequiredDocument(name="Tờ khai đăng ký khai sinh"), RequiredDocument(name="Giấy chứng sinh"),
                            RequiredDocument(name="Văn bản ủy quyền", copies="1 bản chính")],
        process=[ProcessStep(name="Tiếp nhận", role="one_stop_clerk", agency="receiving", days=0),
                 ProcessStep(name="Thẩm định hồ sơ", role="specialist", days=7),
                 ProcessStep(name="Lãnh đạo ký", role="leader", days=3),
                 ProcessStep(name="Trả kết quả", role="one_stop_clerk", agency="receiving", days=0)])
    for key, value in changes.items():
        setattr(terms, key, value)
    return terms


def _state(dossier):
    dossier = Dossier.objects.get(pk=dossier.pk)
    return {"version": dossier.procedure_version.number, "due_at": dossier.due_at, "fee_vnd": dossier.fee_vnd,
            "checklist": [item["name"] for item in dossier.checklist],
            "steps": [(s.name, s.days) for s in dossier.steps.order_by("order")]}


def test_a_dossier_received_before_keeps_its_version_and_one_received_from_the_effective_date_gets_the_new(
        staff, birth, admin_user):
    before = receive_at_counter(staff, birth, at_local(2026, 3, 2, 9, 0))  # Monday
    kept = _state(before)
    with at(at_local(2026, 3, 3, 10, 0)):
        version = procedure_version_create(procedure=birth, by=admin_user, terms=ten_days_three_papers(),
                                           effective_from=date(2026, 3, 5), note="Quyết định 123/QĐ-UBND")
    not_yet = receive_at_counter(staff, birth, at_local(2026, 3, 4, 16, 0))
    after = receive_at_counter(staff, birth, at_local(2026, 3, 5, 9, 0))  # Thursday

    assert (version.number, version.effective_from, version.created_by) == (2, at_local(2026, 3, 5, 0, 0), admin_user)
    assert _state(before) == kept == {
        "version": 1, "due_at": at_local(2026, 3, 9, 17, 0), "fee_vnd": 50_000,
        "checklist": ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"],
        "steps": [("Tiếp nhận hồ sơ", 0), ("Thẩm định, giải quyết", 4), ("Phê duyệt kết quả", 1), ("Trả kết quả", 0)]}
    assert _state(not_yet)["version"] == 1
    assert _state(after) == {
        "version": 2, "due_at": at_local(2026, 3, 19, 17, 0), "fee_vnd": 100_000,
        "checklist": ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh", "Văn bản ủy quyền"],
        "steps": [("Tiếp nhận", 0), ("Thẩm định hồ sơ", 7), ("Lãnh đạo ký", 3), ("Trả kết quả", 0)]}


def test_the_clock_restarted_after_a_supplement_still_counts_the_old_versions_time_limit(staff, birth, admin_user):
    dossier = receive_at_counter(staff, birth, at_local(2026, 3, 2, 9, 0))
    with at(at_local(2026, 3, 2, 10, 0)):
        procedure_version_create(procedure=birth, by=admin_user, terms=ten_days_three_papers(),
                                 effective_from=date(2026, 3, 2))
        dossier_act(dossier=dossier, user=staff[Role.ONE_STOP_CLERK], action="request_supplement", note="Thiếu giấy")
    with at(at_local(2026, 3, 10, 9, 0)):  # Tuesday
        dossier = dossier_act(dossier=dossier, user=staff[Role.ONE_STOP_CLERK], action="resume")

    assert dossier.procedure_version.number == 1
    assert dossier.due_at == at_local(2026, 3, 17, 17, 0)  # five working days from the restart, not ten


def test_a_version_made_today_applies_from_now_not_from_midnight(birth, admin_user):
    with at(at_local(2026, 3, 3, 10, 0)):
        version = procedure_version_create(procedure=birth, by=admin_user, terms=ten_days_three_papers(),
                                           effective_from=date(2026, 3, 3))

    assert version.effective_from == at_local(2026, 3, 3, 10, 0)
    assert procedure_version_current(procedure=birth, at=at_local(2026, 3, 3, 9, 0)).number == 1


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"process": [ProcessStep(name="Thẩm định", role="specialist", days=6)]}, "process",
     "Tổng số ngày của các bước (6) phải bằng thời hạn giải quyết (10 ngày làm việc)."),
    ({"processing_days": None}, "process", "Cần thời hạn giải quyết để chia số ngày làm việc cho các bước."),
    ({"process": [ProcessStep(name="Thẩm định", role="thu_ky", days=10)]}, "process[1].role", "Vai trò xử lý không hợp lệ."),
    ({"process": [ProcessStep(name="Thuế", role="specialist", agency="000.00.99.H41", days=10)]}, "process[1].agency",
     "Không có cơ quan đang hoạt động với mã định danh “000.00.99.H41”."),
    ({"process": [ProcessStep(name="Thẩm định", role="specialist", days=9.7), ProcessStep(name="Ký", role="leader", days=0.3)]},
     "process[1].days", "Số ngày của bước phải từ 0 đến 365, theo nửa ngày."),
    ({"processing_days": Decimal(-1), "process": []}, "processing_days",
     "Thời hạn giải quyết phải từ 0 đến 365 ngày làm việc, theo nửa ngày."),
    ({"fee_vnd": -5}, "fee_vnd", "Phí, lệ phí không được âm."),
    # A typo of extra zeros: refused with its limit, not a 500 from the database's bigint.
    ({"fee_vnd": 10**19}, "fee_vnd", "Phí, lệ phí tối đa 1.000.000.000.000 đồng."),
    ({"channels": [ChannelTerms(channel="counter", processing_days=10, fee_vnd=10**13)]}, "channels[1].fee_vnd",
     "Phí, lệ phí tối đa 1.000.000.000.000 đồng."),
    ({"required_documents": [RequiredDocument(name="Giấy chứng sinh"), RequiredDocument(name="giấy chứng sinh ")]},
     "required_documents[2].name", "Giấy tờ “giấy chứng sinh” đã có trong danh sách."),
])
def test_bad_terms_are_refused_in_vietnamese_naming_the_field(birth, admin_user, changes, field, message):
    with at(at_local(2026, 3, 3, 10, 0)), pytest.raises(ApplicationError) as refused:
        procedure_version_create(procedure=birth, by=admin_user, terms=ten_days_three_papers(**changes),
                                 effective_from=date(2026, 3, 5))

    assert refused.value.status == 400 and message in refused.value.fields[field]
    assert birth.versions.count() == 1


def test_every_mistake_is_reported_at_once(birth, admin_user):
    terms = ten_days_three_papers(fee_vnd=-1, process=[ProcessStep(name="", role="thu_ky", days=4)])
    with at(at_local(2026, 3, 3, 10, 0)), pytest.raises(ApplicationError) as refused:
        procedure_version_create(procedure=birth, by=admin_user, terms=terms, effective_from=date(2026, 3, 1))

    assert set(refused.value.fields) == {"fee_vnd", "process[1].name", "process[1].role", "process", "effective_from"}


def test_a_past_effective_date_is_refused_unless_allowed(birth, admin_user):
    with at(at_local(2026, 3, 3, 10, 0)):
        with pytest.raises(ApplicationError) as refused:
            procedure_version_create(procedure=birth, by=admin_user, terms=ten_days_three_papers(),
                                     effective_from=date(2026, 3, 2))
        version = procedure_version_create(procedure=birth, by=admin_user, terms=ten_days_three_papers(),
                                           effective_from=date(2026, 3, 2), allow_past=True)

    assert "Ngày áp dụng 02/03/2026 đã qua" in refused.value.message
    assert version.effective_from == at_local(2026, 3, 2, 0, 0)


def test_a_version_may_not_take_effect_before_the_latest_one(birth, admin_user):
    with at(at_local(2026, 3, 3, 10, 0)):
        procedure_version_create(procedure=birth, by=admin_user, terms=ten_days_three_papers(),
                                 effective_from=date(2026, 4, 1))
        with pytest.raises(ApplicationError) as refused:
            procedure_version_create(procedure=birth, by=admin_user, terms=ten_days_three_papers(fee_vnd=0),
                                     effective_from=date(2026, 3, 15))

    assert "Phiên bản 2 áp dụng từ 01/04/2026" in refused.value.fields["effective_from"][0]


def test_terms_equal_to_the_latest_version_make_no_version(birth, admin_user):
    current = procedure_version_current(procedure=birth)
    same = VersionTerms(processing_days=current.processing_days, fee_vnd=current.fee_vnd,
                        channels=[ChannelTerms(**c) for c in current.channels],
                        required_documents=[RequiredDocument(**d) for d in current.required_documents])
    with at(at_local(2026, 3, 3, 10, 0)), pytest.raises(ApplicationError) as refused:
        procedure_version_create(procedure=birth, by=admin_user, terms=same, effective_from=date(2026, 3, 5))

    assert refused.value.code == "version_unchanged" and birth.versions.count() == 1


def test_a_joint_step_at_a_known_agency_is_accepted(birth, admin_user):
    AgencyFactory(exchange_code="000.00.31.H41", name="Chi cục Thuế")
    terms = ten_days_three_papers(process=[ProcessStep(name="Thẩm định", role="specialist", days=6),
                                           ProcessStep(name="Xác định nghĩa vụ thuế", role="specialist",
                                                       agency="000.00.31.H41", days=4)])
    with at(at_local(2026, 3, 3, 10, 0)):
        version = procedure_version_create(procedure=birth, by=admin_user, terms=terms, effective_from=date(2026, 3, 5))

    assert [step["agency"] for step in version.process] == ["competent", "000.00.31.H41"]


# --- the admin's "new version" form ------------------------------------------------------------------------------


def _admin_client(client, user):
    from django_otp.plugins.otp_static.models import StaticDevice

    StaticDevice.objects.create(user=user, name="backup").token_set.create(token="backup01")
    client.force_login(user)
    client.post(reverse("accounts:otp_verify"), {"token": "backup01"})
    return client


def _post_data(**main):
    data = {"effective_from": (timezone.localdate() + timedelta(days=7)).isoformat(), "processing_days": "10",
            "processing_text": "10 ngày làm việc", "fee_vnd": "100000", "fee_text": "", "note": "QĐ 123/QĐ-UBND",
            "channels-TOTAL_FORMS": "1", "channels-INITIAL_FORMS": "0",
            "channels-0-channel": "counter", "channels-0-processing_days": "10", "channels-0-fee_vnd": "100000",
            "documents-TOTAL_FORMS": "2", "documents-INITIAL_FORMS": "0",
            "documents-0-name": "Tờ khai đăng ký khai sinh", "documents-1-name": "Giấy chứng sinh",
            "documents-1-copies": "1 bản chính",
            "steps-TOTAL_FORMS": "3", "steps-INITIAL_FORMS": "0",
            "steps-0-name": "Thẩm định", "steps-0-role": "specialist", "steps-0-agency": "competent", "steps-0-days": "8",
            "steps-1-name": "Phê duyệt", "steps-1-role": "leader", "steps-1-agency": "competent", "steps-1-days": "2",
            "steps-2-name": "", "steps-2-role": "", "steps-2-agency": "competent", "steps-2-days": "0"}
    data.update(main)
    return data


def _own_problems(html):
    """The page's accessibility problems but the admin theme switch's icons, which are Django's own."""
    from tests.a11y import a11y_problems

    return [problem for problem in a11y_problems(html) if "<svg>" not in problem]


def test_the_admin_form_is_prefilled_with_the_latest_version_and_creates_the_next(client, birth, admin_user):
    _admin_client(client, admin_user)
    url = reverse("admin:one_stop_procedure_new_version", args=[birth.pk])

    change = client.get(reverse("admin:one_stop_procedure_change", args=[birth.pk])).content.decode()
    form = client.get(url)
    response = client.post(url, _post_data())

    assert url in change
    html = form.content.decode()
    assert form.status_code == 200 and 'value="Giấy chứng sinh"' in html and 'value="50000"' in html
    assert _own_problems(html) == []
    assert response.status_code == 302
    version = birth.versions.get(number=2)
    assert (version.processing_days, version.fee_vnd, version.note, version.created_by) == (
        Decimal(10), 100_000, "QĐ 123/QĐ-UBND", admin_user)
    assert [d["name"] for d in version.required_documents] == ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]
    assert [(s["name"], s["role"], s["days"]) for s in version.process] == [("Thẩm định", "specialist", 8),
                                                                            ("Phê duyệt", "leader", 2)]
    assert version.channels == [{"channel": "counter", "processing_days": 10.0, "processing_text": "", "fee_vnd": 100_000,
                                 "fee_text": ""}]


def test_the_admin_form_shows_the_services_refusal_on_the_field_and_keeps_what_was_typed(client, birth, admin_user):
    _admin_client(client, admin_user)
    url = reverse("admin:one_stop_procedure_new_version", args=[birth.pk])

    response = client.post(url, _post_data(**{"steps-1-days": "1"}))
    past = client.post(url, _post_data(effective_from="2020-01-01"))
    unknown_role = client.post(url, _post_data(**{"steps-0-role": "thu_ky"}))

    html = response.content.decode()
    assert response.status_code == 400 and birth.versions.count() == 1
    assert "Tổng số ngày của các bước (9) phải bằng thời hạn giải quyết (10 ngày làm việc)." in html
    assert 'value="Phê duyệt"' in html and "QĐ 123/QĐ-UBND" in html
    assert _own_problems(html) == []
    assert past.status_code == 400 and "Ngày áp dụng 01/01/2020 đã qua" in past.content.decode()
    assert 'aria-invalid="true"' in past.content.decode() and _own_problems(past.content.decode()) == []
    assert unknown_role.status_code == 400 and "Phiên bản mới chưa hợp lệ" in unknown_role.content.decode()


def test_the_admin_form_adds_empty_rows_without_creating_a_version(client, birth, admin_user):
    _admin_client(client, admin_user)
    url = reverse("admin:one_stop_procedure_new_version", args=[birth.pk])

    response = client.post(url, {**_post_data(), "add_rows": "1"})

    assert response.status_code == 200 and birth.versions.count() == 1
    assert 'name="steps-4-name"' in response.content.decode()


def test_staff_without_the_catalogue_permission_cannot_open_the_form(client, birth, staff):
    clerk = staff[Role.ONE_STOP_CLERK]
    clerk.is_staff = True
    clerk.save(update_fields=["is_staff"])
    _admin_client(client, clerk)

    response = client.get(reverse("admin:one_stop_procedure_new_version", args=[birth.pk]))

    assert response.status_code == 403


# --- import_procedures --effective-from ------------------------------------------------------------------------


def _catalogue(tmp_path, days):
    import json

    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps([{"code": "1.001193", "name": "Thủ tục đăng ký khai sinh", "processing_days": days}]),
                    encoding="utf-8")
    return path


def test_import_with_an_effective_date_makes_versions_that_wait_for_it(tmp_path, capsys):
    call_command("import_procedures", str(_catalogue(tmp_path, 5)))
    later = timezone.localdate() + timedelta(days=30)

    call_command("import_procedures", str(_catalogue(tmp_path, 7)), "--effective-from", later.isoformat())

    procedure = Procedure.objects.get(code="1.001193")
    assert procedure_version_current(procedure=procedure).processing_days == 5
    pending = procedure.versions.get(number=2)

    assert timezone.localtime(pending.effective_from).date() == later and pending.processing_days == 7
    assert "1 phiên bản mới" in capsys.readouterr().out


@pytest.mark.parametrize(("argument", "message"), [("2020-01-01", "đã qua"), ("01/02/2027", "YYYY-MM-DD")])
def test_import_refuses_a_past_or_unreadable_effective_date(tmp_path, argument, message):
    with pytest.raises(CommandError, match=message):
        call_command("import_procedures", str(_catalogue(tmp_path, 5)), "--effective-from", argument)

    assert not ProcedureVersion.objects.exists()


def test_import_accepts_a_past_effective_date_when_allowed(tmp_path):
    call_command("import_procedures", str(_catalogue(tmp_path, 5)), "--effective-from", "2020-01-01", "--allow-past")

    version = ProcedureVersion.objects.get()

    assert timezone.localtime(version.effective_from).date() == date(2020, 1, 1)


def _two_procedures(tmp_path, days):
    import json

    path = tmp_path / "two.json"
    path.write_text(json.dumps([{"code": "1.001193", "name": "Thủ tục đăng ký khai sinh", "processing_days": days},
                                {"code": "1.000656", "name": "Thủ tục đăng ký kết hôn", "processing_days": days}]),
                    encoding="utf-8")
    return path


def test_import_refuses_a_version_before_one_already_pending_and_imports_the_other_rows(tmp_path, capsys):
    call_command("import_procedures", str(_catalogue(tmp_path, 5)))
    pending_day = timezone.localdate() + timedelta(days=30)
    call_command("import_procedures", str(_catalogue(tmp_path, 7)), "--effective-from", pending_day.isoformat())
    capsys.readouterr()

    earlier = timezone.localdate() + timedelta(days=10)
    call_command("import_procedures", str(_two_procedures(tmp_path, 9)), "--effective-from", earlier.isoformat())

    out = capsys.readouterr().out
    # The refused row names the procedure and the pending version's day, and counts as a refused row.
    assert f"1.001193: Phiên bản 2 áp dụng từ {pending_day:%d/%m/%Y}" in out and "1 dòng bị từ chối" in out
    assert "1 mới" in out
    birth = Procedure.objects.get(code="1.001193")
    assert list(birth.versions.order_by("number").values_list("processing_days", flat=True)) == [5, 7]
    assert Procedure.objects.get(code="1.000656").versions.get().processing_days == 9


def test_import_without_a_date_is_refused_too_while_a_version_is_pending(tmp_path, capsys):
    call_command("import_procedures", str(_catalogue(tmp_path, 5)))
    pending_day = timezone.localdate() + timedelta(days=30)
    call_command("import_procedures", str(_catalogue(tmp_path, 7)), "--effective-from", pending_day.isoformat())

    # Now is before the pending version too; the only row refused: the command says nothing was imported.
    with pytest.raises(CommandError, match="Không nhập được"):
        call_command("import_procedures", str(_catalogue(tmp_path, 9)))

    assert f"1.001193: Phiên bản 2 áp dụng từ {pending_day:%d/%m/%Y}" in capsys.readouterr().out
    assert ProcedureVersion.objects.count() == 2


def test_the_admin_form_and_the_import_share_one_rule_for_the_order_of_versions(birth, admin_user, tmp_path):
    """Both ask services.catalogue.procedure_version_order_error: replacing it changes both answers."""
    with at(at_local(2026, 3, 3, 10, 0)), mock.patch("one_stop.services.catalogue.procedure_version_order_error",
                                                     return_value="Quy tắc chung") as rule:
        with pytest.raises(ApplicationError) as by_form:
            procedure_version_create(procedure=birth, by=admin_user, terms=ten_days_three_papers(),
                                     effective_from=date(2026, 4, 1))
        with pytest.raises(ApplicationError) as by_import:
            procedure_upsert(data=ProcedureData(code="1.001193", name="Thủ tục đăng ký khai sinh", processing_days=9,
                                                source=ProcedureSource.ADMIN))
    assert by_form.value.fields["effective_from"] == ["Quy tắc chung"] and by_import.value.message == "Quy tắc chung"
    assert rule.call_count == 2
