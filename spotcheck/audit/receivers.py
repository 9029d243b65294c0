"""State changes that happen outside our services, recorded through Django's signals.

Logins happen in Django's auth views and admin changes in Django's admin, so their events
are written from the signals those send (inside the admin's own transaction).
"""

from axes.signals import user_locked_out
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from spotcheck.common.client import client_ip

from .event_types import AuditEventType
from .services import audit_event_record

_ADMIN_ACTIONS = {ADDITION: "add", CHANGE: "change", DELETION: "delete"}


def _client(request) -> dict:
    if request is None:
        return {}
    return {
        "ip": client_ip(request),
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:200],
    }


def _session_event(event_type, user, request, **extra) -> None:
    with transaction.atomic():
        audit_event_record(
            event_type=event_type,
            actor=user,
            department=getattr(user, "department", None),
            target=user,
            extra={**_client(request), **extra},
        )


@receiver(user_logged_in, dispatch_uid="audit_login")
def record_login(sender, request, user, **kwargs):
    _session_event(AuditEventType.LOGIN_SUCCEEDED, user, request)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def record_logout(sender, request, user, **kwargs):
    if user is not None:
        _session_event(AuditEventType.LOGOUT, user, request)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def record_login_failure(sender, credentials, request=None, **kwargs):
    # Django has already masked the password in `credentials`; only the name is kept.
    with transaction.atomic():
        audit_event_record(
            event_type=AuditEventType.LOGIN_FAILED,
            target_type="accounts.login",
            target_id=str(credentials.get("username", ""))[:64],
            extra=_client(request),
        )


@receiver(post_save, sender=LogEntry, dispatch_uid="audit_admin_change")
def record_admin_change(sender, instance: LogEntry, created: bool, **kwargs):
    if not created:
        return
    content_type = instance.content_type
    with transaction.atomic():
        audit_event_record(
            event_type=AuditEventType.ADMIN_CHANGED,
            actor=instance.user,
            department=instance.user.department,
            target_type=content_type.app_label + "." + content_type.model if content_type else "",
            target_id=instance.object_id or "",
            extra={
                "action": _ADMIN_ACTIONS.get(instance.action_flag, str(instance.action_flag)),
                "object": instance.object_repr,
                "changes": instance.get_change_message(),
            },
        )


@receiver(user_locked_out, dispatch_uid="audit_locked_out")
def record_lockout(sender, request, username, ip_address, **kwargs):
    with transaction.atomic():
        audit_event_record(
            event_type=AuditEventType.LOGIN_LOCKED_OUT,
            target_type="accounts.login",
            target_id=str(username or "")[:64],
            extra=_client(request),
        )
