from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
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


# What a signed-in firm may open: its account, the code pages, the portal and signing out.
_FIRM_ROUTES = frozenset(
    {
        "accounts:login",
        "accounts:logout",
        "firms:code_entry",
        "firms:visit",
        "firms:rate",
        "firms:recusal_request",
        "firms:firm",
        "firms:credit_repair",
        "firms:account",
        "firms:account_register",
        "firms:account_credit_repair",
        "firms:account_rate",
        "firms:account_recusal",
        "set_language",
    }
)
_FIRM_PREFIXES = ("/public/", "/api/public/")


class FirmAreaMiddleware:
    """A firm's account sees its own page and what the public sees, never an internal page:
    one allow-list here, so a new internal view is closed to firms without a check of its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.is_firm and not self._open_to_firms(request.path_info):
            if request.path_info == "/":
                return redirect("firms:account")
            raise PermissionDenied
        return self.get_response(request)

    @staticmethod
    def _open_to_firms(path: str) -> bool:
        static = "/" + settings.STATIC_URL.lstrip("/")
        if path.startswith((*_FIRM_PREFIXES, static)):
            return True
        try:
            match = resolve(path)
        except Resolver404:
            return True  # a 404 either way
        return match.view_name in _FIRM_ROUTES
