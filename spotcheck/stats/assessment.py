"""Scores from the data for the DATA indicators of the assessment table. Each measure returns a
fraction of full marks, the reason in words, and the dashboard figure whose records it counted,
so a department can open every score's records."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from spotcheck.directory.models import Inspector, MarketEntity
from spotcheck.items.models import CheckItem
from spotcheck.plans.models import AnnualPlan, PlanStatus

from .filters import DashboardFilters
from .models import AssessmentIndicator, Measure
from .selectors import Dashboard, figures_for


@dataclass(frozen=True)
class Measured:
    fraction: Decimal  # 0..1 of the indicator's weight
    basis: str
    figure: str = ""  # stats:records figure behind the score, if any


def _ratio(part: int, whole: int, target: Decimal | None) -> Decimal:
    """part/whole against the target (full marks at or above it), capped at 1."""
    if not whole:
        return Decimal(1)
    achieved = Decimal(part) / Decimal(whole)
    full = target or Decimal(1)
    return min(Decimal(1), achieved / full)


def _present(count: int, what: str) -> Measured:
    return Measured(
        Decimal(1 if count else 0),
        _("%(what)s：%(n)s 条") % {"what": what, "n": count},
    )


def measure(indicator: AssessmentIndicator, department, year: int, board: Dashboard) -> Measured:
    t = board.total
    match indicator.measure:
        case Measure.ENTITY_DIRECTORY:
            n = MarketEntity.objects.filter(departments=department).count()
            return _present(n, _("本部门名录库中的检查对象"))
        case Measure.INSPECTOR_DIRECTORY:
            n = Inspector.objects.filter(department=department).count()
            return _present(n, _("本部门执法检查人员"))
        case Measure.ITEM_LIST:
            n = CheckItem.objects.filter(department=department, is_active=True).count()
            return _present(n, _("向社会公示的抽查事项"))
        case Measure.PLAN_PUBLISHED:
            plans = AnnualPlan.objects.filter(
                department=department, year=year, status=PlanStatus.PUBLISHED
            )
            return _present(plans.count(), _("已公示的年度抽查计划"))
        case Measure.DRAWN_AS_PLANNED:
            if not t.due:
                return Measured(Decimal(0), _("年度计划未设定抽查数量"), "due")
            off = abs(t.drawn - t.due)
            return Measured(
                max(Decimal(0), 1 - Decimal(off) / Decimal(t.due)),
                _("计划抽查 %(due)s 户次，实际抽取 %(drawn)s 户次")
                % {"due": t.due, "drawn": t.drawn},
                "drawn",
            )
        case Measure.JOINT_CHECKS:
            return Measured(
                Decimal(1 if t.tasks_joint else 0),
                _("联合抽查任务 %(n)s 个") % {"n": t.tasks_joint},
                "tasks_joint",
            )
        case Measure.JOINT_SHARE:
            return Measured(
                _ratio(t.tasks_joint, t.tasks_planned, indicator.target),
                _("联合抽查任务 %(j)s 个，占全部任务 %(n)s 个")
                % {"j": t.tasks_joint, "n": t.tasks_planned},
                "tasks_joint",
            )
        case Measure.PUBLISHED_ON_TIME:
            on_time, late = board.publication["in_time"], board.publication["late"]
            return Measured(
                _ratio(on_time, on_time + late + t.overdue, indicator.target),
                _("按期公示 %(a)s 条，逾期公示 %(b)s 条，逾期未公示 %(c)s 条")
                % {"a": on_time, "b": late, "c": t.overdue},
                "published_late",
            )
        case Measure.PUBLICATION_RATE:
            return Measured(
                _ratio(t.published, t.approved, indicator.target),
                _("已审核 %(a)s 户次，已公示 %(p)s 户次") % {"a": t.approved, "p": t.published},
                "published",
            )
        case Measure.RESULTS_USED:
            closed, open_ = board.follow_ups["closed"], board.follow_ups["open"]
            return Measured(
                _ratio(closed, closed + open_, indicator.target),
                _("后续处置已办结 %(c)s 件，未办结 %(o)s 件") % {"c": closed, "o": open_},
                "follow_ups_open",
            )
    raise ValueError(indicator.measure)


def data_scores(department, year: int) -> list[tuple[AssessmentIndicator, Decimal, Measured]]:
    """(indicator, score, how) for every active DATA indicator."""
    board = figures_for(DashboardFilters(year=year, department_id=department.pk))
    scored = []
    for indicator in AssessmentIndicator.objects.filter(is_active=True, method="data"):
        found = measure(indicator, department, year, board)
        score = (indicator.weight * found.fraction).quantize(Decimal("0.1"), ROUND_HALF_UP)
        scored.append((indicator, score, found))
    return scored
