from django.http import HttpResponseBadRequest, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _


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


class RejectNulBytesMiddleware:
    """A NUL byte (raw or %00) in the path, the query or a form field is refused with 400.

    PostgreSQL cannot store or compare a string holding NUL, so such a value reaching a query
    would be a 500 on any page, anonymous ones included; no legitimate request carries one.
    Pages get a Chinese message, /api/ the API's error shape."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _holds_nul(request):
            return _nul_refused(request)
        return self.get_response(request)


def _holds_nul(request) -> bool:
    if "\x00" in request.path_info or "%00" in request.META.get("QUERY_STRING", ""):
        return True
    if any("\x00" in value for values in request.GET.lists() for value in values[1]):
        return True
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        return any(
            "\x00" in key or "\x00" in value
            for key, values in request.POST.lists()
            for value in values
        )
    return False


def _nul_refused(request):
    message = _("请求中含有空字符（NUL），已拒绝。请检查输入的网址或表单内容。")
    if request.path_info.startswith("/api/"):
        return JsonResponse({"code": "nul_byte", "messages": [message]}, status=400)
    return HttpResponseBadRequest(
        f"<!doctype html><meta charset=utf-8><title>{_('请求无效')}</title><p>{message}</p>",
        content_type="text/html; charset=utf-8",
    )
