import hashlib
import secrets

from django.utils import timezone

from .models import ApiToken


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def api_token_create(*, user, label: str) -> str:
    """Returns the token once; the database keeps only its hash."""
    token = "sc_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, label=label, key_hash=_digest(token))
    return token


def user_for_token(token: str):
    found = (
        ApiToken.objects.select_related("user", "user__department")
        .filter(key_hash=_digest(token), user__is_active=True)
        .first()
    )
    if found is None:
        return None
    ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
    return found.user
