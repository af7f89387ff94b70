"""Loaded into the real worker (celery -I): an SMS provider that dies the first time it is called.

It writes the worker child's pid to a marker file and sleeps, so the test can kill that process in
the middle of the task; every later call delivers at once and appends a line to a log file, so the
test can count how many messages really left.
"""

import os
import time
from pathlib import Path

from egov.notifications.sms.base import SmsProvider, register


@register
class SlowOnceSmsProvider(SmsProvider):
    name = "slow-once"

    def send(self, *, phone, text):
        work_dir = Path(os.environ["EGOV_TEST_WORK_DIR"])
        marker = work_dir / "first-attempt.pid"
        if not marker.exists():
            marker.write_text(str(os.getpid()))
            time.sleep(120)  # the test kills this process long before
        with open(work_dir / "delivered.log", "a", encoding="utf-8") as log:
            log.write(f"{phone}\t{text}\n")
        return "slow-once-1"


def _slow_once_callback(request):
    """A signature callback that hangs the first time, after the PDF is signed but before the commit."""
    work_dir = Path(os.environ["EGOV_TEST_WORK_DIR"])
    marker = work_dir / "first-signing.pid"
    if not marker.exists():
        marker.write_text(str(os.getpid()))
        time.sleep(120)


def _register_signature_callback():
    from signatures.callbacks import register as register_callback

    register_callback("test.slow_once")(_slow_once_callback)


_register_signature_callback()
