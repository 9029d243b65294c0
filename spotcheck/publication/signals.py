"""Inspections may not import publication (it sits to their right), so an approved amendment
reaches the public record through this receiver, inside the amendment's own transaction."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from spotcheck.inspections.models import AmendmentStatus, ResultAmendment

from .services.publishing import record_republish


@receiver(post_save, sender=ResultAmendment, dispatch_uid="publication_republish")
def republish_after_amendment(sender, instance, **kwargs) -> None:
    if instance.status != AmendmentStatus.APPROVED:
        return
    result = instance.result
    record_republish(actor=instance.reviewer, visit=result.visit, task=result.task)
