"""The service index of Decision 766/QĐ-TTg (2022), as far as our own data measures it.

The decision scores how a province serves people and businesses on 100 points, from the real-time data
of the one-stop systems: openness 18, progress 20, online service 12, online payment 10, satisfaction 18,
digitisation 22. Each sub-criterion below says what it measures, our formula, and its points; a
sub-criterion scores points × share (linear). Where our data cannot measure a sub-criterion (the
national portal's synchronisation, the reuse of digitised data, feedback until the portal's feedback
module is there) it scores nothing and the page says so, rather than pretending.

The split of a group's points between its sub-criteria follows the decision where it is explicit
(satisfaction: three ratios of 6; openness: timely publication of procedures) and is ours elsewhere;
the README lists it.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Criterion:
    code: str
    group: str
    points: int
    label: str
    formula: str
    measure: str | None  # key of the share (percent) in the figures; None = not measurable from our data
    why_not: str = ""


GROUPS = (
    ("openness", _("Công khai, minh bạch"), 18),
    ("progress", _("Tiến độ, kết quả giải quyết"), 20),
    ("online", _("Cung cấp dịch vụ công trực tuyến"), 12),
    ("payment", _("Thanh toán trực tuyến"), 10),
    ("satisfaction", _("Mức độ hài lòng"), 18),
    ("digitisation", _("Số hóa hồ sơ, kết quả"), 22),
)

CRITERIA = (
    Criterion("1.1", "openness", 6, _("Thủ tục hành chính được công khai đầy đủ"),
              _("Số thủ tục đang áp dụng có phiên bản hiện hành ghi thời hạn giải quyết và thành phần hồ sơ / "
                "tổng số thủ tục đang áp dụng."), "published_pct"),
    Criterion("1.2", "openness", 6, _("Hồ sơ được công khai tiến độ, tra cứu trực tuyến"),
              _("Số hồ sơ tiếp nhận trong kỳ có mã hồ sơ tra cứu được trên cổng / tổng số hồ sơ tiếp nhận "
                "(mọi hồ sơ của hệ thống đều có mã và trang tra cứu công khai)."), "lookup_pct"),
    Criterion("1.3", "openness", 6, _("Hồ sơ được đồng bộ lên Cổng Dịch vụ công quốc gia"),
              _("Số hồ sơ đồng bộ trạng thái lên Cổng Dịch vụ công quốc gia / tổng số hồ sơ."), None,
              _("Hệ thống chưa kết nối đồng bộ với Cổng Dịch vụ công quốc gia.")),
    Criterion("2.1", "progress", 14, _("Hồ sơ giải quyết đúng hạn"),
              _("Số hồ sơ có kết quả trong kỳ đúng hoặc trước hạn / tổng số hồ sơ có kết quả trong kỳ. Hạn là "
                "ngày hẹn trả đầu tiên: hồ sơ đã xin lỗi, hẹn lại vẫn tính là quá hạn."), "on_time_pct"),
    Criterion("2.2", "progress", 6, _("Hồ sơ đang giải quyết chưa quá hạn"),
              _("Số hồ sơ đang giải quyết chưa quá hạn / tổng số hồ sơ đang giải quyết (hồ sơ chờ bổ sung "
                "dừng tính hạn)."), "running_in_time_pct"),
    Criterion("3.1", "online", 4, _("Thủ tục cung cấp dịch vụ công trực tuyến"),
              _("Số thủ tục đang áp dụng cung cấp trực tuyến (toàn trình hoặc một phần) / tổng số thủ tục đang "
                "áp dụng."), "procedures_online_pct"),
    Criterion("3.2", "online", 4, _("Hồ sơ nộp trực tuyến"),
              _("Số hồ sơ tiếp nhận trực tuyến / tổng số hồ sơ tiếp nhận trong kỳ."), "online_pct"),
    Criterion("3.3", "online", 4, _("Hồ sơ xử lý trực tuyến toàn trình"),
              _("Số hồ sơ nộp trực tuyến của thủ tục toàn trình / tổng số hồ sơ tiếp nhận trong kỳ."),
              "fully_online_pct"),
    Criterion("4.1", "payment", 10, _("Hồ sơ thanh toán trực tuyến"),
              _("Số hồ sơ đã thanh toán phí, lệ phí trực tuyến trong kỳ / số hồ sơ tiếp nhận trong kỳ có phí, "
                "lệ phí phải nộp."), "paid_online_pct"),
    Criterion("5.1", "satisfaction", 6, _("Phản ánh, kiến nghị xử lý đúng hạn"),
              _("Số phản ánh, kiến nghị xử lý đúng hạn / tổng số phản ánh, kiến nghị."), None,
              _("Chưa có số liệu phản ánh, kiến nghị trong hệ thống thống kê.")),
    Criterion("5.2", "satisfaction", 6, _("Hài lòng trong xử lý phản ánh, kiến nghị"),
              _("(Tổng số phản ánh, kiến nghị − số bị đánh giá không hài lòng) / tổng số phản ánh, kiến nghị."),
              None, _("Chưa có số liệu phản ánh, kiến nghị trong hệ thống thống kê.")),
    Criterion("5.3", "satisfaction", 6, _("Hài lòng trong tiếp nhận, giải quyết thủ tục hành chính"),
              _("(Số đánh giá − số đánh giá không hài lòng) / tổng số đánh giá của hồ sơ trong kỳ."),
              "satisfied_pct"),
    Criterion("6.1", "digitisation", 8, _("Cấp kết quả giải quyết điện tử"),
              _("Số hồ sơ có kết quả trong kỳ kèm tệp kết quả điện tử / tổng số hồ sơ có kết quả trong kỳ."),
              "e_result_pct"),
    Criterion("6.2", "digitisation", 8, _("Số hóa hồ sơ khi tiếp nhận"),
              _("Số hồ sơ tiếp nhận trong kỳ có thành phần hồ sơ điện tử (bản quét hoặc tệp nộp trực tuyến) / "
                "tổng số hồ sơ tiếp nhận."), "digitised_pct"),
    Criterion("6.3", "digitisation", 6, _("Khai thác, sử dụng lại thông tin, dữ liệu số hóa"),
              _("Số hồ sơ dùng lại giấy tờ, kết quả đã số hóa / tổng số hồ sơ."), None,
              _("Hệ thống chưa có kho dữ liệu số hóa dùng chung để đo việc sử dụng lại.")),
)

assert sum(c.points for c in CRITERIA) == 100 and all(
    sum(c.points for c in CRITERIA if c.group == g) == p for g, _label, p in GROUPS)


def index_score(figures: dict) -> dict:
    """Score every sub-criterion from the figures (shares in percent); totals by group and overall."""
    lines, by_group = [], {g: 0.0 for g, _label, _p in GROUPS}
    for criterion in CRITERIA:
        share = figures.get(criterion.measure) if criterion.measure else None
        score = 0.0 if share is None else criterion.points * min(share, 100.0) / 100.0
        by_group[criterion.group] += score
        lines.append({"criterion": criterion, "share": share, "score": score,
                      "measurable": criterion.measure is not None})
    groups = [{"code": g, "label": label, "points": p, "score": by_group[g]} for g, label, p in GROUPS]
    measurable_points = sum(c.points for c in CRITERIA if c.measure)
    return {"lines": lines, "groups": groups, "total": sum(by_group.values()), "measurable_points": measurable_points}
