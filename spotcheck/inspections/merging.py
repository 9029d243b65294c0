"""Same-firm merging (合并检查): offers found after each draw (or when the office asks), each
involved department's answer, and the merge itself. Each write is one audited transaction.

A merge keeps the visit planned on the joint date (its code, batch and notice) and moves the
others' tasks and empty result rows onto it, their serving inspectors joining its team; the
others stay on record, marked merged, their original teams kept."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from spotcheck.accounts.models import Role
from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.services import audit_event_record
from spotcheck.directory.models import InspectorConflict
from spotcheck.draws.models import Visit, VisitInspector
from spotcheck.plans.quiet_days import is_quiet_day

from .errors import ResultErrorCode
from .merge_detect import merge_groups, not_started
from .models import ItemResult, MergeAnswer, MergeDecision, MergeOffer, MergeOfferStatus


def _audit(event_type, actor, department, offer, **extra) -> None:
    audit_event_record(
        event_type=event_type, actor=actor, department=department, target=offer, extra=extra
    )


@transaction.atomic
def merge_offers_detect(*, actor=None, entity_ids=None) -> list[MergeOffer]:
    """Offer every group found; run after a draw (for its firms) and by the office on demand."""
    if actor is not None and not actor.is_office:
        raise PermissionDenied
    offers = []
    for group in merge_groups(entity_ids=entity_ids):
        visits = list(
            Visit.objects.filter(pk__in=[c.pk for c in group])
            .select_related("batch")
            .order_by("pk")
        )
        offer = MergeOffer.objects.create(
            entity_id=group[0].entity_id, planned_date=_joint_date(group)
        )
        offer.visits.set(visits)
        departments = sorted(
            set(
                Visit.tasks.through.objects.filter(visit__in=visits).values_list(
                    "spotchecktask__department_id", flat=True
                )
            )
        )
        MergeAnswer.objects.bulk_create(
            MergeAnswer(offer=offer, department_id=d) for d in departments
        )
        _audit(
            AuditEventType.MERGE_OFFERED,
            actor,
            None,
            offer,
            visits=[f"{v.batch.number}/{v.visit_id}" for v in visits],
            planned_date=offer.planned_date.isoformat(),
        )
        offers.append(offer)
    return offers


def _joint_date(group) -> date:
    """The earliest planned date that is not a quiet day: the firm is checked once, before
    anyone else would come (all quiet: the earliest, and the merge is refused on answering)."""
    dates = sorted(c.planned_date for c in group)
    return next((d for d in dates if not is_quiet_day(d)), dates[0])


def may_answer(user, offer: MergeOffer) -> bool:
    """The liaison (联络员) of a department the offer involves."""
    return (
        user.is_authenticated
        and user.role == Role.DEPARTMENT_ADMIN
        and offer.answers.filter(department=user.department_id).exists()
    )


def merge_refusal(offer: MergeOffer) -> str:
    """Why these visits may not become one, or "" when they may."""
    visits = offer.visits.all()
    if not_started(visits).count() != visits.count():
        return _("有检查已到达现场、已录入结果或已合并，不能合并")
    if is_quiet_day(offer.planned_date):
        return _("合并后的检查日期 %(date)s 是企业安静日，不能安排例行检查") % {
            "date": offer.planned_date.isoformat()
        }
    team = VisitInspector.objects.serving().filter(visit__in=visits)
    conflicts = InspectorConflict.objects.filter(
        entity=offer.entity_id, inspector__in=team.values("inspector")
    )
    if conflicts.exists():
        # No names: the refusal is read by every department of the offer, and conflict
        # declarations are confidential to the inspector's own department and the office.
        return _("合并后的检查组中有人与该企业存在回避关系，不能合并")
    return ""


@transaction.atomic
def merge_offer_answer(*, actor, offer: MergeOffer, accept: bool, reason: str = "") -> MergeOffer:
    """The department's yes or no (a no needs its reason). When every department has said yes
    the visits become one; when a rule forbids it the offer is closed with the reason."""
    offer = MergeOffer.objects.select_for_update().get(pk=offer.pk)
    if not may_answer(actor, offer):
        raise PermissionDenied
    answer = offer.answers.select_for_update().get(department=actor.department_id)
    if offer.status != MergeOfferStatus.OPEN or answer.decision != MergeDecision.PENDING:
        raise ValidationError(_("该合并建议已答复或已结束"), code=ResultErrorCode.WRONG_STATE)
    reason = reason.strip()
    if not accept and not reason:
        raise ValidationError(_("不同意合并须说明理由"), code=ResultErrorCode.REASON_REQUIRED)
    if accept and (refusal := merge_refusal(offer)):
        return _close(offer, MergeOfferStatus.REFUSED, actor, refusal=refusal)
    answer.decision = MergeDecision.ACCEPTED if accept else MergeDecision.DECLINED
    answer.reason = reason
    answer.answered_by = actor
    answer.answered_at = timezone.now()
    answer.save()
    event = AuditEventType.MERGE_ACCEPTED if accept else AuditEventType.MERGE_DECLINED
    _audit(event, actor, actor.department, offer, reason=reason)
    if not accept:
        return _close(offer, MergeOfferStatus.DECLINED, actor)
    if offer.answers.exclude(decision=MergeDecision.ACCEPTED).exists():
        return offer
    return _merge(offer, actor)


def _close(offer: MergeOffer, status: str, actor, refusal: str = "") -> MergeOffer:
    offer.status = status
    offer.refusal = refusal
    offer.closed_at = timezone.now()
    offer.save(update_fields=["status", "refusal", "closed_at"])
    if status == MergeOfferStatus.REFUSED:
        _audit(AuditEventType.MERGE_REFUSED, actor, actor.department, offer, refusal=refusal)
    return offer


def _merge(offer: MergeOffer, actor) -> MergeOffer:
    visits = sorted(
        offer.visits.select_for_update().select_related("batch"),
        # the visit already planned on the joint date goes ahead: its notice's date stands
        key=lambda v: (v.planned_date != offer.planned_date, v.planned_date, v.pk),
    )
    kept, others = visits[0], visits[1:]
    now = timezone.now()
    kept.planned_date = offer.planned_date
    kept.save(update_fields=["planned_date"])
    moved = {}
    for other in others:
        # The tasks go to the visit that happens, so every count of a task's firms counts the
        # firm once; the published draw record and this event keep where they were drawn.
        tasks = list(other.tasks.all())
        moved[f"{other.batch.number}/{other.visit_id}"] = sorted(t.number for t in tasks)
        kept.tasks.add(*tasks)
        other.tasks.remove(*tasks)
        # Only empty rows exist (a result entered refuses the merge): they follow their tasks.
        ItemResult.objects.filter(visit=other).update(visit=kept)
        _join_team(kept, other)
    Visit.objects.filter(pk__in=[o.pk for o in others]).update(merged_into=kept, merged_at=now)
    offer.kept_visit = kept
    offer.status = MergeOfferStatus.MERGED
    offer.closed_at = now
    offer.save(update_fields=["kept_visit", "status", "closed_at"])
    _audit(
        AuditEventType.VISITS_MERGED,
        actor,
        None,
        offer,
        kept=f"{kept.batch.number}/{kept.visit_id}",
        merged=moved,
        planned_date=offer.planned_date.isoformat(),
    )
    return offer


def _join_team(kept: Visit, other: Visit) -> None:
    """The other visit's serving inspectors join the kept visit's team (one person once), after
    the kept team's own members of the same department; their original rows stay on record."""
    present = set(kept.team.serving().values_list("inspector_id", flat=True))
    last = dict(
        kept.team.values("department").annotate(top=Max("rank")).values_list("department", "top")
    )
    joining = []
    for member in other.team.serving().order_by("department_id", "rank"):
        if member.inspector_id in present:
            continue
        present.add(member.inspector_id)
        last[member.department_id] = last.get(member.department_id, 0) + 1
        joining.append(
            VisitInspector(
                visit=kept,
                inspector_id=member.inspector_id,
                department_id=member.department_id,
                rank=last[member.department_id],
            )
        )
    VisitInspector.objects.bulk_create(joining)
