"""What an approved result sets in motion: follow-ups for problems found, and abnormal-list
proposals for the three results the rules name."""

from django.db import transaction

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.services import audit_event_record

from .models import AbnormalListProposal, FollowUp


def after_approval(*, actor, result) -> None:
    """Runs inside the approving transaction."""
    assert transaction.get_connection().in_atomic_block
    categories = list(result.categories.all())
    entity = result.visit.entity
    if any(c.problem_found for c in categories):
        follow_up = FollowUp.objects.create(
            result=result, entity=entity, department=result.department
        )
        audit_event_record(
            event_type=AuditEventType.FOLLOW_UP_OPENED,
            actor=actor,
            department=result.department,
            target=follow_up,
            extra={"entity": entity.key},
        )
    for category in categories:
        if category.proposes_abnormal_listing:
            proposal = AbnormalListProposal.objects.create(
                entity=entity, result=result, category=category
            )
            audit_event_record(
                event_type=AuditEventType.ABNORMAL_PROPOSED,
                actor=actor,
                department=result.department,
                target=proposal,
                extra={"entity": entity.key, "category": category.code},
            )
