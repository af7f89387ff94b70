import time

from django.core.management.base import BaseCommand

from egov.core.outbox import outbox_purge_sent, outbox_relay


class Command(BaseCommand):
    help = "Hand queued tasks from the outbox to the broker (once, or every --interval seconds with --loop)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep relaying until stopped")
        parser.add_argument("--interval", type=float, default=2.0)

    def handle(self, *args, loop, interval, **options):
        while True:
            published = outbox_relay()
            outbox_purge_sent()
            if published or not loop:
                self.stdout.write(f"Đã chuyển {published} tác vụ cho hàng đợi.")
            if not loop:
                return
            time.sleep(interval)
