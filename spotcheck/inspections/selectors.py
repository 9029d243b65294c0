"""User-scoped reads of field work, results, evidence and reviews.

A result is visible to its own department (the office sees all); an inspector additionally only
on visits where they serve. Another department's result is simply missing (404), never forbidden.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet

from spotcheck.accounts.models import Role
from spotcheck.accounts.scoping import get_scoped_or_404, scope_to_department
from spotcheck.directory.models import MarketEntity
from spotcheck.draws.models import BatchStatus, Visit, VisitInspector

from .models import (
    AbnormalListProposal,
    AbnormalProposalStatus,
    AmendmentStatus,
    Evidence,
    FollowUp,
    FollowUpDocument,
    FollowUpKind,
    ItemResult,
    Lead,
    ResultAmendment,
    ResultCategory,
    ResultStatus,
)

# Results the team still has to enter or re-enter (the 10-day rule counts these).
OPEN_STATUSES = (ResultStatus.NOT_ENTERED, ResultStatus.ENTERED, ResultStatus.RETURNED)


def _serving_visits(user) -> QuerySet[VisitInspector]:
    return VisitInspector.objects.filter(inspector__user=user.pk, recused_at__isnull=True)


def field_visit_list(*, user, today: date) -> QuerySet[Visit]:
    """The inspector's work: today's and upcoming visits, and past ones with results still open.
    Annotated `overdue`: results were due before today and some are not yet submitted;
    `has_returned`: a reviewer sent one of the user's department's results back."""
    open_results = ItemResult.objects.filter(visit=OuterRef("pk"), status__in=OPEN_STATUSES)
    overdue = ItemResult.objects.filter(
        visit=OuterRef("pk"), status__in=OPEN_STATUSES, visit__field__results_due__lt=today
    )
    returned = ItemResult.objects.filter(
        visit=OuterRef("pk"), status=ResultStatus.RETURNED, department=user.department_id
    )
    return (
        Visit.objects.going_ahead()
        .filter(pk__in=_serving_visits(user).values("visit"), batch__status=BatchStatus.DRAWN)
        .annotate(
            has_open_results=Exists(open_results),
            overdue=Exists(overdue),
            has_returned=Exists(returned),
        )
        .filter(
            Q(planned_date__gte=today)
            | Q(field__isnull=True)
            | Q(field__completed_at__isnull=True)
            | Q(has_open_results=True)
        )
        .select_related("entity", "batch", "field")
        .order_by("planned_date", "visit_id")
    )


def access_field_visit(user, visit_pk: int) -> Visit:
    from spotcheck.draws.selectors import access_visit

    return access_visit(user, visit_pk)


def result_list(*, user) -> QuerySet[ItemResult]:
    results = scope_to_department(ItemResult.objects.all(), user)
    if user.is_authenticated and user.role == Role.INSPECTOR and not user.is_office:
        results = results.filter(visit__in=_serving_visits(user).values("visit"))
    return results


def access_result(user, result_pk: int) -> ItemResult:
    results = result_list(user=user).select_related(
        "visit__entity", "visit__batch", "visit__field", "item", "department", "reviewer"
    )
    return get_scoped_or_404(results, pk=result_pk)


def access_evidence(user, evidence_pk: int) -> Evidence:
    """Same visibility as the result the file belongs to."""
    evidence = Evidence.objects.filter(result__in=result_list(user=user))
    return get_scoped_or_404(evidence, pk=evidence_pk)


def access_amendment(user, amendment_pk: int) -> ResultAmendment:
    amendments = ResultAmendment.objects.filter(result__in=result_list(user=user))
    return get_scoped_or_404(amendments.select_related("result"), pk=amendment_pk)


@dataclass
class ItemRow:
    item: object
    result: ItemResult | None  # only when the user may open it
    status: str = ""  # shown to the result's department, the lead department and the office


@dataclass
class DepartmentItems:
    department: object
    own: bool  # the user may open this department's results
    rows: list[ItemRow] = field(default_factory=list)
    approved: int = 0


def sees_every_status(user, visit: Visit) -> bool:
    """The office and the lead department's staff; inspectors see their own department only."""
    if user.is_office:
        return True
    return user.department_id == visit.batch.department_id and user.role != Role.INSPECTOR


def visit_items(*, user, visit: Visit) -> list[DepartmentItems]:
    """Every department's items on the visit. Other departments' items appear by name only;
    the lead department and the office also see their status."""
    results = {(r.task_id, r.item_id): r for r in visit.results.all()}
    visible = set(result_list(user=user).filter(visit=visit).values_list("pk", flat=True))
    sees_status = sees_every_status(user, visit)
    groups: dict[int, DepartmentItems] = {}
    tasks = visit.tasks.select_related("department").prefetch_related("items")
    for task in tasks.order_by("department__code", "pk"):
        own = user.is_office or task.department_id == user.department_id
        group = groups.setdefault(task.department_id, DepartmentItems(task.department, own))
        for item in task.items.all():
            result = results.get((task.pk, item.pk))
            shown = result is not None and result.pk in visible
            row = ItemRow(item=item, result=result if shown else None)
            if result is not None and (shown or sees_status):
                row.status = result.get_status_display()
            group.approved += result is not None and result.status == ResultStatus.APPROVED
            group.rows.append(row)
    return list(groups.values())


def visit_all_approved(visit: Visit) -> bool:
    results = visit.results.all()
    return results.exists() and not results.exclude(status=ResultStatus.APPROVED).exists()


def serving_team(visit: Visit) -> QuerySet[VisitInspector]:
    return (
        visit.team.filter(recused_at__isnull=True)
        .select_related("inspector", "department")
        .order_by("department__code", "rank", "pk")
    )


def result_categories(department) -> QuerySet[ResultCategory]:
    """The national standard list plus the department's own categories."""
    return ResultCategory.objects.filter(Q(department__isnull=True) | Q(department=department))


def not_possible_categories(user) -> QuerySet[ResultCategory]:
    return result_categories(user.department_id).filter(visit_not_possible=True)


def result_evidence(result: ItemResult) -> QuerySet[Evidence]:
    return result.evidence.select_related("uploaded_by").order_by("uploaded_at", "pk")


def result_history(result: ItemResult) -> QuerySet[ResultAmendment]:
    return (
        result.amendments.select_related("proposed_by", "reviewer")
        .prefetch_related("categories")
        .order_by("proposed_at", "pk")
    )


def _may_see_queue(user) -> bool:
    return user.is_authenticated and (user.is_office or user.role == Role.REVIEWER)


def review_queue(*, user) -> QuerySet[ItemResult]:
    """Submitted results of the reviewer's department, oldest first; every department's for
    the office."""
    if not _may_see_queue(user):
        return ItemResult.objects.none()
    return (
        result_list(user=user)
        .pending_review()
        .select_related("visit__entity", "visit__batch", "item", "department", "entered_by")
        .prefetch_related("categories", "evidence", "confirmed_by__inspector")
        .order_by("submitted_at", "pk")
    )


def amendment_queue(*, user) -> QuerySet[ResultAmendment]:
    if not _may_see_queue(user):
        return ResultAmendment.objects.none()
    return (
        ResultAmendment.objects.filter(
            status=AmendmentStatus.PROPOSED, result__in=result_list(user=user)
        )
        .select_related("result__visit__entity", "result__item", "result__department")
        .select_related("proposed_by")
        .prefetch_related("categories", "result__categories")
        .order_by("proposed_at", "pk")
    )


# ---------------------------------------------------------------- follow-ups, proposals, leads,
# the integrity file and the API's visit list.


def _open_or_closed[M](queryset: QuerySet[M], state: str | None) -> QuerySet[M]:
    if state == "open":
        return queryset.filter(closed_at__isnull=True)
    if state == "closed":
        return queryset.filter(closed_at__isnull=False)
    return queryset


def follow_up_list(*, user, state: str | None = None) -> QuerySet[FollowUp]:
    """The department's follow-ups and those transferred to it (移送); all for the office.
    `state`: "open", "closed" or None for both."""
    queryset = FollowUp.objects.select_related(
        "entity", "department", "transferred_to", "result__item", "result__visit__batch"
    )
    if not user.is_authenticated or (not user.is_office and user.department_id is None):
        return queryset.none()
    if not user.is_office:
        queryset = queryset.filter(
            Q(department=user.department_id)
            | Q(kind=FollowUpKind.TRANSFER_DEPARTMENT, transferred_to=user.department_id)
        )
    return _open_or_closed(queryset, state)


def access_follow_up(user, follow_up_pk: int) -> FollowUp:
    return get_scoped_or_404(follow_up_list(user=user), pk=follow_up_pk)


def follow_up_documents(follow_up: FollowUp) -> QuerySet[FollowUpDocument]:
    return follow_up.documents.select_related("uploaded_by").order_by("uploaded_at", "pk")


def access_follow_up_document(user, follow_up_pk: int, document_pk: int) -> FollowUpDocument:
    """A document through its follow-up's scope; the same 404 for missing and out of scope."""
    follow_up = access_follow_up(user, follow_up_pk)
    return get_scoped_or_404(follow_up.documents.all(), pk=document_pk)


def abnormal_proposal_list(*, user, status: str | None = None) -> QuerySet[AbnormalListProposal]:
    """The registration department and the office see every proposal; a department sees the
    ones its results raised."""
    from .followups import registration_department_code

    queryset = AbnormalListProposal.objects.select_related(
        "entity", "category", "result__department", "result__visit__batch", "decided_by"
    )
    if not user.is_authenticated:
        return queryset.none()
    department = user.department
    if not (user.is_office or (department and department.code == registration_department_code())):
        queryset = queryset.filter(result__department=user.department_id)
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def access_abnormal_proposal(user, proposal_pk: int) -> AbnormalListProposal:
    return get_scoped_or_404(abnormal_proposal_list(user=user), pk=proposal_pk)


def lead_list(*, user, status: str | None = None) -> QuerySet[Lead]:
    queryset = scope_to_department(
        Lead.objects.select_related("entity", "department", "task", "created_by"), user
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def access_lead(user, lead_pk: int) -> Lead:
    return get_scoped_or_404(lead_list(user=user), pk=lead_pk)


def access_entity_for_file(user, key: str) -> MarketEntity:
    """An entity the department supervises, checked or holds a lead on; any for the office."""
    entities = MarketEntity.objects.all()
    if not user.is_authenticated or (not user.is_office and user.department_id is None):
        entities = entities.none()
    elif not user.is_office:
        department = user.department_id
        entities = entities.filter(
            Q(departments=department)
            | Q(visits__tasks__department=department)
            | Q(leads__department=department)
        ).distinct()
    return get_scoped_or_404(entities, key=key)


@dataclass
class EntityFile:
    """The integrity file (信用档案): everything on record about one entity that the user's
    department may see."""

    entity: MarketEntity
    visits: list[Visit]
    results: list[ItemResult]  # each with `.effective` (categories that stand now)
    follow_ups: list[FollowUp]
    abnormal_proposals: list[AbnormalListProposal]
    leads: list[Lead]
    # Decided listings with date and ground: shared record, shown to all who see the entity.
    abnormal_listings: list[AbnormalListProposal]


def _effective(result: ItemResult) -> list[ResultCategory]:
    """The latest approved amendment's categories, else the result's own (prefetched)."""
    approved = [a for a in result.amendments.all() if a.status == AmendmentStatus.APPROVED]
    if approved:
        return list(max(approved, key=lambda a: (a.reviewed_at, a.pk)).categories.all())
    return list(result.categories.all())


def entity_visit_list(*, user, entity: MarketEntity) -> QuerySet[Visit]:
    """Drawn visits of the entity in which the department organised or had a task, or on which
    the user serves (an inspector: only those); all for the office."""
    visits = Visit.objects.filter(entity=entity, batch__status=BatchStatus.DRAWN)
    if user.role == Role.INSPECTOR and not user.is_office:
        return visits.filter(pk__in=_serving_visits(user).values("visit"))
    if not user.is_office:
        visits = visits.filter(
            Q(batch__department=user.department_id)
            | Q(tasks__department=user.department_id)
            | Q(pk__in=_serving_visits(user).values("visit"))
        ).distinct()
    return visits


def entity_file(*, user, entity: MarketEntity) -> EntityFile:
    visits = (
        entity_visit_list(user=user, entity=entity)
        .select_related("batch__department", "field")
        .prefetch_related("tasks__department")
        .order_by("-planned_date", "-pk")
    )
    results = (
        result_list(user=user)
        .filter(visit__entity=entity)
        .select_related("visit__batch", "item", "department", "reviewer")
        .prefetch_related(
            "categories",
            "amendments__categories",
            "amendments__proposed_by",
            "amendments__reviewer",
        )
        .order_by("-visit__planned_date", "department__code", "pk")
    )
    results = list(results)
    for result in results:
        result.effective = _effective(result)
    visits = list(visits)
    for visit in visits:
        visit.departments = sorted({t.department for t in visit.tasks.all()}, key=lambda d: d.code)
    follow_ups = follow_up_list(user=user).filter(entity=entity).prefetch_related("documents")
    return EntityFile(
        entity=entity,
        visits=visits,
        results=results,
        follow_ups=list(follow_ups),
        abnormal_proposals=list(abnormal_proposal_list(user=user).filter(entity=entity)),
        leads=list(lead_list(user=user).filter(entity=entity)),
        abnormal_listings=list(abnormal_listing_list(entity=entity)),
    )


def abnormal_listing_list(*, entity: MarketEntity) -> QuerySet[AbnormalListProposal]:
    """The entity's listings on the abnormal list (accepted proposals), standing or removed."""
    return (
        AbnormalListProposal.objects.filter(entity=entity, status=AbnormalProposalStatus.ACCEPTED)
        .select_related("category", "decided_by", "removed_by")
        .order_by("-decided_at", "-pk")
    )


def inspection_visit_list(*, user) -> QuerySet[Visit]:
    """For the API: an inspector's own (serving) visits; a department's visits (organised or
    with its tasks); every drawn visit for the office."""
    visits = Visit.objects.filter(batch__status=BatchStatus.DRAWN)
    if not user.is_authenticated:
        return visits.none()
    if user.is_office:
        return visits
    if user.role == Role.INSPECTOR:
        return visits.filter(pk__in=_serving_visits(user).values("visit"))
    return visits.filter(
        Q(batch__department=user.department_id) | Q(tasks__department=user.department_id)
    ).distinct()
