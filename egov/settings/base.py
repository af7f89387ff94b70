"""Settings of the provincial e-government portal.

Everything comes from the environment (12-factor); every variable is documented in the README.
Defaults are safe for production (DEBUG off, secure cookies, HSTS); `make run` sets `DEBUG=1`.
"""

import os
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

# Read directly: django-environ treats a value starting with "$" as a reference to another variable,
# and Django's generated keys may start with one.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set the SECRET_KEY environment variable (required unless DEBUG=1).")
    SECRET_KEY = "dev-only-insecure-key-change-me-0123456789abcdef"  # noqa: S105  (development only)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# A refused form token gets a page in the visitor's language (Django's own is English, for developers).
CSRF_FAILURE_VIEW = "egov.core.views.csrf_failure"

# --- applications -------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_fsm",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # the shared kernel
    "egov.core",
    "egov.accounts",
    "egov.agencies",
    "egov.workdays",
    "egov.audit",
    "egov.notifications",
    # domain apps
    "signatures",
    "one_stop",
    "one_stop.tickets",
    "public_services",
    "public_services.payments",
    "docs_office",
    "portal",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "egov.core.middleware.ContentSecurityPolicyMiddleware",
    "egov.core.middleware.RequestSizeLimitMiddleware",
    "egov.core.middleware.NulCharacterMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "egov.core.middleware.ChosenLanguageMiddleware",  # Vietnamese unless the visitor chose another
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "egov.accounts.middleware.AuthenticationMiddleware",
    "egov.accounts.middleware.OTPMiddleware",
    "egov.accounts.middleware.TwoFactorRequiredMiddleware",
    "egov.audit.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "egov.core.middleware.MethodNotAllowedPageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout raised by its backend into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "egov.urls"
WSGI_APPLICATION = "egov.wsgi.application"
ASGI_APPLICATION = "egov.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "egov.core.context_processors.portal",
                "signatures.context_processors.signing_menu",
            ],
        },
    },
]

# --- database -----------------------------------------------------------------------------------
# Without DATABASE_URL an embedded PostgreSQL (pgserver, data in .data/pg) starts on first use, so a
# fresh laptop needs no database server. Never SQLite: the project relies on PostgreSQL triggers.
DATABASE_URL = env.str("DATABASE_URL", default="")
if DATABASE_URL:
    DATABASES = {"default": env.db_url_config(DATABASE_URL)}
else:
    from egov.core.embedded_pg import embedded_database

    DATABASES = {"default": embedded_database(BASE_DIR / ".data" / "pg")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# No JIT compilation: it pays off on long analytic scans, while here it costs tens of milliseconds on any
# statement whose estimate passes jit_above_cost — e.g. a word search's branches that never run (selectors).
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- auth ---------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First, as django-axes requires: it refuses a locked-out username+IP before any lookup.
    "axes.backends.AxesStandaloneBackend",
    "egov.accounts.backends.IdentifierBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    # The citizen's own identifiers too: a password equal to one's name or ID number is the first guess.
    {"NAME": "egov.accounts.password_validation.ClosestAttributeSimilarityValidator",
     "OPTIONS": {"user_attributes": ["username", "full_name", "email", "national_id", "phone"]}},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# django-axes: lock the (username, IP) pair, never the IP alone — a mobile carrier puts thousands of
# citizens behind one address — and let the lock expire by itself.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_WHITELIST_CALLABLE = "egov.accounts.backends.axes_not_a_password_guess"
# One counter per account, however its identifier is spelled (phone as +84…, e-mail in capitals, the ID number).
AXES_USERNAME_CALLABLE = "egov.accounts.backends.axes_username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# Citizen accounts (egov.accounts.citizens): one-time codes for sign-up, password reset and contact changes.
EGOV_CODE_TTL_MINUTES = env.int("EGOV_CODE_TTL_MINUTES", default=10)
EGOV_CODE_MAX_ATTEMPTS = env.int("EGOV_CODE_MAX_ATTEMPTS", default=5)
EGOV_CODE_RESEND_SECONDS = env.int("EGOV_CODE_RESEND_SECONDS", default=60)
EGOV_CODE_MAX_SENDS = env.int("EGOV_CODE_MAX_SENDS", default=5)
EGOV_SIGNUP_PER_IP_PER_HOUR = env.int("EGOV_SIGNUP_PER_IP_PER_HOUR", default=20)
EGOV_PASSWORD_RESET_PER_IP_PER_HOUR = env.int("EGOV_PASSWORD_RESET_PER_IP_PER_HOUR", default=20)
EGOV_PASSWORD_RESET_PER_ACCOUNT_PER_HOUR = env.int("EGOV_PASSWORD_RESET_PER_ACCOUNT_PER_HOUR", default=3)

# OpenID Connect sign-in through the national identity provider (VNeID), off unless OIDC_ENABLED=1.
OIDC_ENABLED = env.bool("OIDC_ENABLED", default=False)
OIDC_PROVIDER_NAME = env.str("OIDC_PROVIDER_NAME", default="VNeID")
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="")
OIDC_OP_ISSUER = env.str("OIDC_OP_ISSUER", default="")  # when set, the id_token's "iss" must equal it
OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = env.str("OIDC_RP_SCOPES", default="openid profile")
OIDC_CITIZEN_ID_CLAIM = env.str("OIDC_CITIZEN_ID_CLAIM", default="citizen_id")  # the 12-digit ID number
OIDC_USE_PKCE = env.bool("OIDC_USE_PKCE", default=True)
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT", default=10)
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
if OIDC_ENABLED:
    _missing = [name for name in ("OIDC_RP_CLIENT_ID", "OIDC_RP_CLIENT_SECRET", "OIDC_OP_AUTHORIZATION_ENDPOINT",
                                  "OIDC_OP_TOKEN_ENDPOINT", "OIDC_OP_USER_ENDPOINT", "OIDC_OP_JWKS_ENDPOINT")
                if not globals()[name]]
    if _missing:
        raise ImproperlyConfigured(f"OIDC_ENABLED=1 needs {', '.join(_missing)}.")
    AUTHENTICATION_BACKENDS.append("egov.accounts.oidc.CitizenOIDCBackend")

# Roles that must pass a TOTP second factor before any page (the admin included).
EGOV_TWO_FACTOR_ROLES = ["leader", "records_clerk", "agency_admin", "system_admin"]
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Cổng Chính quyền điện tử")
# The admin never shows a user's secrets: no TOTP key or QR code of an enrolled app, no backup codes. A user who lost
# their phone is reset ("Đặt lại xác thực hai lớp") and enrols again.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# --- i18n ---------------------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
# Each named in itself, as the footer's switch and the profile's choice show them (Django's own LANG_INFO writes
# "Tiếng Việt" with combining marks): never translated.
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Typed dates are day first in either language (egov/formats): Django's defaults read "05/06/2026" as 6 May.
FORMAT_MODULE_PATH = ["egov.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- static and media ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads live outside the web root and are served only through views that check permission:
# MEDIA_URL is deliberately not routed.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / ".data" / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env.bool("EGOV_TESTING", default=False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
if env.str("AWS_STORAGE_BUCKET_NAME", default=""):
    # S3-compatible storage (MinIO, Viettel/VNPT object storage): needs django-storages[s3].
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=None),
            "access_key": env.str("AWS_ACCESS_KEY_ID", default=None),
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default=None),
            "default_acl": "private",
            "querystring_auth": True,
        },
    }

# Uploads: Django caps no total; per-file and per-request limits are ours (egov.core.uploads and
# RequestSizeLimitMiddleware). Set the reverse proxy's body limit (nginx client_max_body_size) to
# EGOV_MAX_REQUEST_MB too.
EGOV_MAX_UPLOAD_MB = env.int("EGOV_MAX_UPLOAD_MB", default=20)
EGOV_MAX_REQUEST_MB = env.int("EGOV_MAX_REQUEST_MB", default=100)
# A procedure's blank form (mẫu đơn, tờ khai): a few pages of Word or PDF; anything larger is a scan by mistake.
EGOV_MAX_FORM_TEMPLATE_MB = env.int("EGOV_MAX_FORM_TEMPLATE_MB", default=10)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = env.int("EGOV_MAX_UPLOAD_FILES", default=30)

# --- email and SMS ------------------------------------------------------------------------------
# EMAIL_URL: consolemail:// (dev default), filemail:///path, smtp+tls://user:pass@host:587
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = EMAIL_CONFIG["EMAIL_BACKEND"]
EMAIL_HOST = EMAIL_CONFIG.get("EMAIL_HOST", "localhost")
EMAIL_PORT = EMAIL_CONFIG.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = EMAIL_CONFIG.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = EMAIL_CONFIG.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = EMAIL_CONFIG.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = EMAIL_CONFIG.get("EMAIL_USE_SSL", False)
EMAIL_FILE_PATH = EMAIL_CONFIG.get("EMAIL_FILE_PATH", str(BASE_DIR / ".data" / "mail"))
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Cổng Chính quyền điện tử <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EGOV_SMS_PROVIDER = env.str("EGOV_SMS_PROVIDER", default="logging")
EGOV_NOTIFICATION_MAX_ATTEMPTS = env.int("EGOV_NOTIFICATION_MAX_ATTEMPTS", default=5)

# --- Redis, cache and Celery --------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "egov.core.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions live in PostgreSQL, and a signed-in page reads its session and its user in one statement
# (egov.accounts.sessions): one round trip, where a session in Redis took two (Redis, then the user).
SESSION_ENGINE = "egov.accounts.sessions"

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
# Without Redis (a laptop's `make run`) tasks run in-process, right after the commit that queued them.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = env.bool("CELERY_TASK_EAGER_PROPAGATES", default=False)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# A killed worker's task is redelivered only with both of these.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Longer than the longest task (the hard time limit), or Redis hands a running task to a second
    # worker.
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=2 * 60 * 60),
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
# Publishing happens from the outbox relay, which retries on its own schedule; a web request must
# never hang on a broker that is down.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES = [Queue(name) for name in ("default", "pdf", "signing", "notifications")]
CELERY_TASK_ROUTES = {
    "signatures.*": {"queue": "signing"},
    "pdf.*": {"queue": "pdf"},
    "notifications.*": {"queue": "notifications"},
}
CELERY_BEAT_SCHEDULE = {
    "outbox-relay": {
        "task": "core.outbox_relay",
        "schedule": env.float("EGOV_OUTBOX_RELAY_SECONDS", default=10.0),
    },
    # Every working morning the handlers see what falls due within two working days. The morning reminders are beaten
    # every day: each sends only on a working day by the calendar (a make-up Saturday or Sunday yes, an ordinary
    # weekend or a Tết weekday no) and once a day (egov.notifications.services.reminder_run_claim).
    "one-stop-remind-due": {
        "task": "one_stop.remind_due",
        "schedule": crontab(hour=7, minute=0),
    },
    # Sessions live in PostgreSQL (egov.accounts.sessions): the expired ones are deleted nightly.
    "accounts-clear-expired-sessions": {"task": "accounts.clear_expired_sessions", "schedule": crontab(hour=2, minute=30)},
    # The queues' change rows: only the newest of each queue is needed (one_stop.models.queue).
    "one-stop-prune-queue-changes": {"task": "one_stop.prune_queue_changes", "schedule": crontab(hour=2, minute=40)},
    # Likewise the incoming documents' (docs_office.models.changes).
    "docs-office-prune-incoming-changes": {"task": "docs_office.prune_incoming_changes",
                                           "schedule": crontab(hour=2, minute=45)},
    # Citizens' requests about their personal data due within a day or late, to the operator (egov.accounts).
    "accounts-remind-data-requests": {"task": "accounts.remind_data_requests",
                                      "schedule": crontab(hour=7, minute=10)},
    # eOffice: every working morning each handler sees the documents due within 3 days or overdue.
    "docs-office-remind-due": {
        "task": "docs_office.remind_due",
        "schedule": crontab(hour=7, minute=5),
    },
    "notifications-retry-due": {
        "task": "notifications.retry_due",
        "schedule": 60.0,
    },    # Pending online payments past their 15 minutes become expired (payments app).
    "payments-expire-overdue": {
        "task": "payments.expire_overdue",
        "schedule": 60.0,
    },
    # Statistics: yesterday's roll-up after midnight; each agency's monthly report on the 1st.
    "reports-rollup-recent": {"task": "reports.rollup_recent", "schedule": crontab(hour=0, minute=20)},
    "reports-monthly": {"task": "reports.monthly_reports_dispatch", "schedule": crontab(day_of_month=1, hour=6, minute=0)},
}
# Seconds the statistics pages keep computed figures (0: always fresh).
EGOV_REPORTS_CACHE_SECONDS = env.int("EGOV_REPORTS_CACHE_SECONDS", default=60)
# The public statistics show satisfaction and the average rating only for a cell of at least this many ratings:
# with one, a day's figure would be one applicant's rating (the public lookup tells who was rated and when).
EGOV_STATS_MIN_RATINGS = env.int("EGOV_STATS_MIN_RATINGS", default=5)

# --- REST API -----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "egov.accounts.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "egov.core.api.exception_handler",
    # How many reverse proxies of ours append to X-Forwarded-For; DRF's throttles count the address the
    # nearest one saw. 0: REMOTE_ADDR only — the header is the client's to forge, and unset (None) would
    # have let anyone escape the lookup throttle with a made-up address per request.
    "NUM_PROXIES": env.int("EGOV_NUM_PROXIES", default=0),
}
EGOV_NUM_PROXIES = REST_FRAMEWORK["NUM_PROXIES"]
# The public lookup's per-address limit (one_stop.api.views.LookupThrottle); the desk benchmark raises it.
EGOV_LOOKUP_THROTTLE = env.str("EGOV_LOOKUP_THROTTLE", default="60/min")
# The kiosk's "take a number", per client address (a kiosk issues a number every few seconds at most; kiosks behind
# one address share it), and the most numbers an area gives in a day (the slip prints three digits).
EGOV_TICKET_THROTTLE = env.str("EGOV_TICKET_THROTTLE", default="60/min")
EGOV_TICKET_DAILY_LIMIT = env.int("EGOV_TICKET_DAILY_LIMIT", default=999)
SPECTACULAR_SETTINGS = {
    "TITLE": "Cổng Chính quyền điện tử — API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI's files come from the drf-spectacular-sidecar package: no CDN at run time.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "IncomingStateEnum": "docs_office.constants.IncomingState",
        "OutgoingStateEnum": "docs_office.constants.OutgoingState",
        "DeliveryStateEnum": "docs_office.constants.DeliveryState",
    },
}

# --- audit --------------------------------------------------------------------------------------
PGHISTORY_DEFAULT_TRACKERS = None  # each model names its trackers (insert, update, delete)
PGHISTORY_ADMIN_CLASS = "egov.core.third_party_admin.EventsAdmin"  # its labels in the administrator's language
PGHISTORY_ADMIN_LIST_DISPLAY = ["pgh_created_at", "pgh_obj_model", "pgh_obj_id", "pgh_label", "pgh_diff", "pgh_context"]

# --- security -----------------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("EGOV_BEHIND_TLS_PROXY", default=True) else None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SECURE_HSTS_SECONDS = 0 if DEBUG else env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# All assets are served from our own origin (vendored, no CDN), so the policy can be strict.
EGOV_CSP = env.str(
    "EGOV_CSP",
    default=(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
        "base-uri 'self'; object-src 'none'"
    ),
)

# --- logging ------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"},
                "fontTools": {"level": "WARNING"},
                # pyHanko logs expected failures of the long-term checks with full tracebacks.
                "pyhanko.sign.validation.generic_cms": {"level": "ERROR"},
                "pyhanko.sign.validation.ades": {"level": "ERROR"}},
}

# --- digital signatures -------------------------------------------------------------------------
# Fernet keys (comma-separated; the first encrypts) that protect private keys stored in the database.
EGOV_KEY_ENCRYPTION_KEYS = env.list("EGOV_KEY_ENCRYPTION_KEYS", default=[])
EGOV_TESTING = env.bool("EGOV_TESTING", default=False)
# RFC 3161 timestamp authority: signatures reach PAdES B-T and beyond only when it is set.
EGOV_TSA_URL = env.str("EGOV_TSA_URL", default="")
# PKCS#11 module for HSM-held keys (SoftHSM2 in development: /usr/lib/softhsm/libsofthsm2.so).
EGOV_PKCS11_MODULE = env.str("EGOV_PKCS11_MODULE", default="")
# The remote signing service (a stand-in runs inside the project for development and tests).
EGOV_REMOTE_SIGNING_URL = env.str("EGOV_REMOTE_SIGNING_URL", default="")
# Bearer token the portal presents to the remote signing service (no default: a secret).
EGOV_REMOTE_SIGNING_TOKEN = env.str("EGOV_REMOTE_SIGNING_TOKEN", default="")
# Which client speaks to the service (signatures.remote.client registry); "http" is the stand-in's protocol.
EGOV_REMOTE_SIGNING_PROVIDER = env.str("EGOV_REMOTE_SIGNING_PROVIDER", default="http")
# Where the service notifies an approval or refusal (…/dich-vu-ky-so-tu-xa/thong-bao/); empty: polling only.
EGOV_REMOTE_SIGNING_CALLBACK_URL = env.str("EGOV_REMOTE_SIGNING_CALLBACK_URL", default="")
# How long the signer has to approve in the phone app before the request is marked failed.
EGOV_REMOTE_SIGNING_APPROVAL_MINUTES = env.int("EGOV_REMOTE_SIGNING_APPROVAL_MINUTES", default=15)
if DEBUG and not EGOV_REMOTE_SIGNING_URL:
    # Development: the stand-in served by the portal itself (make run). Without a worker nothing polls,
    # so the stand-in's notification is what finishes the signature.
    EGOV_REMOTE_SIGNING_URL = "http://127.0.0.1:8000/dich-vu-ky-so-tu-xa"
    EGOV_REMOTE_SIGNING_CALLBACK_URL = EGOV_REMOTE_SIGNING_CALLBACK_URL or f"{EGOV_REMOTE_SIGNING_URL}/thong-bao/"
# Where the demo PKI lives (manage.py demo_pki); its root becomes a trust anchor in development.
EGOV_DEMO_PKI_DIR = Path(env.str("EGOV_DEMO_PKI_DIR", default=str(BASE_DIR / ".data" / "pki")))
EGOV_DEMO_PKI_PORT = env.int("EGOV_DEMO_PKI_PORT", default=9100)
# seed_demo loads the national portal's 2,368 raw procedure pages too (about ten seconds, first run only).
EGOV_DEMO_RAW_CATALOGUE = env.bool("EGOV_DEMO_RAW_CATALOGUE", default=True)
if DEBUG and not EGOV_TSA_URL:
    # Development: the demo PKI's timestamp authority, served by `manage.py demo_pki_serve` (make run).
    EGOV_TSA_URL = f"http://127.0.0.1:{EGOV_DEMO_PKI_PORT}/demo/tsa/demo"

# --- the province this deployment serves --------------------------------------------------------
# Working days a competent agency has to answer a feedback or petition (portal.services.feedback says why 10).
EGOV_FEEDBACK_ANSWER_DAYS = env.int("EGOV_FEEDBACK_ANSWER_DAYS", default=10)
EGOV_PORTAL_NAME = env.str("EGOV_PORTAL_NAME", default="Cổng Chính quyền điện tử tỉnh Lạng Sơn")
# The same name for visitors who chose English (the header, the footer and every page's title). The
# default name has its English one; a deployment naming its portal gives its English name too, else the
# Vietnamese name is shown in both languages.
EGOV_PORTAL_NAME_EN = env.str("EGOV_PORTAL_NAME_EN", default="" if "EGOV_PORTAL_NAME" in os.environ
                              else "Lạng Sơn Provincial e-Government Portal")
# Whom citizens write to about their personal data (the notice at /tai-khoan/thong-bao-xu-ly-du-lieu-ca-nhan/):
# the operating agency's address for requests to access, correct or delete data, and complaints.
EGOV_DATA_PROTECTION_CONTACT = env.str("EGOV_DATA_PROTECTION_CONTACT", default="dulieucanhan@localhost")
# A citizen's request about their data (egov.accounts.data_requests), Decree 356/2025/NĐ-CP: responded to within 2
# working days, carried out within 15 days, extended once by at most 15 days.
EGOV_PERSONAL_DATA_RESPONSE_WORKING_DAYS = env.int("EGOV_PERSONAL_DATA_RESPONSE_WORKING_DAYS", default=2)
EGOV_PERSONAL_DATA_REQUEST_DAYS = env.int("EGOV_PERSONAL_DATA_REQUEST_DAYS", default=15)
EGOV_PERSONAL_DATA_EXTENSION_DAYS = env.int("EGOV_PERSONAL_DATA_EXTENSION_DAYS", default=15)
# Services are "required" in CI: a test that needs Redis or a worker fails instead of skipping.
EGOV_REQUIRE_SERVICES = env.bool("EGOV_REQUIRE_SERVICES", default=False)

# --- online payment (public_services.payments) ---------------------------------------------------
# The provider in use (payments.providers registry) and its merchant credentials from the gateway.
EGOV_PAYMENT_PROVIDER = env.str("EGOV_PAYMENT_PROVIDER", default="vnpay")
EGOV_VNPAY_TMN_CODE = env.str("EGOV_VNPAY_TMN_CODE", default="")
EGOV_VNPAY_HASH_SECRET = os.environ.get("EGOV_VNPAY_HASH_SECRET", "")  # a secret: no default in production
# The gateway's payment page; empty: the sandbox served by this portal (only where the sandbox is enabled).
EGOV_VNPAY_URL = env.str("EGOV_VNPAY_URL", default="")
EGOV_PAYMENT_EXPIRY_MINUTES = env.int("EGOV_PAYMENT_EXPIRY_MINUTES", default=15)
# The sandbox gateway at /thanh-toan/cong-thu-nghiem/: on in development and tests, never by default in production
# nor beside a real gateway. It signs "paid" with the merchant's secret for anyone who asks, so it may only run
# with DEBUG or the test settings and without EGOV_VNPAY_URL: set otherwise, the system check
# fails (egov.E001) and the sandbox answers 404 (public_services.payments.sandbox.gateway.sandbox_refusal).
EGOV_PAYMENT_SANDBOX = env.bool("EGOV_PAYMENT_SANDBOX", default=(DEBUG or EGOV_TESTING) and not EGOV_VNPAY_URL)
# Where the sandbox sends its IPN; empty: this portal's /thanh-toan/ipn/ on the host the browser used.
EGOV_PAYMENT_SANDBOX_IPN_URL = env.str("EGOV_PAYMENT_SANDBOX_IPN_URL", default="")
# The sandbox's own credentials only where it may run: never a known secret in production.
if EGOV_PAYMENT_SANDBOX and not EGOV_VNPAY_URL and (DEBUG or EGOV_TESTING):
    EGOV_VNPAY_TMN_CODE = EGOV_VNPAY_TMN_CODE or "EGOVSBX1"
    EGOV_VNPAY_HASH_SECRET = EGOV_VNPAY_HASH_SECRET or "sandbox-only-hash-secret-not-for-production"  # noqa: S105
