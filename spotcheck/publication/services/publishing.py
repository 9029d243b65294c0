"""Publishing approved results in bulk per task, republishing after amendments, and keeping a
result off the public record (不宜公开) on a legal ground the office approves."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.services import audit_event_record
from spotcheck.plans.models import SpotCheckTask

from ..errors import PublicationErrorCode
from ..models import DisclosureExemption, ExemptionStatus, PublicRecord
from ..rules import can_publish_task
from ..snapshot import record_fields, record_id
from ..units import completed_units, published_visit_ids, withheld_visit_ids
from ..workdays import YearNotInCalendar


@dataclass
class PublishOutcome:
    published: list[PublicRecord] = field(default_factory=list)
    republished: list[PublicRecord] = field(default_factory=list)


def _create_record(unit, fields, categories, *, actor, now) -> PublicRecord:
    today = timezone.localdate(now)
    try:
        due = unit.due_on
    except YearNotInCalendar as missing:
        if today.year >= missing.year:
            raise  # today itself is in the missing year: on time or late cannot be told
        due = None  # the deadline lies in a later year, not entered yet: today is not late
    record = PublicRecord.objects.create(
        record_id=record_id(unit),
        visit=unit.visit,
        task=unit.task,
        due_on=due,
        published_on=today,
        on_time=today <= due if due else True,
        published_at=now,
        published_by=actor,
        **fields,
    )
    record.categories.set(categories)
    return record


def _republish(record, fields, categories, *, now) -> PublicRecord:
    """An approved amendment changed the results: the record shows it was corrected and when;
    its publication date and on-time flag stay those of the first publication."""
    record.items = fields["items"]
    record.corrected_at = now
    record.version += 1
    record.save(update_fields=["items", "corrected_at", "version"])
    record.categories.set(categories)
    return record


@transaction.atomic
def task_publish(*, actor, task) -> PublishOutcome:
    """Publish every complete, approved, not withheld result of the task; republish those an
    amendment has changed since."""
    if not can_publish_task(actor, task):
        raise PermissionDenied
    task = (
        SpotCheckTask.objects.select_for_update(of=("self",))
        .select_related("plan", "department")
        .get(pk=task.pk)
    )
    now = timezone.now()
    withheld = withheld_visit_ids(task)
    existing = {r.visit_id: r for r in PublicRecord.objects.select_for_update().filter(task=task)}
    outcome = PublishOutcome()
    for unit in completed_units(task):
        if unit.visit.pk in withheld or not unit.ready:
            continue
        fields, categories = record_fields(unit)
        record = existing.get(unit.visit.pk)
        if record is None:
            outcome.published.append(_create_record(unit, fields, categories, actor=actor, now=now))
        elif record.items != fields["items"]:
            outcome.republished.append(_republish(record, fields, categories, now=now))
    if not (outcome.published or outcome.republished):
        raise ValidationError(
            _("该任务没有待公开的已审核结果"), code=PublicationErrorCode.NOTHING_TO_PUBLISH
        )
    if outcome.published:
        audit_event_record(
            event_type=AuditEventType.RESULTS_PUBLISHED,
            actor=actor,
            department=task.department,
            target=task,
            extra={
                "records": [r.record_id for r in outcome.published],
                "late": [r.record_id for r in outcome.published if not r.on_time],
            },
        )
    for record in outcome.republished:
        _republished_event(record, actor)
    return outcome


def _republished_event(record, actor) -> None:
    audit_event_record(
        event_type=AuditEventType.RECORD_REPUBLISHED,
        actor=actor,
        department=record.department,
        target=record,
        extra={"record": record.record_id, "version": record.version},
    )


@transaction.atomic
def record_republish(*, actor, visit, task) -> PublicRecord | None:
    """An approved amendment republishes at once: the published record of (visit, task), if
    there is one, shows the corrected results and when. Runs inside the amendment's
    transaction (called by the signal in publication.signals)."""
    record = PublicRecord.objects.select_for_update().filter(visit=visit, task=task).first()
    if record is None:
        return None
    (unit,) = completed_units(task, visit_ids=[visit.pk])
    fields, categories = record_fields(unit)
    if record.items == fields["items"]:
        return None
    _republish(record, fields, categories, now=timezone.now())
    _republished_event(record, actor)
    return record


@transaction.atomic
def exemption_request(*, actor, task, visit, legal_ground: str) -> DisclosureExemption:
    """Ask the office to keep one result off the public record; a legal ground is required."""
    if not can_publish_task(actor, task):
        raise PermissionDenied
    if not legal_ground.strip():
        raise ValidationError(
            _("不宜公开须写明法律依据"), code=PublicationErrorCode.LEGAL_GROUND_REQUIRED
        )
    if visit.pk in published_visit_ids(task) | withheld_visit_ids(task):
        raise ValidationError(
            _("该结果已公开或已申请不宜公开"), code=PublicationErrorCode.WRONG_STATE
        )
    if not visit.tasks.filter(pk=task.pk).exists():
        raise PermissionDenied
    exemption = DisclosureExemption.objects.create(
        task=task,
        visit=visit,
        department=task.department,
        legal_ground=legal_ground.strip(),
        requested_by=actor,
    )
    audit_event_record(
        event_type=AuditEventType.EXEMPTION_REQUESTED,
        actor=actor,
        department=task.department,
        target=exemption,
        extra={"task": task.number, "visit": visit.visit_id, "legal_ground": legal_ground},
    )
    return exemption


@transaction.atomic
def exemption_decide(*, actor, exemption, approve: bool) -> DisclosureExemption:
    """Only the office decides; refused, the result is published like any other."""
    if not actor.is_office:
        raise PermissionDenied
    exemption = DisclosureExemption.objects.select_for_update().get(pk=exemption.pk)
    if exemption.status != ExemptionStatus.PROPOSED:
        raise ValidationError(_("该申请已审批"), code=PublicationErrorCode.WRONG_STATE)
    exemption.status = ExemptionStatus.APPROVED if approve else ExemptionStatus.REFUSED
    exemption.decided_by, exemption.decided_at = actor, timezone.now()
    exemption.save(update_fields=["status", "decided_by", "decided_at"])
    audit_event_record(
        event_type=AuditEventType.EXEMPTION_DECIDED,
        actor=actor,
        department=exemption.department,
        target=exemption,
        extra={"approved": approve},
    )
    return exemption
