"""Yearly caps per firm (国办发〔2024〕54号): at most `per_department` routine on-site checks of one
firm by one department in a calendar year, and at most `total` by all departments together.

The design's "caps" section records the rule and the year's committed visit history (each
visit with the departments that had a task in it, a joint visit counting once in the total),
so anyone can recompute which entities had to be left out, as with the cooldown.
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any


def check_counts(
    history: Iterable[Mapping[str, Any]],
) -> tuple[Counter[tuple[str, str]], Counter[str]]:
    """Checks per (USCC, department) and per USCC in the history."""
    per_department: Counter[tuple[str, str]] = Counter()
    total: Counter[str] = Counter()
    for visit in history:
        total[visit["uscc"]] += 1
        for department in set(visit["departments"]):
            per_department[(visit["uscc"], department)] += 1
    return per_department, total


def at_cap(
    uscc: str,
    department: str,
    counts: tuple[Counter[tuple[str, str]], Counter[str]],
    caps: Mapping[str, Any],
) -> bool:
    per_department, total = counts
    limit_department: int = caps["per_department"]
    limit_total: int = caps["total"]
    return per_department[(uscc, department)] >= limit_department or total[uscc] >= limit_total


def capped(
    history: Iterable[Mapping[str, Any]], caps: Mapping[str, Any]
) -> tuple[set[tuple[str, str]], set[str]]:
    """(USCC, department) pairs at the department cap, and USCCs at the total cap: two set
    look-ups per population line instead of counting."""
    per_department, total = check_counts(history)
    limit_department: int = caps["per_department"]
    limit_total: int = caps["total"]
    return (
        {pair for pair, n in per_department.items() if n >= limit_department},
        {uscc for uscc, n in total.items() if n >= limit_total},
    )


def may_be_capped(design: Mapping[str, Any]) -> set[str] | None:
    """The USCCs whose lines ``cap_violations`` can refuse: those in the caps' history (a firm
    never checked this year has counts of 0); None when every line can be (a cap of 0)."""
    caps = design.get("caps")
    if not caps:
        return set()
    if caps["per_department"] <= 0 or caps["total"] <= 0:
        return None
    return {visit["uscc"] for visit in caps["history"]}


def cap_violations(rows: Iterable[tuple[str, str, str]], design: Mapping[str, Any]) -> list[str]:
    """Population lines (USCC, stratum, task) of firms already at a cap for the task's
    department; empty when the design carries no caps section."""
    caps = design.get("caps")
    if not caps:
        return []
    departments = {task["id"]: task["department"] for task in design["tasks"]}
    counts = check_counts(caps["history"])
    return sorted(
        f"{uscc}\t{task}" for uscc, _, task in rows if at_cap(uscc, departments[task], counts, caps)
    )
