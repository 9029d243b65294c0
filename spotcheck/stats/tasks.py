from django.tasks import task


@task()
def send_warning_digest() -> int:
    """Run once a week, Monday morning (cron: `spotcheck warning_digest`)."""
    from django.utils import timezone

    from .services import warning_digest_send

    return warning_digest_send(today=timezone.localdate())


@task()
def build_yearly_report(report_id: int) -> str:
    from .services import yearly_report_build

    return yearly_report_build(report_id=report_id).status


@task()
def refresh_dashboard_snapshots() -> int:
    """Run every 15 minutes (cron: `spotcheck dashboard_snapshots`): this year and last."""
    from django.utils import timezone

    from .snapshots import snapshots_refresh

    year = timezone.localdate().year
    return snapshots_refresh(years=[year - 1, year])
