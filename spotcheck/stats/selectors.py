"""Dashboard reads. Each figure is one aggregate query over the user's scope, so a dashboard costs
the same number of queries whatever the data size; `figure_records` lists the rows behind a
figure with the same scope and filters, so every number can be checked record by record.

Units: tasks are counted by their planned start year; the funnel (已抽取 → 已公示) counts a task at
a visit (one entity drawn for one task), the unit a result is published in."""

from dataclasses import dataclass, replace
from datetime import date, datetime, time

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from spotcheck.directory.models import CreditClass
from spotcheck.draws.models import BatchStatus, DrawBatch, Visit, VisitInspector
from spotcheck.inspections.models import FieldVisit, FollowUp, ItemResult, ResultStatus
from spotcheck.plans.models import PlanBatch, PlanStatus, SpotCheckTask, TaskStatus
from spotcheck.publication.models import (
    CalendarDay,
    DisclosureExemption,
    ExemptionStatus,
    PublicRecord,
)

from .filters import DashboardFilters
from .models import Assessment, YearlyReport
from .reach import Reach, reach_for
from .rules import can_view_dashboard, sees_every_department

VisitTask = Visit.tasks.through
ResultCategoryLink = ItemResult.categories.through

#: Field work is over for these outcomes (a visit that was not possible is still done).
DONE_OUTCOMES = (FieldVisit.Outcome.CHECKED, FieldVisit.Outcome.NOT_POSSIBLE)
#: Plans that count towards 应检查: approved at least, and not replaced by a newer version.
PLAN_COUNTED = (PlanStatus.APPROVED, PlanStatus.FILED, PlanStatus.PUBLISHED)
WORKLOAD_TOP = 30


def scoped_filters(user, filters: DashboardFilters) -> DashboardFilters:
    """A department user sees their own department, whatever the query string asked for."""
    if sees_every_department(user):
        return filters
    return replace(filters, department_id=user.department_id)


def _entity_q(filters: DashboardFilters, path: str) -> Q:
    q = Q()
    if filters.industry:
        q &= Q(**{f"{path}__industry_code__startswith": filters.industry})
    if filters.region:
        q &= Q(**{f"{path}__region_code__startswith": filters.region})
    return q


def task_scope(filters: DashboardFilters) -> QuerySet[SpotCheckTask]:
    tasks = SpotCheckTask.objects.filter(planned_start__year=filters.year)
    if filters.department_id:
        tasks = tasks.filter(department_id=filters.department_id)
    return tasks


def pending_visits():
    return Visit.objects.filter(tasks=OuterRef("pk")).exclude(field__outcome__in=DONE_OUTCOMES)


def tasks_done_q() -> Q:
    """Drawn, and every visit of the task has its field work over."""
    return Q(status=TaskStatus.DRAWN) & ~Q(Exists(pending_visits()))


def pair_scope(filters: DashboardFilters) -> QuerySet:
    """Task-at-visit pairs of the scope, filtered by the entity's industry and region."""
    return VisitTask.objects.filter(
        Q(spotchecktask__in=task_scope(filters)) & _entity_q(filters, "visit__entity")
    )


def pair_result(approved: bool):
    results = ItemResult.objects.filter(
        visit=OuterRef("visit_id"), task=OuterRef("spotchecktask_id")
    )
    if approved:
        return Exists(results.filter(status=ResultStatus.APPROVED))
    return Exists(results.exclude(status=ResultStatus.APPROVED))


def pair_published():
    return Exists(
        PublicRecord.objects.filter(visit=OuterRef("visit_id"), task=OuterRef("spotchecktask_id"))
    )


def _pair_withheld():
    return Exists(
        DisclosureExemption.objects.filter(
            visit=OuterRef("visit_id"),
            task=OuterRef("spotchecktask_id"),
            status__in=(ExemptionStatus.PROPOSED, ExemptionStatus.APPROVED),
        )
    )


def publication_cutoff(today: date) -> datetime | None:
    """Field work completed before this instant is past its publication deadline today: the
    N-th working day before today (N = PUBLICATION_WORKING_DAYS). None when the calendar does
    not reach back that far (the office must add the year; nothing is guessed)."""
    n = settings.SPOTCHECK_RULES["PUBLICATION_WORKING_DAYS"]
    found = list(
        CalendarDay.objects.filter(date__lt=today, is_working=True)
        .order_by("-date")
        .values_list("date", flat=True)[n - 1 : n]
    )
    if not found:
        return None
    return datetime.combine(found[0], time.min, tzinfo=timezone.get_current_timezone())


def overdue_q(cutoff: datetime | None) -> Q:
    if cutoff is None:
        return Q(pk__isnull=True)  # never true: unknown without a calendar, not zero
    return Q(visit__field__completed_at__lt=cutoff) & ~Q(pair_published()) & ~Q(_pair_withheld())


def rate(part: int | None, whole: int | None) -> float | None:
    """A percentage with one decimal, None when there is nothing to divide by."""
    if not whole:
        return None
    return round(100 * (part or 0) / whole, 1)


FUNNEL = ("due", "drawn", "visited", "approved", "published")
TABLE_COLUMNS = ("tasks_planned", "tasks_done", "tasks_joint", *FUNNEL, "overdue")


@dataclass
class DepartmentRow:
    department_id: int
    name: str
    tasks_planned: int = 0
    tasks_done: int = 0
    tasks_joint: int = 0
    due: int = 0
    drawn: int = 0
    visited: int = 0
    approved: int = 0
    published: int = 0
    overdue: int = 0

    @property
    def completion_rate(self) -> float | None:
        return rate(self.visited, self.drawn)

    @property
    def cells(self) -> list[tuple[str, int]]:
        """(figure, count) in the order of the department table's columns."""
        return [(name, getattr(self, name)) for name in TABLE_COLUMNS]


@dataclass
class Dashboard:
    filters: DashboardFilters
    departments: list[DepartmentRow]
    total: DepartmentRow
    publication: dict
    calendar_missing: bool
    coordination: dict
    follow_ups: dict
    workload: list[dict]
    categories: list[dict]
    credit_classes: list[dict]
    approved_results: int = 0
    problem_results: int = 0
    reach: Reach | None = None

    @property
    def problem_rate(self) -> float | None:
        return rate(self.problem_results, self.approved_results)

    @property
    def joint_share(self) -> float | None:
        return rate(self.total.tasks_joint, self.total.tasks_planned)


def _department_rows(filters: DashboardFilters, cutoff: datetime | None) -> list[DepartmentRow]:
    rows: dict[int, DepartmentRow] = {}

    def row(department_id: int, name: str) -> DepartmentRow:
        return rows.setdefault(department_id, DepartmentRow(department_id, name))

    tasks = (
        task_scope(filters)
        .values("department_id", "department__name")
        .annotate(
            planned=Count("pk"),
            joint=Count("pk", filter=Q(joint_check__isnull=False)),
            done=Count("pk", filter=tasks_done_q()),
        )
        .order_by()
    )
    for t in tasks:
        r = row(t["department_id"], t["department__name"])
        r.tasks_planned, r.tasks_joint, r.tasks_done = t["planned"], t["joint"], t["done"]

    plans = PlanBatch.objects.filter(
        plan__year=filters.year, plan__status__in=PLAN_COUNTED, plan__superseded_by__isnull=True
    )
    if filters.department_id:
        plans = plans.filter(plan__department_id=filters.department_id)
    for p in (
        plans.values("plan__department_id", "plan__department__name")
        .annotate(due=Sum("count"))
        .order_by()
    ):
        row(p["plan__department_id"], p["plan__department__name"]).due = p["due"] or 0

    pairs = (
        pair_scope(filters)
        .values("spotchecktask__department_id", "spotchecktask__department__name")
        .annotate(
            drawn=Count("pk"),
            visited=Count("pk", filter=Q(visit__field__outcome__in=DONE_OUTCOMES)),
            approved=Count("pk", filter=Q(pair_result(True)) & ~Q(pair_result(False))),
            published=Count("pk", filter=Q(pair_published())),
            overdue=Count("pk", filter=overdue_q(cutoff)),
        )
        .order_by()
    )
    for p in pairs:
        r = row(p["spotchecktask__department_id"], p["spotchecktask__department__name"])
        r.drawn, r.visited, r.approved = p["drawn"], p["visited"], p["approved"]
        r.published, r.overdue = p["published"], p["overdue"]
    return sorted(rows.values(), key=lambda r: r.name)


def _publication(filters: DashboardFilters) -> dict:
    records = PublicRecord.objects.filter(
        Q(task__in=task_scope(filters)) & _entity_q(filters, "entity")
    )
    return records.aggregate(
        in_time=Count("pk", filter=Q(on_time=True)), late=Count("pk", filter=Q(on_time=False))
    )


def batch_scope(filters: DashboardFilters) -> QuerySet[DrawBatch]:
    """Drawn batches with a task in scope (a redraw replaces its batch, so is counted once)."""
    through = DrawBatch.tasks.through.objects.filter(spotchecktask__in=task_scope(filters))
    return DrawBatch.objects.filter(pk__in=through.values("drawbatch_id"), status=BatchStatus.DRAWN)


def _coordination(filters: DashboardFilters) -> dict:
    return batch_scope(filters).aggregate(
        batches=Count("pk"),
        joint_batches=Count("pk", filter=Q(joint_check__isnull=False)),
        visits_saved=Sum("visits_saved"),
    )


def follow_up_scope(filters: DashboardFilters) -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(
        Q(result__task__in=task_scope(filters)) & _entity_q(filters, "entity")
    )


def _follow_ups(filters: DashboardFilters, today: date) -> dict:
    return follow_up_scope(filters).aggregate(
        open=Count("pk", filter=Q(closed_at__isnull=True)),
        closed=Count("pk", filter=Q(closed_at__isnull=False)),
        overdue=Count("pk", filter=Q(closed_at__isnull=True, deadline__lt=today)),
    )


def team_scope(filters: DashboardFilters) -> QuerySet[VisitInspector]:
    """Serving team members on visits of the scope; a department sees its own inspectors."""
    visits = Visit.objects.filter(pk__in=pair_scope(filters).values("visit_id"))
    members = VisitInspector.objects.serving().filter(visit__in=visits)
    if filters.department_id:
        members = members.filter(department_id=filters.department_id)
    return members


def _workload(filters: DashboardFilters) -> list[dict]:
    return list(
        team_scope(filters)
        .values("inspector_id", "inspector__name")
        .annotate(visits=Count("visit_id", distinct=True))
        .order_by("-visits", "inspector__name")[:WORKLOAD_TOP]
    )


def result_scope(filters: DashboardFilters) -> QuerySet[ItemResult]:
    """Approved results of the scope: the ones a problem rate is counted on."""
    return ItemResult.objects.filter(
        Q(task__in=task_scope(filters), status=ResultStatus.APPROVED)
        & _entity_q(filters, "visit__entity")
    )


def has_problem():
    return Exists(
        ResultCategoryLink.objects.filter(
            itemresult_id=OuterRef("pk"), resultcategory__problem_found=True
        )
    )


def _categories(filters: DashboardFilters) -> list[dict]:
    return list(
        ResultCategoryLink.objects.filter(itemresult__in=result_scope(filters))
        .values("resultcategory__code", "resultcategory__name", "resultcategory__problem_found")
        .annotate(results=Count("itemresult_id", distinct=True))
        .order_by("-results", "resultcategory__code")
    )


def _credit_classes(filters: DashboardFilters) -> list[dict]:
    counted = {
        c["visit__entity__credit_class"]: c
        for c in result_scope(filters)
        .values("visit__entity__credit_class")
        .annotate(results=Count("pk"), problems=Count("pk", filter=Q(has_problem())))
        .order_by()
    }
    rows = []
    for value, label in CreditClass.choices:
        c = counted.get(value, {"results": 0, "problems": 0})
        rows.append(
            {
                "credit_class": value,
                "label": label,
                "results": c["results"],
                "problems": c["problems"],
                "rate": rate(c["problems"], c["results"]),
            }
        )
    return rows


def dashboard(*, user, filters: DashboardFilters) -> Dashboard:
    """Every figure of the dashboard for the user's scope, in a fixed number of queries."""
    return figures_for(scoped_filters(user, filters))


def figures_for(filters: DashboardFilters) -> Dashboard:
    """The figures for filters already scoped (the assessment and reports run as the office)."""
    today = timezone.localdate()
    cutoff = publication_cutoff(today)
    departments = _department_rows(filters, cutoff)
    total = DepartmentRow(0, "")
    for name in TABLE_COLUMNS:
        setattr(total, name, sum(getattr(r, name) for r in departments))
    credit_classes = _credit_classes(filters)
    return Dashboard(
        filters=filters,
        departments=departments,
        total=total,
        publication=_publication(filters),
        calendar_missing=cutoff is None,
        coordination=_coordination(filters),
        follow_ups=_follow_ups(filters, today),
        workload=_workload(filters),
        categories=_categories(filters),
        credit_classes=credit_classes,
        approved_results=sum(c["results"] for c in credit_classes),
        problem_results=sum(c["problems"] for c in credit_classes),
        reach=reach_for(filters, {r.department_id: r.name for r in departments}),
    )


def assessment_list(*, user, year: int):
    """The year's assessments the user may see, each with its total score."""
    assessments = Assessment.objects.filter(year=year).select_related("department")
    if not sees_every_department(user):
        assessments = assessments.filter(department_id=user.department_id)
    return assessments.annotate(total=Sum("scores__score")).order_by("department__code")


def access_assessment_by_id(user, assessment_id: int):
    """One assessment with its scores; the same 404 for missing and another department's."""
    if not can_view_dashboard(user):  # an inspector of the department reads no assessment
        raise PermissionDenied
    found = Assessment.objects.select_related("department").filter(pk=assessment_id)
    if not sees_every_department(user):
        found = found.filter(department_id=user.department_id)
    assessment = found.first()
    if assessment is None:
        raise Http404
    return assessment


def assessment_scores(assessment):
    return assessment.scores.select_related("indicator", "reviewer").prefetch_related("evidence")


def report_list(*, user):
    """Yearly reports the user may download: a department its own, the office all."""
    reports = YearlyReport.objects.select_related("department", "requested_by")
    if not sees_every_department(user):
        reports = reports.filter(department_id=user.department_id)
    return reports


def access_report_by_id(user, report_id: int):
    if not can_view_dashboard(user):  # an inspector of the department reads no report
        raise PermissionDenied
    found = report_list(user=user).filter(pk=report_id).first()
    if found is None:
        raise Http404
    return found
