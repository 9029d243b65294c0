from django.tasks import task


@task()
def recompute_credit_classes(trigger: str = "monthly") -> str:
    """Queued monthly (cron: `spotcheck credit recompute --queue`) and from the credit page."""
    from .services import credit_recompute

    return credit_recompute(trigger=trigger).counts_line()
