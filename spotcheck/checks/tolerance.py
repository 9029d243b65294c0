"""Tolerance for minor violations (首违不罚 / 轻微免罚): the national and local lists, a result
citing an entry (no penalty, a rectification order instead, whose re-check is a case check exempt
from the caps), and the rule that the same entity violating the same entry again is not
eligible."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from spotcheck.accounts.models import Role
from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.services import audit_event_record
from spotcheck.inspections.followups import follow_up_set_kind
from spotcheck.inspections.models import FollowUp, FollowUpKind, ResultStatus

from .errors import CheckErrorCode, refuse
from .models import ToleranceCitation, ToleranceEntry, ToleranceList


def tolerance_entries_for(*, department) -> QuerySet[ToleranceEntry]:
    """The national list and the department's own local list."""
    return (
        ToleranceEntry.objects.filter(
            Q(tolerance_list__department__isnull=True) | Q(tolerance_list__department=department)
        )
        .select_related("tolerance_list")
        .order_by("tolerance_list__department_id", "tolerance_list_id", "number")
    )


def earlier_citations(*, entity) -> dict[int, ToleranceCitation]:
    """entry pk → the entity's earlier citation of it: those entries are no longer eligible."""
    return {c.entry_id: c for c in ToleranceCitation.objects.filter(entity=entity)}


def may_cite(actor, result) -> bool:
    return actor.department_id == result.department_id and actor.role in (
        Role.DEPARTMENT_ADMIN,
        Role.REVIEWER,
    )


@transaction.atomic
def tolerance_cite(*, actor, result, entry: ToleranceEntry) -> ToleranceCitation:
    """The approved result found a violation on the list: no penalty; the firm is ordered to
    correct within the entry's period (the result's follow-up becomes 责令整改)."""
    if not may_cite(actor, result):
        raise PermissionDenied
    entity = result.visit.entity
    if (
        result.status != ResultStatus.APPROVED
        or not result.categories.filter(problem_found=True).exists()
    ):
        refuse(_("只有审核通过且发现问题的检查结果可以适用免罚清单"), CheckErrorCode.WRONG_STATE)
    if not tolerance_entries_for(department=result.department).filter(pk=entry.pk).exists():
        refuse(_("该清单事项不适用于本部门"), CheckErrorCode.GROUND_REQUIRED)
    if ToleranceCitation.objects.filter(result=result).exists():
        refuse(_("该检查结果已适用免罚清单"), CheckErrorCode.WRONG_STATE)
    earlier = (
        ToleranceCitation.objects.select_for_update().filter(entity=entity, entry=entry).first()
    )
    if earlier is not None:
        refuse(
            _("该企业已于%(date)s适用过本项（%(entry)s），再次违反不适用%(kind)s")
            % {
                "date": timezone.localdate(earlier.cited_at).isoformat(),
                "entry": str(entry),
                "kind": entry.get_kind_display(),
            },
            CheckErrorCode.NOT_ELIGIBLE,
        )
    follow_up = (
        FollowUp.objects.filter(result=result, closed_at__isnull=True).order_by("pk").first()
    )
    if follow_up is None:
        follow_up = FollowUp.objects.create(
            result=result, entity=entity, department=result.department
        )
    follow_up = follow_up_set_kind(
        actor=actor,
        follow_up=follow_up,
        kind=FollowUpKind.RECTIFICATION,
        deadline=timezone.localdate() + timedelta(days=entry.rectification_days),
        description=_("依据%(entry)s不予处罚，责令改正：%(behaviour)s")
        % {"entry": str(entry), "behaviour": entry.behaviour},
    )
    citation = ToleranceCitation.objects.create(
        result=result, entry=entry, entity=entity, follow_up=follow_up, cited_by=actor
    )
    audit_event_record(
        event_type=AuditEventType.TOLERANCE_CITED,
        actor=actor,
        department=result.department,
        target=citation,
        extra={
            "entity": entity.key,
            "entry": str(entry),
            "result": result.pk,
            "follow_up": follow_up.pk,
        },
    )
    return citation


@transaction.atomic
def tolerance_local_entry_add(
    *,
    actor,
    department,
    kind: str,
    behaviour: str,
    legal_basis: str,
    conditions: str,
    rectification_days: int = 15,
) -> ToleranceEntry:
    """An entry of the department's local list (地方清单), with its legal basis and conditions."""
    if not (
        actor.is_office
        or (actor.department_id == department.pk and actor.role == Role.DEPARTMENT_ADMIN)
    ):
        raise PermissionDenied
    if not (behaviour.strip() and legal_basis.strip() and conditions.strip()):
        refuse(_("清单事项须填写违法行为、法律依据和适用条件"), CheckErrorCode.DESCRIPTION_REQUIRED)
    local, _created = ToleranceList.objects.get_or_create(
        department=department,
        defaults={
            "name": _("%(d)s轻微违法行为不予处罚清单") % {"d": department.name},
            "document": "",
        },
    )
    number = (local.entries.aggregate(n=Max("number"))["n"] or 0) + 1
    entry = ToleranceEntry.objects.create(
        tolerance_list=local,
        number=number,
        kind=kind,
        behaviour=behaviour.strip(),
        legal_basis=legal_basis.strip(),
        conditions=conditions.strip(),
        rectification_days=rectification_days,
    )
    audit_event_record(
        event_type=AuditEventType.TOLERANCE_ENTRY_ADDED,
        actor=actor,
        department=department,
        target=entry,
        extra={"list": local.name, "number": number, "behaviour": entry.behaviour},
    )
    return entry
