"""Demo data: one real province with its communes, departments, and a user for every role.

Only `manage.py seed_demo` calls this — never a migration — so a production database has no demo
accounts. Every step is idempotent (keyed by exchange code and username).
"""

import secrets
from dataclasses import dataclass

from django.db import transaction
from vietnam_provinces import Province, ProvinceCode, Ward

from egov.accounts.models import User
from egov.accounts.roles import Role
from egov.accounts.services import user_create, user_set_roles
from egov.agencies.models import Agency, AgencyKind

# The last group of the national agency code (Decision 20/2020/QĐ-TTg) per province, for the
# provinces the demo knows; others are given on the command line (--exchange-suffix).
PROVINCE_EXCHANGE_SUFFIX = {20: "H41"}

# Provincial departments after the 2025 reorganisation: (name, short name used in document symbols).
DEPARTMENTS = [
    # With its province: it heads the service centre's forms ("VĂN PHÒNG ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN").
    ("Văn phòng Ủy ban nhân dân {province}", "VP"),
    ("Sở Nội vụ", "SNV"),
    ("Sở Tư pháp", "STP"),
    ("Sở Tài chính", "STC"),
    ("Sở Xây dựng", "SXD"),
    ("Sở Nông nghiệp và Môi trường", "SNNMT"),
    ("Sở Công Thương", "SCT"),
    ("Sở Giáo dục và Đào tạo", "SGDĐT"),
    ("Sở Y tế", "SYT"),
    ("Sở Văn hóa, Thể thao và Du lịch", "SVHTTDL"),
    ("Sở Khoa học và Công nghệ", "SKHCN"),
    ("Sở Dân tộc và Tôn giáo", "SDTTG"),
    ("Thanh tra tỉnh", "TTR"),
]


# Domain apps add their own demo data here from AppConfig.ready(), so the kernel imports none of them.
# Each step is called as step(result=DemoResult, stdout=callable) after the kernel's data exists.
DEMO_STEPS: list = []


def demo_step(func):
    DEMO_STEPS.append(func)
    return func


@dataclass
class DemoResult:
    province: Agency
    agencies_created: int
    users: list[User]
    password: str


def _upsert_agency(*, exchange_code: str, **fields) -> tuple[Agency, bool]:
    return Agency.objects.update_or_create(exchange_code=exchange_code, defaults=fields)


@transaction.atomic
def seed_demo(*, province_code: int = 20, exchange_suffix: str | None = None, password: str | None = None) -> DemoResult:
    province = Province.from_code(ProvinceCode(province_code))
    suffix = exchange_suffix or PROVINCE_EXCHANGE_SUFFIX.get(province_code)
    if not suffix:
        raise ValueError(f"no exchange code suffix known for province {province_code}: pass --exchange-suffix")
    province_title = f"{province.division_type.value} {province.name}"  # "tỉnh Lạng Sơn"
    created = 0
    committee, new = _upsert_agency(
        exchange_code=f"000.00.00.{suffix}", name=f"Ủy ban nhân dân {province_title}", short_name="UBND",
        kind=AgencyKind.PROVINCIAL_COMMITTEE, parent=None, administrative_code=f"{province_code:02d}",
        address=province.name,
    )
    created += new
    departments = {}
    for index, (name, short) in enumerate(DEPARTMENTS, start=1):
        departments[short], new = _upsert_agency(
            exchange_code=f"000.00.{index:02d}.{suffix}", name=name.format(province=province_title), short_name=short,
            kind=AgencyKind.DEPARTMENT, parent=committee, address=province.name,
        )
        created += new
    # The service centre sits under the committee's office: the tree has a third level here.
    centre, new = _upsert_agency(
        exchange_code=f"000.01.01.{suffix}", name=f"Trung tâm Phục vụ hành chính công {province_title}",
        short_name="TTPVHCC", kind=AgencyKind.SERVICE_CENTRE, parent=departments["VP"], address=province.name,
    )
    created += new
    communes = []
    wards = sorted(Ward.iter_by_province(province.code), key=lambda w: w.code)
    for index, ward in enumerate(wards, start=len(DEPARTMENTS) + 1):
        commune, new = _upsert_agency(
            exchange_code=f"000.00.{index:02d}.{suffix}" if index < 100 else f"{index:03d}.00.00.{suffix}",
            name=f"Ủy ban nhân dân {ward.name}", short_name="UBND", kind=AgencyKind.COMMUNE_COMMITTEE,
            parent=committee, administrative_code=f"{int(ward.code):05d}", address=f"{ward.name}, {province.name}",
        )
        communes.append(commune)
        created += new

    password = password or secrets.token_urlsafe(12)
    commune = communes[0]
    people = [
        ("demo_admin", "Quản trị Hệ thống", [Role.SYSTEM_ADMIN], committee, "Quản trị viên", True),
        ("demo_clerk", "Nguyễn Thị Hoa", [Role.ONE_STOP_CLERK], centre, "Chuyên viên Bộ phận Một cửa", False),
        ("demo_specialist", "Trần Văn Minh", [Role.SPECIALIST], departments["STP"], "Chuyên viên", False),
        ("demo_head", "Lê Thị Lan", [Role.HEAD_OF_DIVISION], departments["STP"], "Trưởng phòng Hành chính tư pháp", False),
        ("demo_leader", "Hoàng Văn Nam", [Role.LEADER], departments["STP"], "Giám đốc Sở", False),
        ("demo_records_clerk", "Phạm Thị Thu", [Role.RECORDS_CLERK], departments["STP"], "Văn thư", False),
        ("demo_clerk_commune", "Vi Thị Mai", [Role.ONE_STOP_CLERK], commune, "Công chức Bộ phận Một cửa", False),
        ("demo_leader_commune", "Lộc Văn Sơn", [Role.LEADER], commune, "Chủ tịch UBND xã", False),
    ]
    users = []
    for username, full_name, roles, agency, title, is_admin in people:
        users.append(_upsert_user(username=username, full_name=full_name, roles=roles, agency=agency, password=password,
                                  position_title=title, is_staff=is_admin, is_superuser=is_admin))
    users.append(_upsert_user(
        username="demo_citizen", full_name="Đặng Văn Công", roles=[Role.CITIZEN], agency=None, password=password,
        national_id=f"{province_code:03d}095001234", phone="0912345678", email="demo.citizen@example.vn",
    ))
    _demo_personal_data_request(users[-1])
    return DemoResult(province=committee, agencies_created=created, users=users, password=password)


def _demo_personal_data_request(citizen: User) -> None:
    """One request waiting for the operator (demo_admin answers it in the admin), once."""
    from egov.accounts.data_requests import personal_data_request_submit
    from egov.accounts.models import DataRequestKind, PersonalDataRequest

    if not PersonalDataRequest.objects.filter(user=citizen).exists():
        personal_data_request_submit(user=citizen, kind=DataRequestKind.RESTRICT, details=(
            "Chỉ dùng số điện thoại của tôi để báo tình trạng hồ sơ, không dùng để gửi tin nhắn khảo sát."))


def _upsert_user(*, username: str, password: str, roles, **fields) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        return user_create(username=username, password=password, roles=roles, **fields)
    user.set_password(password)
    user.save(update_fields=["password"])
    return user_set_roles(user=user, roles=roles)
