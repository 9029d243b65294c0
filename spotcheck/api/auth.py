from ninja.security import HttpBearer, django_auth

from spotcheck.accounts.tokens import user_for_token


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


# A browser session (with CSRF) or an `Authorization: Bearer <token>` header.
API_AUTH = [TokenAuth(), django_auth]
