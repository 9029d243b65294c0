"""Who calls the API: a bearer token (with its scope) or a browser session (with CSRF)."""

from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, AuthorizationError
from ninja.security import HttpBearer, django_auth

from spotcheck.accounts.models import TokenScope
from spotcheck.accounts.tokens import token_for_key

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        found = token_for_key(token)
        if found is None:
            # A bad token is the answer, never a fall-through to the session (and its CSRF 403).
            raise AuthenticationError(message=_("API令牌无效、已过期或已吊销"))
        if found.scope == TokenScope.READ and request.method not in READ_METHODS:
            raise AuthorizationError(message=_("只读令牌不能执行写操作"))
        request.user = found.user
        return found.user


# A browser session (with CSRF) or an `Authorization: Bearer <token>` header.
API_AUTH = [TokenAuth(), django_auth]
