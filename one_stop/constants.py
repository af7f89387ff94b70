from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class OnlineLevel(models.TextChoices):
    FULL = "full", _("Dịch vụ công trực tuyến toàn trình")
    PARTIAL = "partial", _("Dịch vụ công trực tuyến một phần")
    NONE = "none", _("Chưa cung cấp trực tuyến")


class ProcedureSource(models.TextChoices):
    CURATED = "curated", _("Danh mục của dự án")
    DICHVUCONG = "dichvucong", _("Cổng Dịch vụ công quốc gia")
    CSV = "csv", _("Tệp CSV")
    ADMIN = "admin", _("Nhập trên trang quản trị")


# A draft's temporary code (services.dossiers._draft_code): replaced by the desk's code when it is submitted, so it
# marks a draft wherever only the code is at hand (the queue search's covering indexes hold the code, not the state).
DRAFT_CODE_PREFIX = "NHAP-"


class DossierState(models.TextChoices):
    DRAFT = "draft", _("Bản nháp, chưa nộp")
    SUBMITTED = "submitted", _("Đã nộp trực tuyến, chờ tiếp nhận")
    RECEIVED = "received", _("Đã tiếp nhận")
    IN_PROGRESS = "in_progress", _("Đang giải quyết")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung, hoàn thiện")
    RESOLVED = "resolved", _("Đã có kết quả, chờ trả")
    RETURNED = "returned", _("Đã trả kết quả")
    REFUSED = "refused", _("Từ chối giải quyết")
    WITHDRAWN = "withdrawn", _("Công dân rút hồ sơ")


class DossierChannel(models.TextChoices):
    COUNTER = "counter", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    POST = "post", _("Dịch vụ bưu chính")


# The ways a desk receives a dossier itself: handed in at the counter or sent by post (online ones come through the
# portal and wait in the inbox).
DESK_CHANNELS = (DossierChannel.COUNTER, DossierChannel.POST)


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("Cá nhân")
    ORGANISATION = "organisation", _("Tổ chức")


class RatingLevel(models.TextChoices):
    SATISFIED = "satisfied", _("Hài lòng")
    ACCEPTABLE = "acceptable", _("Chấp nhận được")
    UNSATISFIED = "unsatisfied", _("Không hài lòng")


class DocumentKind(models.TextChoices):
    SUBMITTED = "submitted", _("Thành phần hồ sơ")
    SUPPLEMENT = "supplement", _("Hồ sơ bổ sung")
    RESULT = "result", _("Kết quả giải quyết")


class StepAgency(models.TextChoices):
    """Where a step of a procedure's internal process is handled (or an agency's exchange code)."""

    RECEIVING = "receiving", _("Bộ phận Một cửa nơi tiếp nhận")
    COMPETENT = "competent", _("Cơ quan có thẩm quyền giải quyết")


# The default process's step names (one_stop.services.process.default_process). A step's name is stored in
# Vietnamese, the language of the record, whatever the UI language of the clerk who received the dossier; these
# are msgids, so pages show them in the reader's language (DossierStep.display_name).
STEP_RECEIVE = gettext_noop("Tiếp nhận hồ sơ")
STEP_EXAMINE = gettext_noop("Thẩm định, giải quyết")
STEP_APPROVE = gettext_noop("Phê duyệt kết quả")
STEP_RETURN = gettext_noop("Trả kết quả")
DEFAULT_STEP_NAMES = frozenset({STEP_RECEIVE, STEP_EXAMINE, STEP_APPROVE, STEP_RETURN})


def step_display_name(name: str) -> str:
    """A step's name in the reader's language where it is a default step's (stored in Vietnamese); a name from the
    catalogue is shown as written."""
    from django.utils.translation import gettext

    return gettext(name) if name in DEFAULT_STEP_NAMES else name
