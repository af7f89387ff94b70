"""Test settings: the base settings with what a test run needs (fast hashing, local email)."""

import os

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("EGOV_TESTING", "1")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from egov.settings.base import *  # noqa: E402,F403  (settings modules are the one place for this)

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if not os.environ.get("EMAIL_URL"):  # the real worker of the integration tests writes mail to files
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SECURE_SSL_REDIRECT = False
# Unit tests run tasks in-process; the real worker started by the integration tests turns this off.
CELERY_TASK_ALWAYS_EAGER = os.environ.get("EGOV_TEST_CELERY_EAGER", "1") == "1"
CELERY_TASK_EAGER_PROPAGATES = False
AXES_FAILURE_LIMIT = 3
# The full raw catalogue takes ~10 s to import: tests that want it ask for it.
EGOV_DEMO_RAW_CATALOGUE = False
