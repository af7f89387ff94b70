from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError

from reports.services import rollup_backfill


class Command(BaseCommand):
    help = "Tính lại số liệu tổng hợp theo ngày cho một khoảng ngày (mặc định: từ hồ sơ đầu tiên đến hôm qua)."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", help="YYYY-MM-DD")
        parser.add_argument("--to", dest="end", help="YYYY-MM-DD (mặc định: hôm qua)")

    def handle(self, *args, start=None, end=None, **options):
        from django.db.models import Min
        from django.utils import timezone

        from one_stop.models import Dossier

        try:
            end_day = date.fromisoformat(end) if end else timezone.localdate() - timedelta(days=1)
            if start:
                start_day = date.fromisoformat(start)
            else:
                first = Dossier.objects.aggregate(first=Min("received_at"))["first"]
                start_day = timezone.localtime(first).date() if first else end_day
        except ValueError as exc:
            raise CommandError(f"Ngày không hợp lệ: {exc}") from exc
        if end_day < start_day:
            raise CommandError("Ngày kết thúc phải sau ngày bắt đầu.")
        rows = rollup_backfill(start=start_day, end=end_day)
        self.stdout.write(f"{start_day}..{end_day}: {rows} dòng tổng hợp")
