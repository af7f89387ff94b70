"""The Celery application: configuration lives in settings (CELERY_*), tasks in each app's tasks.py."""

import gc
import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings.base")

app = Celery("egov")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _freeze_startup_objects(**kwargs):
    # Everything imported so far lives as long as the process: keep it out of the garbage collector's
    # scans, which otherwise take a large share of a signature (pyHanko and fontTools allocate a lot).
    gc.freeze()
