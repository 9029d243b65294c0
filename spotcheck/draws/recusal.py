"""Recusal after the draw (回避/递补): the next candidate in the same ranking replaces the
inspector; both stay on record with the reason."""

import json
from collections import defaultdict
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.services import audit_event_record
from spotcheck_draw.design import parse_design
from spotcheck_draw.errors import DrawError
from spotcheck_draw.inspectors import Assignment, Replacement, Snapshot, replace_inspector
from spotcheck_draw.selection import Visit as EngineVisit

from .errors import BatchErrorCode
from .freeze import inspector_id
from .models import BatchStatus, VisitInspector
from .services import batch_folder


def may_recuse(actor, member: VisitInspector) -> bool:
    """The office, the member's department liaison, or the inspector asking for themself."""
    if actor.is_office:
        return True
    if actor.department_id == member.department_id and actor.role == "department_admin":
        return True
    return member.inspector.user_id == actor.pk


def _assignment(batch, visit, snapshot: Snapshot, team=None) -> Assignment:
    """The batch's current staffing, as the engine's Assignment, from the stored teams. `team`
    is the visit whose rows now staff `visit` (the one it was merged into, 合并检查); members
    drawn by another batch (joined through a merge) are not this draw's to count."""
    team = team or visit
    staff: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    load = {person.id: 0 for person in snapshot.inspectors}
    members = VisitInspector.objects.filter(
        (Q(visit__batch=batch) & ~Q(visit=visit)) | Q(visit=team)
    ).select_related("visit", "department", "replaced_by")
    replacements = []
    for m in members.order_by("visit__visit_id", "department__code", "rank", "pk"):
        code = inspector_id(m.inspector_id)
        if code not in load:
            continue
        visit_id = visit.visit_id if m.visit_id == team.pk else m.visit.visit_id
        if m.recused_at is None:
            staff[visit_id][m.department.code].append(code)
            load[code] += 1
        elif m.visit_id == team.pk and m.replaced_by is not None:
            replacements.append(
                Replacement(
                    visit.visit_id, code, inspector_id(m.replaced_by.inspector_id), m.recusal_reason
                )
            )
    return Assignment({v: dict(d) for v, d in staff.items()}, load, replacements)


def _drawn_by(member: VisitInspector):
    """The visit whose draw staffed the member's department: the member's own visit, or, for a
    department that joined through a merge, its visit merged into this one."""
    visit = member.visit
    if visit.batch.tasks.filter(department=member.department_id).exists():
        return visit
    merged = visit.merged_visits.filter(batch__tasks__department=member.department_id).distinct()
    return merged.select_related("batch", "entity").first() or visit


@transaction.atomic
def team_member_recuse(*, actor, member: VisitInspector, reason: str) -> VisitInspector:
    """Returns the replacement; refuses with a clear message when nobody may replace."""
    if not may_recuse(actor, member):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(_("回避须说明原因"), code=BatchErrorCode.REASON_REQUIRED)
    member = (
        VisitInspector.objects.select_for_update()
        .select_related("visit__batch", "visit__entity")
        .get(pk=member.pk)
    )
    team = member.visit
    visit = _drawn_by(member)
    batch = visit.batch
    if member.recused_at is not None or batch.status != BatchStatus.DRAWN:
        raise ValidationError(
            _("该执法人员已回避或批次未完成抽取"), code=BatchErrorCode.WRONG_STATE
        )
    raw = json.loads((batch_folder(batch) / "design.json").read_text(encoding="utf-8"))
    design = parse_design(raw)
    section = raw["inspectors"]
    drawn = {t.id for t in design.tasks}
    engine_visit = EngineVisit(
        visit.visit_id,
        visit.entity.key,
        visit.ticket,
        # this draw's tasks only: a merge adds another batch's tasks to the visit
        tuple(sorted(set(team.tasks.values_list("number", flat=True)) & drawn)),
    )
    recused = inspector_id(member.inspector_id)
    snapshot = Snapshot.from_design(section)
    try:
        updated = replace_inspector(
            _assignment(batch, visit, snapshot, team),
            engine_visit,
            recused,
            reason,
            snapshot=snapshot,
            seed=batch.seed,
            planned_date=date.fromisoformat(section["planned_date"]),
            tasks={t.id: t for t in design.tasks},
        )
    except DrawError:
        raise ValidationError(
            _("没有符合条件的递补人员，请联系联席会议办公室"), code=BatchErrorCode.NO_REPLACEMENT
        ) from None
    replacement_code = updated.replacements[-1].replacement
    replacement = VisitInspector.objects.create(
        visit=team,
        inspector_id=int(replacement_code[1:]),
        department=member.department,
        rank=member.rank,
    )
    member.recused_at = timezone.now()
    member.recusal_reason = reason
    member.recused_by = actor
    member.replaced_by = replacement
    member.save()
    audit_event_record(
        event_type=AuditEventType.INSPECTOR_RECUSED,
        actor=actor,
        department=member.department,
        target=team,
        extra={"recused": recused, "replacement": replacement_code, "reason": reason},
    )
    return replacement
