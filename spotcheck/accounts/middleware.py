from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .otp import otp_required

# Where an office admin who has not yet entered the code may still go, besides signing in
# and out and the code page itself.
_OPEN_PREFIXES = ("/i18n/", "/public/")


class OfficeSecondFactorMiddleware:
    """Office admins see every department: after the password they must give a TOTP code."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if otp_required(request.user) and not request.user.is_verified() and self._guarded(request):
            target = (
                reverse("accounts:otp")
                + "?"
                + urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
            )
            return redirect(target)
        return self.get_response(request)

    @staticmethod
    def _guarded(request) -> bool:
        path = request.path
        own = (reverse("accounts:login"), reverse("accounts:logout"), reverse("accounts:otp"))
        static = "/" + settings.STATIC_URL.lstrip("/")
        if path in own or path.startswith((*_OPEN_PREFIXES, static)):
            return False
        # A bearer token is its own credential; the session plays no part in that request.
        return not (path.startswith("/api/") and "HTTP_AUTHORIZATION" in request.META)
