from django.tasks import task


@task()
def send_publication_reminders() -> int:
    """Run once a day (cron: `spotcheck publication_reminders`)."""
    from django.utils import timezone

    from .services.reminders import reminders_send

    return reminders_send(today=timezone.localdate())
