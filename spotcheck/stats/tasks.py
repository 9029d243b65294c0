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
