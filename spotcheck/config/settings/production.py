"""Production settings, the default of `spotcheck` and the WSGI app.

Secrets and hosts must come from the environment (docs/deploy.md lists them); there is no
fallback, so a forgotten variable stops the start instead of running with a demo key.
"""

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
DEBUG = False

# HTTPS only: redirect plain HTTP, tell browsers to never use it again (HSTS), secure cookies.
SECURE_SSL_REDIRECT = True
# Probes from the load balancer and systemd come over plain HTTP on the host itself.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env.int("HSTS_SECONDS", default=365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# TLS ends at the reverse proxy, which says so in X-Forwarded-Proto (set TLS_PROXY=false when
# gunicorn itself serves HTTPS, or anyone could claim HTTPS with that header).
if env.bool("TLS_PROXY", default=True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
