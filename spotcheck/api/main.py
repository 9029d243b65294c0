"""The REST API (django-ninja): OpenAPI at /api/docs and /api/openapi.json."""

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError

from .auth import API_AUTH
from .directory import router as directory_router
from .draws import router as draws_router
from .inspections import router as inspections_router
from .plans import router as plans_router
from .public import router as public_router
from .publication import router as publication_router

api = NinjaAPI(
    title="Spotcheck API",
    version="1",
    description="双随机、一公开 market supervision: directories, tasks, joint checks and draws. "
    "Every endpoint is scoped to the caller's department; the coordinating office sees all.",
    auth=API_AUTH,
    urls_namespace="api",
)
api.add_router("/entities", directory_router, tags=["directory"])
api.add_router("/", plans_router, tags=["plans"])
api.add_router("/batches", draws_router, tags=["draws"])
api.add_router("/inspections", inspections_router, tags=["inspections"])
api.add_router("/public", public_router, tags=["public"])
api.add_router("/publication", publication_router, tags=["publication"])


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    code = next((e.code for e in exc.error_list if e.code), "invalid")
    return api.create_response(request, {"code": str(code), "messages": exc.messages}, status=422)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(
        request, {"code": "forbidden", "messages": ["无权执行此操作"]}, status=403
    )


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc: AuthenticationError):
    message = exc.message if exc.message != "Unauthorized" else "需要登录或有效的API令牌"
    return api.create_response(request, {"code": "unauthorized", "messages": [message]}, status=401)


@api.exception_handler(AuthorizationError)
def unauthorized(request, exc: AuthorizationError):
    return api.create_response(
        request, {"code": "forbidden", "messages": [exc.message]}, status=403
    )
