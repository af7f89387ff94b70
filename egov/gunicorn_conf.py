"""gunicorn settings of the web process: the Dockerfile, docker-compose.yml and the desk benchmark
(bench/desk.py) all start it with `gunicorn -c egov/gunicorn_conf.py egov.wsgi:application`.

Each worker renders a one-line PDF before taking requests, so WeasyPrint is imported and its fonts
loaded before the first receipt: a receipt must be ready within 300 ms of the clerk's click. Then what the
worker has loaded is frozen out of the garbage collector's sight (`gc.freeze`): its full collections, one
in about ten receipts, walked Django's, WeasyPrint's and the fonts' two hundred thousand objects — 70 to
120 ms added to that receipt, the whole of the p95's excess — and walk only the request's own since
(10 to 20 ms). Command-line options (--bind, --access-logfile) override what is set here.
"""

import gc
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "sync"
accesslog = None
# The receipt PDF takes a few hundred milliseconds; nothing else comes near this.
timeout = 30


def post_worker_init(worker):
    """Runs in each worker once Django is loaded: pay every first-use cost before the first click."""
    warm_up()
    gc_freeze_loaded()


def gc_freeze_loaded() -> None:
    """Collect once, then move every object still alive — modules, templates, fonts, caches warmed so far — to
    the permanent generation, which collections never examine (they are never garbage: loaded for the worker's
    life). Objects created later are collected as before."""
    gc.collect()
    gc.freeze()


def warm_up() -> None:
    from django.template.loader import get_template
    from django.urls import get_resolver

    from egov.core.pdf import pdf_warm_up

    get_resolver().reverse_dict  # noqa: B018  (builds the URL patterns' reverse index, as reverse() would)
    get_template("one_stop/pdf/receipt.html")
    import one_stop.pdf.receipt  # noqa: F401
    import one_stop.services.receipts  # noqa: F401

    pdf_warm_up()
