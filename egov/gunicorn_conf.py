"""gunicorn settings of the web process: the Dockerfile, docker-compose.yml and the desk benchmark
(bench/desk.py) all start it with `gunicorn -c egov/gunicorn_conf.py egov.wsgi:application`.

Each worker renders a one-line PDF before taking requests, so WeasyPrint is imported and its fonts
loaded before the first receipt: a receipt must be ready within 300 ms of the clerk's click. Command-line
options (--bind, --access-logfile) override what is set here.
"""

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


def warm_up() -> None:
    from django.template.loader import get_template
    from django.urls import get_resolver

    from egov.core.pdf import pdf_warm_up

    get_resolver().reverse_dict  # noqa: B018  (builds the URL patterns' reverse index, as reverse() would)
    get_template("one_stop/pdf/receipt.html")
    import one_stop.pdf.receipt  # noqa: F401
    import one_stop.services.receipts  # noqa: F401

    pdf_warm_up()
