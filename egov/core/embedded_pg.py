"""The embedded PostgreSQL used when DATABASE_URL is unset (a fresh laptop, `make run`).

pgserver ships PostgreSQL binaries in a wheel; the server is started once per data directory and
shared by every process that asks for it (runserver, its autoreloader, manage.py, pytest).
"""

import logging
import os
from pathlib import Path


def embedded_database(data_dir: Path) -> dict:
    """Start (or join) the embedded server; return Django's DATABASES entry for it."""
    import pgserver  # only when no DATABASE_URL is configured

    # pgserver logs every pg_ctl call at INFO, the last one from atexit after streams are closed.
    logging.getLogger("pgserver").setLevel(logging.WARNING)
    data_dir.mkdir(parents=True, exist_ok=True)
    # "stop": the server stops when the last process that uses it exits, so nothing lingers.
    server = pgserver.get_server(str(data_dir), cleanup_mode=os.environ.get("EGOV_EMBEDDED_PG_CLEANUP", "stop"))
    # The URI is "postgresql://postgres:@/postgres?host=<socket directory>".
    socket_dir = server.get_uri().split("host=", 1)[1]
    return {"ENGINE": "django.db.backends.postgresql", "NAME": "postgres", "USER": "postgres", "HOST": socket_dir}
