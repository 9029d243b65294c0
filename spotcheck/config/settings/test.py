"""Test settings: fast hashing, same database engine as DATABASE_URL says."""

from .base import *  # noqa: F403

SECRET_KEY = "insecure-test-key"

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEBUG = False
# Serve static files straight from the apps, so browser tests need no collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Live-server threads would keep connections to the test database open past its teardown.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# Test processes run threads (xdist, live server); forking from them is unsafe.
SPOTCHECK_DRAW_WORKERS = 1
# Each test process keeps its own cache (import progress); no files shared between workers.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Most tests sign personas in with force_login; the second factor is tested on its own
# (tests/accounts/test_second_factor.py turns it back on).
SPOTCHECK_OFFICE_OTP_REQUIRED = False
