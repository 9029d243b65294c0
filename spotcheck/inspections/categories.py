"""The rules a result's categories obey together: some stand alone (未发现问题, 注销…), some
exclude each other (已责令改正 or 待后续处理), some need a written finding or a measure."""

from collections import defaultdict
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .errors import ResultErrorCode


def _names(categories) -> str:
    return "、".join(f"“{c.name}”" for c in categories)


def category_rules_errors(categories: Iterable, *, finding: str, measures: str) -> list:
    """Every broken rule as a ValidationError, in the order a person would fix them."""
    chosen = sorted(categories, key=lambda c: (c.order, c.code))
    errors = []
    if len(chosen) > 1:
        for category in chosen:
            if category.stands_alone:
                others = [c for c in chosen if c is not category]
                errors.append(
                    ValidationError(
                        _("“%(name)s”不能与%(others)s同时选择")
                        % {"name": category.name, "others": _names(others)},
                        code=ResultErrorCode.CATEGORIES_CONTRADICT,
                    )
                )
                break
    groups = defaultdict(list)
    for category in chosen:
        if category.exclusive_group:
            groups[category.exclusive_group].append(category)
    for members in groups.values():
        if len(members) > 1:
            errors.append(
                ValidationError(
                    _("%(names)s只能选择其中一项") % {"names": _names(members)},
                    code=ResultErrorCode.CATEGORIES_CONTRADICT,
                )
            )
    if not finding.strip() and (needing := [c for c in chosen if c.needs_finding]):
        errors.append(
            ValidationError(
                _("选择%(names)s时须填写检查情况") % {"names": _names(needing)},
                code=ResultErrorCode.FINDING_REQUIRED,
            )
        )
    if not measures.strip() and (needing := [c for c in chosen if c.needs_measure]):
        errors.append(
            ValidationError(
                _("选择%(names)s时须填写处理措施") % {"names": _names(needing)},
                code=ResultErrorCode.MEASURE_REQUIRED,
            )
        )
    return errors


def category_rules_check(categories: Iterable, *, finding: str, measures: str) -> None:
    """Raise one ValidationError listing every broken rule; nothing is saved then."""
    errors = category_rules_errors(categories, finding=finding, measures=measures)
    if errors:
        raise ValidationError(errors)
