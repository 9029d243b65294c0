"""The design of a batch (§10): tasks, modes, per-stratum counts, ratios and probabilities."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from spotcheck_draw.errors import DrawError, DrawErrorCode

MODES = ("count", "ratio", "poisson", "sequential_poisson")
ROUNDINGS = ("ceil_min1", "ceil")
TASK_KINDS = ("general", "key", "targeted")
_DECIMAL = re.compile(r"(0(\.[0-9]+)?|1(\.0+)?|\.[0-9]+)")
ANY_STRATUM = "*"


def parse_decimal(text: object, where: str) -> Fraction:
    """A decimal string in [0, 1] → its exact value (§11)."""
    if not isinstance(text, str) or not _DECIMAL.fullmatch(text):
        raise DrawError(
            DrawErrorCode.DESIGN_BAD_DECIMAL,
            f"{where}: {text!r} is not a decimal string between 0 and 1",
        )
    return Fraction(text)


def _count(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise DrawError(DrawErrorCode.DESIGN_BAD_COUNT, f"{where}: {value!r} is not a count ≥ 0")
    return value


@dataclass(frozen=True)
class TaskDesign:
    """One department's task. ``per_stratum`` holds counts (count), ratios (ratio) or
    probabilities (poisson, sequential_poisson); ``"*"`` covers every stratum not named."""

    id: str
    department: str
    mode: str
    per_stratum: Mapping[str, Fraction | int]
    n: int = 0
    items: tuple[str, ...] = ()
    kind: str = "general"
    texts: Mapping[str, str] = field(default_factory=dict)  # decimals as written

    def value(self, stratum: str) -> Fraction | int | None:
        """The stratum's setting, the "*" setting, or None: the stratum selects nothing."""
        if stratum in self.per_stratum:
            return self.per_stratum[stratum]
        return self.per_stratum.get(ANY_STRATUM)


@dataclass(frozen=True)
class Design:
    rounding: str
    tasks: tuple[TaskDesign, ...]
    raw: Mapping[str, Any]

    def task(self, task_id: str) -> TaskDesign:
        for task in self.tasks:
            if task.id == task_id:
                return task
        raise DrawError(DrawErrorCode.DESIGN_UNKNOWN_TASK, f"task {task_id!r} is not in the design")


def _text(value: object, where: str) -> str:
    if not isinstance(value, str) or not value or any(c in value for c in "\t\n\r,"):
        raise DrawError(
            DrawErrorCode.DESIGN_INVALID,
            f"{where} must be a non-empty string without tab, line break or comma",
        )
    return value


def _mapping(value: object, where: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise DrawError(DrawErrorCode.DESIGN_INVALID, f"{where} must be an object")
    return value


def parse_task(raw: object, index: int) -> TaskDesign:
    task = _mapping(raw, f"task {index}")
    task_id = _text(task.get("id"), f"task {index} id")
    department = _text(task.get("department"), f"task {task_id} department")
    mode = task.get("mode")
    if mode not in MODES:
        raise DrawError(DrawErrorCode.DESIGN_INVALID, f"task {task_id}: unknown mode {mode!r}")
    key = "strata" if mode in ("count", "ratio") else "probabilities"
    settings = _mapping(task.get(key), f"task {task_id} {key}")
    per: dict[str, Fraction | int] = {}
    texts: dict[str, str] = {}
    for stratum, value in settings.items():
        where = f"task {task_id} stratum {stratum}"
        if mode == "count":
            per[stratum] = _count(value, where)
        else:
            per[stratum] = parse_decimal(value, where)
            texts[stratum] = str(value)
    n = _count(task.get("n"), f"task {task_id} n") if mode == "sequential_poisson" else 0
    items = task.get("items", [])
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise DrawError(DrawErrorCode.DESIGN_INVALID, f"task {task_id}: items must be strings")
    kind = task.get("kind", "general")
    if kind not in TASK_KINDS:
        raise DrawError(DrawErrorCode.DESIGN_INVALID, f"task {task_id}: unknown kind {kind!r}")
    return TaskDesign(task_id, department, str(mode), per, n, tuple(items), str(kind), texts)


def parse_design(raw: Mapping[str, Any]) -> Design:
    """Check a design dictionary (§10) and type its tasks."""
    if raw.get("version") != 1:
        raise DrawError(DrawErrorCode.DESIGN_INVALID, "design version must be 1")
    rounding = raw.get("rounding", "ceil_min1")
    if rounding not in ROUNDINGS:
        raise DrawError(DrawErrorCode.DESIGN_INVALID, f"unknown rounding {rounding!r}")
    tasks_raw = raw.get("tasks")
    if not isinstance(tasks_raw, list) or not tasks_raw:
        raise DrawError(DrawErrorCode.DESIGN_INVALID, "the design has no task")
    tasks = tuple(parse_task(t, i) for i, t in enumerate(tasks_raw))
    ids = [t.id for t in tasks]
    if len(set(ids)) != len(ids):
        raise DrawError(DrawErrorCode.DESIGN_INVALID, "two tasks share an id")
    return Design(str(rounding), tasks, raw)


def ratio_size(ratio: Fraction, population: int, rounding: str) -> int:
    """n = ceil(ratio × N); with ceil_min1, n ≥ 1 when N > 0 and ratio > 0 (§4, §11)."""
    n = -((-ratio.numerator * population) // ratio.denominator)
    if rounding == "ceil_min1" and population > 0 and ratio > 0:
        n = max(n, 1)
    return min(n, population)
