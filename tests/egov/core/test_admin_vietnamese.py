"""The admin pages of the libraries' models (two-factor devices, API tokens, sign-in attempts, change history) read in
the administrator's language: column headers, filters, search help, form labels, help texts, fieldsets, actions
(egov.core.third_party_admin) — while the libraries' migration state stays theirs."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from tests.factories import AgencyFactory, UserFactory, login_verified_superuser

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(db):
    user = UserFactory(username="vanthu01")
    totp = TOTPDevice.objects.create(user=user, name="điện thoại công vụ", confirmed=True)
    static = StaticDevice.objects.create(user=user, name="mã dự phòng", confirmed=True)
    static.token_set.create(token="abcd1234")
    Token.objects.create(user=user)
    attempt = AccessAttempt.objects.create(username="vanthu01", ip_address="10.0.0.1", user_agent="Firefox",
                                           path_info="/dang-nhap/", failures_since_start=2, get_data="", post_data="")
    log = AccessLog.objects.create(username="vanthu01", ip_address="10.0.0.1", user_agent="Firefox", path_info="/dang-nhap/")
    failure = AccessFailureLog.objects.create(username="vanthu01", ip_address="10.0.0.1", user_agent="Firefox",
                                              path_info="/dang-nhap/", locked_out=True)
    AgencyFactory()  # a change history event
    return {"totp": totp, "static": static, "user": user, "attempt": attempt, "log": log, "failure": failure}


# page → (what it says in Vietnamese, what the library says in English)
PAGES = {
    "otp_totp_totpdevice_changelist": (
        ["Người dùng", "Tên thiết bị", "Tạo lúc", "Dùng lần cuối lúc", "Đã xác nhận",
         "Tìm theo tên đăng nhập hoặc thư điện tử"],
        ["Last used at", "Created at", ">Confirmed<", "QR Code", ">qrcode<", "Search by user"]),
    "otp_totp_totpdevice_add": (["Khóa bí mật", "Số chữ số"], ["Key:", "Digits"]),
    "otp_totp_totpdevice_change": (
        ["Số chữ số", "Chu kỳ (giây)", "Độ lệch cho phép", "Độ lệch đồng hồ", "Mốc bắt đầu đếm",
         "Số lần nhập sai liên tiếp", "Thiết bị", "Mốc thời gian", "Cấu hình", "Chống dò mã",
         "Số chu kỳ trước hoặc sau thời điểm hiện tại", "Người dùng sở hữu thiết bị này"],
        ["Key:", "Digits", "Step:", "Tolerance", "Drift", "Throttling failure count", "Identity", "Timestamps",
         "Configuration", "Throttling", "The time step in seconds", "The user that this device belongs to"]),
    "otp_static_staticdevice_changelist": (
        ["Người dùng", "Tên thiết bị", "Dùng lần cuối lúc", "Đã xác nhận"],
        ["Last used at", "Created at", ">Confirmed<", "Search by user"]),
    "otp_static_staticdevice_change": (
        ["Tên thiết bị", "Đã xác nhận", "Mốc thời gian"],
        ["Is this device ready for use?", "Identity", "Timestamps", ">Token<", "The human-readable name"]),
    "authtoken_tokenproxy_changelist": (
        ["Khóa (phần đầu)", "Người dùng", "Tạo lúc", "Tìm theo tên đăng nhập"],
        [">Key<", ">User<", ">Created<", ">Username<"]),
    "authtoken_tokenproxy_change": (["Người dùng"], [">User:<"]),
    "axes_accessattempt_changelist": (
        ["Thời điểm", "Địa chỉ IP", "Trình duyệt web", "Tên đăng nhập", "Đường dẫn yêu cầu", "Số lần sai", "Trạng thái",
         "còn 1 lần thử", "bị khóa", "Xóa các lần thử đăng nhập đã hết hạn", "Tìm theo địa chỉ IP"],
        ["Attempt Time", "IP Address", "User Agent", ">Path<", "Failed Logins", ">Status<", "Attempt Remaining",
         "Locked Out", "Clean up expired attempts"]),
    "axes_accessattempt_change": (
        ["Dữ liệu GET", "Dữ liệu POST", "Số lần sai", "Dữ liệu biểu mẫu", "Thông tin kỹ thuật của yêu cầu",
         "Tiêu đề HTTP Accept", "Hết hạn lúc"],
        ["GET Data", "POST Data", "Failed Logins", "Form Data", "Meta Data", ">HTTP Accept:"]),
    "axes_accesslog_changelist": (
        ["Thời điểm", "Đăng xuất lúc", "Địa chỉ IP", "Trình duyệt web", "Đường dẫn yêu cầu"],
        ["Attempt Time", "Logout Time", "IP Address", "User Agent", ">Path<"]),
    "axes_accesslog_change": (["Tên đăng nhập", "Thông tin kỹ thuật của yêu cầu"], ["Meta Data", "User Agent"]),
    "axes_accessfailurelog_changelist": (
        ["Thời điểm", "Địa chỉ IP", "Bị khóa"], ["Attempt Time", "Access lock out", "IP Address"]),
    "axes_accessfailurelog_change": (["Trình duyệt web", "Đường dẫn yêu cầu"], ["User Agent", "Path:"]),
    "pghistory_events_changelist": (
        ["Thời điểm", "Loại đối tượng", "Mã đối tượng", "Loại thay đổi", "Nội dung thay đổi", "Ngữ cảnh", "Bởi bảng lịch sử"],
        ["Pgh created at", "Pgh obj model", "Pgh obj id", "Pgh label", "Pgh diff", "Pgh context", "event model"]),
    "pghistory_events_change": (
        ["Nội dung thay đổi", "Dữ liệu sau thay đổi", "Bảng lịch sử", "Những gì đã đổi so với sự kiện trước"],
        ["Pgh diff", "Pgh data", "Pgh model", "When the event was created", "The raw data of the event"]),
}


def page_url(name, records):
    from pghistory.models import Events

    if not name.endswith("_change"):
        return reverse(f"admin:{name}")
    obj = {"otp_totp": records["totp"], "otp_static": records["static"], "authtoken": records["user"],
           "axes_accessattempt": records["attempt"], "axes_accesslog": records["log"],
           "axes_accessfailurelog": records["failure"]}
    pk = next((o.pk for prefix, o in obj.items() if name.startswith(prefix)), None)
    if pk is None:  # a history event is named by its slug
        pk = Events.objects.order_by("-pgh_created_at").first().pgh_slug
    return reverse(f"admin:{name}", args=[pk])


@pytest.mark.parametrize("name", PAGES)
def test_a_library_models_admin_page_reads_in_vietnamese(client, records, name):
    login_verified_superuser(client)
    response = client.get(page_url(name, records))

    assert response.status_code == 200
    page = response.content.decode()
    vietnamese, english = PAGES[name]
    assert [label for label in vietnamese if label not in page] == []
    assert [label for label in english if label in page] == []


@pytest.mark.parametrize(("name", "english", "vietnamese"), [
    ("otp_totp_totpdevice_add", ["Secret key", "Number of digits", "Time step (seconds)", "Tolerance", "Clock drift",
                                    "Configuration", "The number of time steps in the past or future to allow."],
     ["Khóa bí mật", "Cấu hình"]),
    ("axes_accessattempt_changelist", ["IP address", "User agent", "Failures", "1 attempt left",
                                       "Clean up expired attempts"], ["Thời điểm", "Trình duyệt web", "còn 1 lần thử"]),
    ("pghistory_events_changelist", ["Object type", "Changes", "Context", "By event model"], ["Nội dung thay đổi"]),
])
def test_for_an_english_administrator_they_read_in_english(client, records, name, english, vietnamese):
    login_verified_superuser(client)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(page_url(name, records)).content.decode()

    assert [label for label in english if label not in page] == []
    assert [label for label in vietnamese if label in page] == []


def test_the_axes_clean_up_action_still_works_and_reports_in_vietnamese(client, records, settings):
    settings.AXES_COOLOFF_TIME = None  # nothing expires: nothing to clean up
    login_verified_superuser(client)

    response = client.post(reverse("admin:axes_accessattempt_changelist"),
                           {"action": "cleanup_expired_attempts", "_selected_action": [records["attempt"].pk]}, follow=True)

    assert "Đã xóa 0 lần thử đăng nhập đã hết hạn." in response.content.decode()
    assert AccessAttempt.objects.filter(pk=records["attempt"].pk).exists()


def test_the_change_lists_still_sort_and_filter_by_the_relabelled_columns(client, records):
    login_verified_superuser(client)
    url = reverse("admin:otp_totp_totpdevice_changelist")

    sorted_page = client.get(url, {"o": "-3"})  # by "tạo lúc", the third column
    filtered = client.get(url, {"confirmed__exact": "0"}).content.decode()

    assert sorted_page.status_code == 200 and "điện thoại công vụ" in sorted_page.content.decode()
    assert "Bởi đã xác nhận" in filtered  # the filter under its Vietnamese title
    assert "điện thoại công vụ" not in filtered


def test_the_libraries_keep_their_migration_state():
    from django.apps import apps
    from django.db.migrations.state import ModelState

    key = dict(ModelState.from_model(apps.get_model("otp_totp", "TOTPDevice")).fields)["key"]
    assert "verbose_name" not in key.deconstruct()[3]
    assert key.help_text == "A hex-encoded secret key of up to 40 bytes."


def test_the_admin_never_shows_a_users_secrets(client, records):
    """No TOTP key or QR code of an enrolled app, no backup code, no whole API token: whoever sees an administrator's
    screen could sign in as the user with them."""
    login_verified_superuser(client)
    totp, static = records["totp"], records["static"]
    token = Token.objects.get(user=records["user"]).key

    pages = "".join(client.get(reverse(name, args=args)).content.decode() for name, args in (
        ("admin:otp_totp_totpdevice_changelist", []), ("admin:otp_totp_totpdevice_change", [totp.pk]),
        ("admin:otp_static_staticdevice_change", [static.pk]), ("admin:authtoken_tokenproxy_changelist", [])))

    assert totp.key not in pages and "abcd1234" not in pages and token not in pages
    assert f"{token[:6]}…" in pages
    assert client.get(reverse("admin:otp_totp_totpdevice_config", args=[totp.pk])).status_code == 403


def test_the_change_history_names_its_kinds_of_change_in_the_administrators_language(client, records):
    login_verified_superuser(client)
    url = reverse("admin:pghistory_events_changelist")

    page = client.get(url).content.decode()
    updates = client.get(url, {"label": "update"}).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url).content.decode()

    assert '<td class="field-pgh_label">thêm mới</td>' in page and ">insert<" not in page
    assert '?label=update">sửa</a>' in page  # the filter's choices, by their names
    assert '<td class="field-pgh_label">thêm mới</td>' not in updates  # and it still filters
    assert '<td class="field-pgh_label">added</td>' in english and '?label=update">changed</a>' in english


def test_permissions_are_listed_in_the_administrators_language(client):
    """Django stores "Can add người dùng"; the user's and the role's permission pickers read "… | Thêm"."""
    from django.contrib.auth.models import Group

    login_verified_superuser(client)
    role = Group.objects.get(name="records_clerk")

    for page in (reverse("admin:auth_group_change", args=[role.pk]),
                 reverse("admin:accounts_user_change", args=[UserFactory().pk])):
        html = client.get(page).content.decode()
        assert "Tài khoản và vai trò | người dùng | Thêm" in html and "Can add" not in html
    groups = client.get(reverse("admin:auth_group_changelist")).content.decode()
    assert "Văn thư" in groups
