"""The records behind each dashboard figure, with the dashboard's scope and filters: a number
on the dashboard is always the length of one of these lists."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from spotcheck.directory.models import MarketEntity
from spotcheck.draws.models import Visit
from spotcheck.plans.models import PlanBatch
from spotcheck.publication.models import PublicRecord

from .filters import DashboardFilters
from .reach import at_cap_entity_ids, covered_q, onsite_scope, rating_scope, supervision_scope
from .selectors import (
    DONE_OUTCOMES,
    PLAN_COUNTED,
    batch_scope,
    follow_up_scope,
    has_problem,
    overdue_q,
    pair_published,
    pair_result,
    pair_scope,
    publication_cutoff,
    result_scope,
    scoped_filters,
    task_scope,
    tasks_done_q,
    team_scope,
)


@dataclass(frozen=True)
class Figure:
    title: str
    kind: str  # which table the template shows: task, pair, record, batch, follow_up, visit, result
    rows: Callable[[DashboardFilters, str], QuerySet]


def _plan_batches(f: DashboardFilters, key: str) -> QuerySet:
    batches = PlanBatch.objects.filter(
        plan__year=f.year, plan__status__in=PLAN_COUNTED, plan__superseded_by__isnull=True
    )
    if f.department_id:
        batches = batches.filter(plan__department_id=f.department_id)
    return batches.select_related("plan", "plan__department").order_by("plan__number", "pk")


def _pairs(f: DashboardFilters, q: Q | None = None) -> QuerySet:
    pairs = pair_scope(f) if q is None else pair_scope(f).filter(q)
    return pairs.select_related(
        "visit__entity", "visit__batch", "visit__field", "spotchecktask__department"
    ).order_by("visit__batch__number", "visit__visit_id", "spotchecktask__number")


def _pairs_of(pairs: QuerySet) -> QuerySet:
    return pairs.select_related(
        "visit__entity", "visit__batch", "visit__field", "spotchecktask__department"
    ).order_by("visit__batch__number", "visit__visit_id", "spotchecktask__number")


def _records(f: DashboardFilters, on_time: bool) -> QuerySet:
    return PublicRecord.objects.filter(task__in=task_scope(f), on_time=on_time).filter(
        **{
            k: v
            for k, v in (
                ("entity__industry_code__startswith", f.industry),
                ("entity__region_code__startswith", f.region),
            )
            if v
        }
    )


def _follow_ups(f: DashboardFilters, q: Q) -> QuerySet:
    return (
        follow_up_scope(f)
        .filter(q)
        .select_related("entity", "department", "result__task")
        .order_by("deadline", "pk")
    )


def _results(f: DashboardFilters, q: Q) -> QuerySet:
    return (
        result_scope(f)
        .filter(q)
        .select_related("visit__entity", "visit__batch", "task", "item", "department")
        .prefetch_related("categories")
        .order_by("visit__batch__number", "visit__visit_id", "pk")
    )


def _supervised(f: DashboardFilters, q: Q | None = None) -> QuerySet:
    rows = supervision_scope(f) if q is None else supervision_scope(f).filter(q)
    return rows.select_related("marketentity", "department").order_by(
        "department__code", "marketentity__key"
    )


def _at_cap(f: DashboardFilters) -> QuerySet:
    ids = set().union(*at_cap_entity_ids(f).values())
    return MarketEntity.objects.filter(pk__in=ids).order_by("key")


FIGURES: dict[str, Figure] = {
    "tasks_planned": Figure(_("计划任务"), "task", lambda f, k: task_scope(f)),
    "tasks_done": Figure(
        _("已完成任务"), "task", lambda f, k: task_scope(f).filter(tasks_done_q())
    ),
    "tasks_joint": Figure(
        _("联合抽查任务"), "task", lambda f, k: task_scope(f).filter(joint_check__isnull=False)
    ),
    "due": Figure(_("应检查（计划批次）"), "plan_batch", _plan_batches),
    "drawn": Figure(_("已抽取"), "pair", lambda f, k: _pairs(f)),
    "visited": Figure(
        _("已检查"), "pair", lambda f, k: _pairs(f, Q(visit__field__outcome__in=DONE_OUTCOMES))
    ),
    "approved": Figure(
        _("已审核"), "pair", lambda f, k: _pairs(f, Q(pair_result(True)) & ~Q(pair_result(False)))
    ),
    "published": Figure(_("已公示"), "pair", lambda f, k: _pairs(f, Q(pair_published()))),
    "overdue": Figure(
        _("逾期未公示"),
        "pair",
        lambda f, k: _pairs(f, overdue_q(publication_cutoff(timezone.localdate()))),
    ),
    "published_on_time": Figure(_("按期公示"), "record", lambda f, k: _records(f, True)),
    "published_late": Figure(_("逾期公示"), "record", lambda f, k: _records(f, False)),
    "batches": Figure(
        _("抽取批次（减少入户次数）"),
        "batch",
        lambda f, k: batch_scope(f).select_related("department").order_by("number"),
    ),
    "follow_ups_open": Figure(
        _("未办结的后续处置"), "follow_up", lambda f, k: _follow_ups(f, Q(closed_at__isnull=True))
    ),
    "follow_ups_closed": Figure(
        _("已办结的后续处置"), "follow_up", lambda f, k: _follow_ups(f, Q(closed_at__isnull=False))
    ),
    "follow_ups_overdue": Figure(
        _("逾期未办结的后续处置"),
        "follow_up",
        lambda f, k: _follow_ups(f, Q(closed_at__isnull=True, deadline__lt=timezone.localdate())),
    ),
    "inspector": Figure(
        _("检查人员承担的检查"),
        "visit",
        lambda f, k: (
            Visit.objects.filter(
                pk__in=team_scope(f).filter(inspector_id=int(k)).values("visit_id")
            )
            .select_related("entity", "batch")
            .order_by("batch__number", "visit_id")
        ),
    ),
    "entity_visits": Figure(
        _("同一检查对象的检查"),
        "visit",
        lambda f, k: (
            Visit.objects.filter(
                pk__in=pair_scope(f).filter(visit__entity_id=int(k)).values("visit_id")
            )
            .select_related("entity", "batch")
            .order_by("planned_date", "visit_id")
        ),
    ),
    "population": Figure(
        _("监管对象（名录库中存续的检查对象）"), "supervised", lambda f, k: _supervised(f)
    ),
    "covered_1y": Figure(
        _("本年度抽查覆盖的监管对象"), "supervised", lambda f, k: _supervised(f, covered_q(f, 1))
    ),
    "covered_3y": Figure(
        _("近三年抽查覆盖的监管对象"), "supervised", lambda f, k: _supervised(f, covered_q(f, 3))
    ),
    "at_cap": Figure(_("本年度检查次数达到部门上限的检查对象"), "entity", lambda f, k: _at_cap(f)),
    "onsite": Figure(
        _("现场检查（一个任务在一户检查对象）"),
        "pair",
        lambda f, k: _pairs_of(onsite_scope(f, (f.year,))),
    ),
    "rated": Figure(
        _("企业已评价的检查（不显示逐次评分）"),
        "visit",
        lambda f, k: (
            Visit.objects.filter(pk__in=rating_scope(f).values("visit_id"))
            .select_related("entity", "batch")
            .order_by("batch__number", "visit_id")
        ),
    ),
    "problems": Figure(
        _("发现问题的检查结果"), "result", lambda f, k: _results(f, Q(has_problem()))
    ),
    "category": Figure(
        _("按检查结果类别"), "result", lambda f, k: _results(f, Q(categories__code=k))
    ),
    "credit_class": Figure(
        _("按信用风险分类"), "result", lambda f, k: _results(f, Q(visit__entity__credit_class=k))
    ),
}

#: Figures that need a key (which inspector, category or class); a number for the inspector.
KEYED = {"inspector", "category", "credit_class", "entity_visits"}
NUMERIC_KEYS = {"inspector", "entity_visits"}


def figure_records(*, user, figure: str, filters: DashboardFilters, key: str = ""):
    """(figure, rows) behind one dashboard number; 404 for an unknown figure or a bad key."""
    found = FIGURES.get(figure)
    if found is None or (figure in KEYED) != bool(key):
        raise Http404
    if figure in NUMERIC_KEYS and not (key.isdigit() and len(key) <= 9):  # an int4 id
        raise Http404
    if figure in OFFICE_ONLY and not user.is_office:
        raise Http404
    return found, found.rows(scoped_filters(user, filters), key)


# Which visits a firm rated, beside any average, would let a department work out one firm's
# stars: the department sees the aggregate only (issue 14), the office sees the list.
OFFICE_ONLY = {"rated"}
