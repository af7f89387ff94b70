# One image for every process of the portal: web (gunicorn), Celery worker, Celery beat, migrations.
# Configuration comes from the environment at run time (see egov/settings/base.py and docker-compose.yml);
# nothing secret is baked into the image.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=egov.settings.base \
    MEDIA_ROOT=/data/media

# fonts-liberation2: Liberation 2 has every Vietnamese letter (Debian's fonts-liberation 1.07 lacks 92 of
# the 134) and is the fastest serif for WeasyPrint. Pango and HarfBuzz are WeasyPrint's native libraries.
RUN apt-get update \
    && apt-get install --yes --no-install-recommends \
        fonts-liberation2 \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
    && rm -rf /var/lib/apt/lists/*

# The processes run as an unprivileged user; the code stays owned by root, so they cannot change it.
RUN useradd --system --uid 10001 --user-group --create-home --home-dir /home/egov --shell /usr/sbin/nologin egov

WORKDIR /app

# Dependencies first: this layer is rebuilt only when requirements.txt changes.
COPY requirements.txt ./
RUN pip install --requirement requirements.txt

COPY . .

# Static files are collected (and hashed by whitenoise's manifest storage) at build time. The settings
# need a SECRET_KEY and a DATABASE_URL to load; these dummies exist only for this command (no database is
# contacted) and are not kept in the image's environment.
RUN DEBUG=0 \
    SECRET_KEY=build-time-only-dummy-key-never-used-to-sign-anything \
    DATABASE_URL=postgres://build@127.0.0.1:1/unused \
    python manage.py collectstatic --noinput \
    && python -m compileall -q /app \
    && install --directory --owner=egov --group=egov --mode=0750 /data/media

USER egov

EXPOSE 8000

# Workers: WEB_CONCURRENCY (read by egov/gunicorn_conf.py), default 2.
# egov/gunicorn_conf.py warms WeasyPrint in each worker, so the first receipt is as fast as the next.
CMD ["gunicorn", "egov.wsgi:application", "-c", "egov/gunicorn_conf.py", "--bind=0.0.0.0:8000", "--access-logfile=-"]
