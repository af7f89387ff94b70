from django.core.management.base import BaseCommand, CommandError

from egov.audit.models import LegalEvent
from egov.audit.services import legal_event_chain_verify

REASONS = {
    "missing": "thiếu sự kiện (bị xóa)",
    "link": "liên kết với sự kiện trước bị sai",
    "content": "nội dung đã bị thay đổi",
    "truncated": "cuối chuỗi bị cắt",
}


class Command(BaseCommand):
    help = "Verify the hash chain of the legal event log; exits non-zero when it is broken."

    def handle(self, *args, **options):
        breaks = legal_event_chain_verify()
        if breaks:
            for item in breaks:
                self.stderr.write(f"#{item.sequence}: {REASONS[item.reason]}")
            raise CommandError(f"Chuỗi nhật ký bị phá vỡ tại {len(breaks)} vị trí.")
        self.stdout.write(self.style.SUCCESS(f"Chuỗi nhật ký toàn vẹn ({LegalEvent.objects.count()} sự kiện)."))
