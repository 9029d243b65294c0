from django.middleware.locale import LocaleMiddleware
from django.utils.cache import add_never_cache_headers


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Chinese unless the user chose otherwise (language cookie); the browser's
    Accept-Language is ignored, since regulators' machines often ship with English defaults."""

    def process_request(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)


class NoStoreForSignedInMiddleware:
    """Pages seen signed in carry personal or internal data: no cache may keep them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Checked after the view: the API sets request.user from a bearer token inside it.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
