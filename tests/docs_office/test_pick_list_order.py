"""The agency and people pick-lists of eOffice in Vietnamese alphabetical order (found by exploratory testing:
"Ủy ban nhân dân tỉnh…" after "Văn phòng…", "Xã Đồng Đăng" after "Xã Yên Phúc")."""

import pytest

from docs_office.forms import OutgoingCreateForm, assign_formset
from docs_office.models import Division
from egov.accounts.roles import Role
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

NAMES = ["Văn phòng Ủy ban nhân dân tỉnh", "Xã Yên Phúc", "Ủy ban nhân dân tỉnh Cao Bằng", "Xã Đồng Đăng",
         "Xã Hưng Vũ", "Xã Hồng Phong", "Xã Điềm He"]
ORDERED = ["Ủy ban nhân dân tỉnh Cao Bằng", "Văn phòng Ủy ban nhân dân tỉnh", "Xã Điềm He", "Xã Đồng Đăng",
           "Xã Hồng Phong", "Xã Hưng Vũ", "Xã Yên Phúc"]


def _labels(field) -> list[str]:
    return [str(label) for value, label in field.choices if value != ""]


def test_the_recipients_in_the_system_are_in_vietnamese_order(staff):
    for name in NAMES:
        AgencyFactory(name=name)
    form = OutgoingCreateForm(user=staff[Role.SPECIALIST])

    labels = [label for label in _labels(form.fields["recipient_agencies"]) if label in NAMES]

    assert labels == ORDERED


def test_units_and_people_to_choose_are_in_vietnamese_order(staff, agency):
    for name, short in (("Phòng Tư pháp", "TP"), ("Ban Đổi mới", "BĐM"), ("Ban Chỉ đạo", "BCĐ")):
        Division.objects.create(agency=agency, name=name, short_name=short)
    for name in ("Đặng Văn An", "Vũ Thị Bình", "Đào Minh Châu"):
        UserFactory(agency=agency, full_name=name, position_title="", roles=[Role.SPECIALIST])
    form = OutgoingCreateForm(user=staff[Role.SPECIALIST])

    assert _labels(form.fields["division"]) == ["Ban Chỉ đạo", "Ban Đổi mới", "Phòng Tư pháp"]
    readers = [label for label in _labels(form.fields["readers"]) if label.startswith(("Đ", "V"))]
    assert readers == ["Đào Minh Châu", "Đặng Văn An", "Vũ Thị Bình"]  # a before ă
    assignees = [label for _value, label in assign_formset(user=staff[Role.LEADER]).assignees]
    assert assignees[:3] == ["Ban Chỉ đạo", "Ban Đổi mới", "Phòng Tư pháp"]


def test_sending_an_issued_document_to_more_agencies_offers_them_in_vietnamese_order(staff, agency):
    from types import SimpleNamespace

    from docs_office.views import _send_more_agencies

    for name in NAMES:
        AgencyFactory(name=name)
    document = SimpleNamespace(agency_id=agency.pk, deliveries=SimpleNamespace(all=list))  # not sent anywhere yet

    names = [a.name for a in _send_more_agencies(document) if a.name in NAMES]

    assert names == ORDERED
