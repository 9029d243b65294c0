"""The daily publication of the chain head: a job that queues its own next run."""

from datetime import datetime, time, timedelta

from django.tasks import TaskResultStatus, task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

# Just after midnight, local time, so each day's head covers the whole previous day.
DAILY_AT = time(0, 5)


@task()
def publish_audit_head_daily() -> str:
    from .models import AuditHeadPublication
    from .services import audit_head_publish

    publication = audit_head_publish(source=AuditHeadPublication.Source.DAILY)
    daily_publication_schedule()
    return publication.head_hash


def _task_path() -> str:
    return publish_audit_head_daily.module_path


def daily_publication_schedule() -> datetime:
    """Queue the next daily run unless one is already waiting; return when it will run."""
    waiting = (
        DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=_task_path())
        .order_by("run_after")
        .values_list("run_after", flat=True)
        .first()
    )
    if waiting is not None:
        return waiting
    now = timezone.localtime()
    when = timezone.make_aware(datetime.combine(now.date() + timedelta(days=1), DAILY_AT))
    publish_audit_head_daily.using(run_after=when).enqueue()
    return when
