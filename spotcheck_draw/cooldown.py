"""The burden rule (§5), a pure function of the committed visit history.

Design section: ``"cooldown": {"months": 12, "planned_date": "YYYY-MM-DD", "exempt_strata":
["D"], "history": [{"uscc": "...", "date": "YYYY-MM-DD"}, ...]}``. An entity visited on date d
(any department) is cooling down while add_months(d, months) > planned_date; general tasks may
not include it; key and targeted tasks and exempt strata (risk class D) ignore the window."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from spotcheck_draw.design import Design


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def cooling_entities(history: Iterable[Mapping[str, str]], planned: date, months: int) -> set[str]:
    """USCCs with a visit d such that add_months(d, months) > planned."""
    return {
        h["uscc"] for h in history if add_months(date.fromisoformat(h["date"]), months) > planned
    }


def cooldown_eligible(
    uscc: str, stratum: str, kind: str, *, cooling: set[str], exempt_strata: Sequence[str]
) -> bool:
    """Eligible unless a general task meets a cooling entity outside the exempt strata."""
    return kind != "general" or stratum in exempt_strata or uscc not in cooling


def design_cooling(design: Design) -> set[str]:
    """The USCCs cooling down under the design's rule (none without one): only their rows can
    break it."""
    rule: Mapping[str, Any] | None = design.raw.get("cooldown")
    if not rule:
        return set()
    return cooling_entities(
        rule.get("history", []), date.fromisoformat(rule["planned_date"]), int(rule["months"])
    )


def cooldown_violations(rows: Iterable[Sequence[str]], design: Design) -> list[str]:
    """Population rows (USCC, stratum, task) that the design's cooldown rule forbids."""
    rule: Mapping[str, Any] | None = design.raw.get("cooldown")
    if not rule:
        return []
    cooling = design_cooling(design)
    kinds = {t.id: t.kind for t in design.tasks}
    exempt = list(rule.get("exempt_strata", []))
    return [
        f"{uscc} in task {task}"
        for uscc, stratum, task in rows
        if not cooldown_eligible(
            uscc, stratum, kinds.get(task, "general"), cooling=cooling, exempt_strata=exempt
        )
    ]
