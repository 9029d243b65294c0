"""Common's background jobs: list exports, and the daily removal of old job files."""

from datetime import datetime, time, timedelta

from django.tasks import TaskResultStatus, task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

PURGE_AT = time(3, 0)  # at night, when nobody downloads


@task()
def build_export(job_id: int) -> int:
    from .export_jobs import export_job_build

    return export_job_build(job_id).pk


@task()
def purge_file_jobs_daily() -> dict[str, int]:
    from .services import file_jobs_purge

    removed = file_jobs_purge()
    purge_schedule()
    return removed


def purge_schedule() -> datetime:
    """Queue the next nightly run unless one is already waiting; return when it will run."""
    waiting = (
        DBTaskResult.objects.filter(
            status=TaskResultStatus.READY, task_path=purge_file_jobs_daily.module_path
        )
        .order_by("run_after")
        .values_list("run_after", flat=True)
        .first()
    )
    if waiting is not None:
        return waiting
    now = timezone.localtime()
    when = timezone.make_aware(datetime.combine(now.date() + timedelta(days=1), PURGE_AT))
    purge_file_jobs_daily.using(run_after=when).enqueue()
    return when
