"""The rules a task must pass when it is saved, each with a clear Chinese message."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from spotcheck.items.models import CheckItem, CheckItemVersion

from .errors import TaskErrorCode
from .models import DesignMode
from .population import stratum_sizes
from .quiet_days import quiet_day_errors

STRATA = ("A", "B", "C", "D")


@dataclass(frozen=True)
class TaskDraft:
    department_id: int
    directed: bool
    items: list[CheckItemVersion]
    population_filter: dict
    mode: str
    values: dict  # stratum → int count or decimal string
    n: int | None
    planned_start: date
    planned_end: date


def _setting(name: str) -> Fraction:
    return Fraction(Decimal(settings.SPOTCHECK_RULES[name]))


def _per_stratum(values: dict, stratum: str):
    return values.get(stratum, values.get("*"))


def expected_sample(mode: str, values: dict, n: int | None, sizes: dict[str, int]) -> Fraction:
    """Expected number of entities drawn: Σ counts, Σ ceil(r·N), Σ p·N, or min(n, N)."""
    total = Fraction(0)
    if mode == DesignMode.SEQUENTIAL_POISSON:
        return Fraction(min(n or 0, sum(sizes.values())))
    for stratum, size in sizes.items():
        value = _per_stratum(values, stratum)
        if value is None:
            continue
        if mode == DesignMode.COUNT:
            total += min(int(value), size)
        elif mode == DesignMode.RATIO:
            ratio = Fraction(Decimal(value))
            drawn = -((-ratio.numerator * size) // ratio.denominator)
            total += min(max(drawn, 1) if size and ratio else drawn, size)
        else:
            total += Fraction(Decimal(value)) * size
    return total


def _percent(value: Fraction) -> str:
    return f"{float(value) * 100:.1f}%"


def design_errors(mode: str, values: dict, n: int | None) -> list[ValidationError]:
    if mode not in DesignMode.values:
        return [ValidationError(_("未知的抽取方式"), code=TaskErrorCode.DESIGN_INVALID)]
    if not values and mode != DesignMode.SEQUENTIAL_POISSON:
        return [
            ValidationError(
                _("请至少为一个信用风险分类设定抽取参数"), code=TaskErrorCode.DESIGN_INVALID
            )
        ]
    errors = []
    for stratum, value in values.items():
        if stratum not in (*STRATA, "*"):
            errors.append(
                ValidationError(
                    _("分层“%(s)s”不存在") % {"s": stratum}, code=TaskErrorCode.DESIGN_INVALID
                )
            )
        elif mode == DesignMode.COUNT:
            if not isinstance(value, int) or value < 0:
                errors.append(
                    ValidationError(
                        _("%(s)s 类的抽取数量应为非负整数") % {"s": stratum},
                        code=TaskErrorCode.DESIGN_INVALID,
                    )
                )
        else:
            try:
                number = Decimal(str(value))
            except ArithmeticError:
                number = Decimal(-1)
            # NaN cannot even be compared (InvalidOperation): refuse it like any bad ratio.
            if not number.is_finite() or not (0 <= number <= 1):
                errors.append(
                    ValidationError(
                        _("%(s)s 类的比例或概率应在 0 到 1 之间") % {"s": stratum},
                        code=TaskErrorCode.DESIGN_INVALID,
                    )
                )
    if mode == DesignMode.SEQUENTIAL_POISSON and not n:
        errors.append(
            ValidationError(_("按概率定量抽取须填写抽取数量"), code=TaskErrorCode.DESIGN_INVALID)
        )
    return errors


def task_errors(draft: TaskDraft) -> list[ValidationError]:
    """Every rule the task breaks; empty when it may be drawn."""
    errors = _item_errors(draft)
    if draft.planned_end < draft.planned_start:
        errors.append(
            ValidationError(_("计划结束日期早于开始日期"), code=TaskErrorCode.DATES_INVALID)
        )
    errors.extend(quiet_day_errors(draft.planned_start, draft.planned_end))
    design = design_errors(draft.mode, draft.values, draft.n)
    if design:
        return errors + design
    sizes = stratum_sizes(draft.population_filter, draft.department_id)
    population = sum(sizes.values())
    if population == 0:
        errors.append(
            ValidationError(
                _("抽查对象范围内没有符合条件的市场主体"), code=TaskErrorCode.POPULATION_EMPTY
            )
        )
        return errors
    ratio = expected_sample(draft.mode, draft.values, draft.n, sizes) / population
    minimum = _setting("MIN_RATIO_DIRECTED" if draft.directed else "MIN_RATIO_UNDIRECTED")
    if ratio < minimum:
        kind = _("定向抽查") if draft.directed else _("不定向抽查")
        errors.append(
            ValidationError(
                _("%(kind)s比例为 %(ratio)s，低于最低比例 %(min)s")
                % {"kind": kind, "ratio": _percent(ratio), "min": _percent(minimum)},
                code=TaskErrorCode.RATIO_BELOW_MINIMUM,
            )
        )
    for item in draft.items:
        # a general item whose list set no ratio is capped by its department's default
        if (item_cap := item.effective_ratio_cap()) is not None:
            cap = Fraction(item_cap)
            if ratio > cap:
                errors.append(
                    ValidationError(
                        _("一般检查事项“%(item)s”的抽查比例上限为 %(cap)s，本任务为 %(ratio)s")
                        % {"item": item.name, "cap": _percent(cap), "ratio": _percent(ratio)},
                        code=TaskErrorCode.GENERAL_ITEM_CAP_EXCEEDED,
                    )
                )
    return errors


def _item_errors(draft: TaskDraft) -> list[ValidationError]:
    if not draft.items:
        return [ValidationError(_("请至少选择一项抽查事项"), code=TaskErrorCode.NO_ITEMS)]
    errors = []
    # Read the items afresh: the list may have changed since the form was drawn.
    items = CheckItem.objects.in_bulk([version.item_id for version in draft.items])
    for version in draft.items:
        item = items[version.item_id]
        if item.department_id != draft.department_id:
            errors.append(
                ValidationError(
                    _("事项“%(item)s”属于其他部门，不能列入本部门任务") % {"item": version.name},
                    code=TaskErrorCode.ITEM_OF_ANOTHER_DEPARTMENT,
                )
            )
        elif not item.is_active or item.current_version_id != version.pk:
            errors.append(
                ValidationError(
                    _("事项“%(item)s”不在本部门现行抽查事项清单中（清单之外无监管）")
                    % {"item": version.name},
                    code=TaskErrorCode.ITEM_NOT_ON_LIST,
                )
            )
    return errors
