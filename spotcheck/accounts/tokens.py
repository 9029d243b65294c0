"""API tokens: created, listed and revoked here; every creation and revocation is audited."""

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.services import audit_event_record

from .models import ApiToken, Role, TokenScope

DEFAULT_DAYS = 90
MAX_DAYS = 366


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *,
    user,
    label: str,
    scope: str = TokenScope.WRITE,
    days: int = DEFAULT_DAYS,
    actor=None,
) -> str:
    """Returns the token once; the database keeps only its hash."""
    if scope not in TokenScope.values:
        raise ValueError(f"unknown scope {scope!r}")
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"a token lives 1 to {MAX_DAYS} days")
    token = "sc_" + secrets.token_urlsafe(32)
    created = ApiToken.objects.create(
        user=user,
        label=label,
        key_hash=_digest(token),
        scope=scope,
        expires_at=timezone.now() + timedelta(days=days),
    )
    audit_event_record(
        event_type=AuditEventType.API_TOKEN_CREATED,
        actor=actor or user,
        department=user.department,
        target=created,
        extra={"user": user.username, "label": label, "scope": scope, "days": days},
    )
    return token


def api_token_may_revoke(actor, token: ApiToken) -> bool:
    return actor.is_office or token.user_id == actor.pk


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """The owner or the office revokes a token; it stops working at once."""
    if not api_token_may_revoke(actor, token):
        raise PermissionDenied
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked_at", "revoked_by"])
        audit_event_record(
            event_type=AuditEventType.API_TOKEN_REVOKED,
            actor=actor,
            department=token.user.department,
            target=token,
            extra={"user": token.user.username, "label": token.label},
        )
    return token


def api_token_list(*, user) -> QuerySet[ApiToken]:
    """The user's own tokens; the office sees everyone's."""
    tokens = ApiToken.objects.select_related("user", "user__department", "revoked_by")
    return tokens if user.is_office else tokens.filter(user=user)


def access_api_token_by_id(user, token_id: int) -> ApiToken:
    return get_object_or_404(api_token_list(user=user), pk=token_id)


def token_for_key(key: str) -> ApiToken | None:
    """The usable token with this key (active user, not revoked, not expired), or None."""
    now = timezone.now()
    found = (
        ApiToken.objects.usable(now)
        .select_related("user", "user__department")
        .filter(key_hash=_digest(key), user__is_active=True)
        .exclude(user__role=Role.FIRM)  # a firm's account reads its own page, never the API
        .first()
    )
    if found is not None:
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
    return found
