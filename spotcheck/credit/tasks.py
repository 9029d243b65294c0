from datetime import datetime, time

from django.tasks import task
from django.utils import timezone

# The monthly run starts at this local hour on the 1st, before anyone plans a draw.
MONTHLY_HOUR = 2


@task()
def recompute_credit_classes(trigger: str = "monthly", requested_by_id: int | None = None) -> str:
    """The monthly recomputation queues the next one; an on-demand run does not. An on-demand
    run carries the id of the office user who asked (job arguments must be JSON)."""
    from spotcheck.accounts.models import User

    from .services import credit_recompute

    requested_by = User.objects.filter(pk=requested_by_id).first() if requested_by_id else None
    line = credit_recompute(trigger=trigger, requested_by=requested_by).counts_line()
    if trigger == "monthly":
        monthly_recompute_schedule()
    return line


def next_monthly_run(now: datetime) -> datetime:
    local = timezone.localtime(now)
    year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    day = datetime(year, month, 1).date()
    return timezone.make_aware(datetime.combine(day, time(MONTHLY_HOUR)))


def monthly_recompute_schedule(now: datetime | None = None) -> datetime:
    """Queue the next monthly run (the 1st of next month) unless one is already waiting; the
    time it will run."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    waiting = (
        DBTaskResult.objects.filter(
            status="READY", task_path=recompute_credit_classes.module_path, run_after__gt=now
        )
        .order_by("run_after")
        .values_list("run_after", flat=True)
        .first()
    )
    if waiting is not None:
        return waiting
    when = next_monthly_run(now)
    recompute_credit_classes.using(run_after=when).enqueue(trigger="monthly")
    return when
