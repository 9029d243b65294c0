"""The optional pre-check announcement (拟检查公告): plan, items, draw, announcement, check,
results. Published once per task by the task's department, after its draw."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.services import audit_event_record

from ..errors import PublicationErrorCode
from ..models import PrecheckAnnouncement
from ..rules import can_publish_task


@transaction.atomic
def announcement_publish(*, actor, task) -> PrecheckAnnouncement:
    if not can_publish_task(actor, task):
        raise PermissionDenied
    if not task.visits.exists():
        raise ValidationError(
            _("任务尚未抽取检查对象，不能发布拟检查公告"), code=PublicationErrorCode.WRONG_STATE
        )
    announcement, created = PrecheckAnnouncement.objects.get_or_create(
        task=task, defaults={"published_at": timezone.now(), "published_by": actor}
    )
    if not created:
        raise ValidationError(_("该任务已发布拟检查公告"), code=PublicationErrorCode.WRONG_STATE)
    audit_event_record(
        event_type=AuditEventType.ANNOUNCEMENT_PUBLISHED,
        actor=actor,
        department=task.department,
        target=announcement,
        extra={"task": task.number, "entities": task.visits.count()},
    )
    return announcement
