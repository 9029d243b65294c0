"""The REST API (django-ninja): OpenAPI at /api/docs and /api/openapi.json.

Every 4xx answer has the one shape of `ErrorOut` ({"code", "messages"}), declared on every
operation (`schemas.ERRORS`): the handlers below turn ninja's and Django's own errors into it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError

from .auth import API_AUTH
from .directory import router as directory_router
from .draws import router as draws_router
from .inspections import router as inspections_router
from .inspectors import router as inspectors_router
from .items import router as items_router
from .leads import router as leads_router
from .messages import schema_error_message
from .plans import router as plans_router
from .public import router as public_router
from .publication import router as publication_router

api = NinjaAPI(
    title="Spotcheck API",
    version="1",
    description="双随机、一公开 market supervision: directories, tasks, joint checks and draws. "
    "Every endpoint is scoped to the caller's department; the coordinating office sees all. "
    "Every 4xx answer is an ErrorOut: a machine `code` and the `messages` to show.",
    auth=API_AUTH,
    urls_namespace="api",
)
api.add_router("/entities", directory_router, tags=["directory"])
api.add_router("/inspectors", inspectors_router, tags=["directory"])
api.add_router("/", items_router, tags=["items"])
api.add_router("/", plans_router, tags=["plans"])
api.add_router("/batches", draws_router, tags=["draws"])
api.add_router("/inspections", inspections_router, tags=["inspections"])
api.add_router("/leads", leads_router, tags=["inspections"])
api.add_router("/public", public_router, tags=["public"])
api.add_router("/publication", publication_router, tags=["publication"])


def _error(request, status: int, code: str, messages: list[str]):
    return api.create_response(request, {"code": code, "messages": messages}, status=status)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    code = next((e.code for e in exc.error_list if e.code), "invalid")
    return _error(request, 422, str(code), exc.messages)


@api.exception_handler(SchemaValidationError)
def schema_validation_error(request, exc: SchemaValidationError):
    """A request outside the declared bounds: one message per field, naming it
    ("name: 最多 200 个字符")."""
    by_field: dict[str, str] = {}
    for error in exc.errors:
        field = _field_name(error.get("loc", ()))
        message = schema_error_message(error)
        # Of a union's alternatives, our own validator's message explains best.
        if field not in by_field or error.get("type") == "value_error":
            by_field[field] = message
    messages = [f"{field}: {message}" if field else message for field, message in by_field.items()]
    return _error(request, 422, "invalid_input", messages)


def _field_name(location) -> str:
    """("body", "payload", "design_values", "A", "function-after[…]") → "design_values.A"."""
    parts = [str(part) for part in location]
    if parts and parts[0] in ("body", "query", "path"):
        parts = parts[1:]
    if parts and parts[0] in ("payload", "filters", "pagination"):
        parts = parts[1:]
    return ".".join(p for p in parts if "[" not in p and p not in _UNION_TAGS)


_UNION_TAGS = {"int", "str", "float", "bool", "none", "list", "dict"}


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return _error(request, 403, "forbidden", [_("无权执行此操作")])


@api.exception_handler(AuthorizationError)
def unauthorized(request, exc: AuthorizationError):
    # a read-only token on a writing operation
    return _error(request, 403, "forbidden", [exc.message])


@api.exception_handler(Http404)
def not_found(request, exc):
    # The same answer for "missing" and "another department's": no existence oracle.
    return _error(request, 404, "not_found", [_("未找到该对象")])


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc: AuthenticationError):
    # a bad, expired or revoked token says so; no credentials at all get the general message
    specific = exc.message if exc.message != "Unauthorized" else ""
    return _error(request, 401, "unauthorized", [specific or _("请提供有效的 API 令牌或先登录")])


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    if exc.status_code == 400:  # ninja's only 400: a body it cannot parse
        return _error(request, 400, "bad_request", [_("请求内容无法解析，请发送有效的 JSON")])
    if exc.status_code == 429:  # the public API's throttle
        return _error(request, 429, "throttled", [_("请求过于频繁，请稍后再试")])
    return _error(request, exc.status_code, "http_error", [str(exc)])
