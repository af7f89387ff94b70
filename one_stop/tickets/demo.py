"""Demo queue: areas and counters at the province's public administrative service centre; idempotent."""

from django.db import transaction

from egov.agencies.models import Agency, AgencyKind
from one_stop.tickets.models import Counter, ServiceArea

# (prefix, name, procedure fields) — the usual groupings of a provincial centre's reception hall.
AREAS = [
    ("A", "Tư pháp – Hộ tịch", ["Hộ tịch", "Chứng thực", "Lý lịch tư pháp"]),
    ("B", "Đất đai – Môi trường", ["Đất đai", "Môi trường"]),
    ("C", "Xây dựng – Giao thông", ["Xây dựng", "Đường bộ"]),
    ("D", "Đầu tư – Doanh nghiệp", ["Thành lập và hoạt động doanh nghiệp", "Đầu tư"]),
]
# Counter number → the area prefixes it serves.
COUNTERS = {1: ["A"], 2: ["A", "B"], 3: ["B", "C"], 4: ["C", "D"], 5: ["D"]}


@transaction.atomic
def demo_queue_seed(*, stdout=print) -> None:
    centre = Agency.objects.filter(kind=AgencyKind.SERVICE_CENTRE).order_by("pk").first()
    if centre is None:
        stdout("Lấy số: chưa có Trung tâm Phục vụ hành chính công, bỏ qua.")
        return
    areas = {}
    for position, (prefix, name, fields) in enumerate(AREAS, start=1):
        areas[prefix], _created = ServiceArea.objects.update_or_create(
            agency=centre, prefix=prefix, defaults={"name": name, "procedure_fields": fields, "position": position})
    for number, prefixes in COUNTERS.items():
        counter, _created = Counter.objects.get_or_create(agency=centre, number=number)
        counter.areas.set([areas[p] for p in prefixes])
    stdout(f"Lấy số: {len(AREAS)} khu vực, {len(COUNTERS)} quầy tại {centre.name} — "
           f"máy lấy số /lay-so/{centre.exchange_code}/, màn hình /lay-so/{centre.exchange_code}/man-hinh/, "
           f"quầy /lay-so/quay/")
