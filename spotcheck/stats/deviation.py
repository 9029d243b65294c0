"""Early warning: draws whose realised sample deviates from its design, per task and stratum
(credit class): what the task's design asked for against what the committed draw recorded.
A count or ratio design deviates on any difference (e.g. fewer firms left in a stratum than
the count asked for); a probability design beyond SAMPLE_DEVIATION_SIGMAS standard deviations
of p·N; "n by probability" on its total. Two queries: the batches and their tasks."""

import math
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.db.models import Prefetch

from spotcheck.plans.models import DesignMode, SpotCheckTask
from spotcheck.plans.validation import expected_sample

from .filters import DashboardFilters
from .selectors import batch_scope


def _deviates(mode: str, designed: Fraction, drawn: int, probability: Fraction | None) -> bool:
    if mode != DesignMode.POISSON:
        return drawn != designed
    if probability is None:
        return drawn != 0
    size = designed / probability if probability else Fraction(0)
    spread = math.sqrt(float(size * probability * (1 - probability)))
    sigmas = settings.SPOTCHECK_STATS["SAMPLE_DEVIATION_SIGMAS"]
    return abs(drawn - float(designed)) > max(sigmas * spread, 0.5)


def _rows_of(task: SpotCheckTask, counts: list[dict]) -> list[tuple[str, Fraction, int]]:
    """(stratum, designed, drawn) per stratum; one total row for "n by probability"."""
    values = task.design_values or {}
    if task.design_mode == DesignMode.SEQUENTIAL_POISSON:
        sizes = {c["stratum"]: c["population"] for c in counts}
        designed = expected_sample(task.design_mode, values, task.design_n, sizes)
        return [("*", designed, sum(c["sample"] for c in counts))]
    return [
        (
            c["stratum"],
            expected_sample(
                task.design_mode, values, task.design_n, {c["stratum"]: c["population"]}
            ),
            c["sample"],
        )
        for c in counts
    ]


def sample_deviations(filters: DashboardFilters) -> list[dict]:
    """Filters already scoped: a department sees its own tasks of the year's drawn batches."""
    tasks = SpotCheckTask.objects.only(
        "number", "department_id", "design_mode", "design_values", "design_n"
    )
    batches = (
        batch_scope(filters)
        .only("pk", "number", "record")
        .prefetch_related(Prefetch("tasks", queryset=tasks))
        .order_by("number")
    )
    found = []
    for batch in batches:
        counts_by_task: dict[str, list[dict]] = {}
        for count in (batch.record or {}).get("counts", []):
            counts_by_task.setdefault(count["task"], []).append(count)
        for task in batch.tasks.all():
            if filters.department_id and task.department_id != filters.department_id:
                continue
            values = task.design_values or {}
            for stratum, designed, drawn in _rows_of(task, counts_by_task.get(task.number, [])):
                value = values.get(stratum, values.get("*"))
                probability = Fraction(Decimal(str(value))) if value is not None else None
                if _deviates(task.design_mode, designed, drawn, probability):
                    found.append(
                        {
                            "batch_id": batch.pk,
                            "batch": batch.number,
                            "task": task.number,
                            "stratum": stratum,
                            "designed": round(float(designed), 1),
                            "drawn": drawn,
                        }
                    )
    return found[: settings.SPOTCHECK_STATS["WARNING_ROWS"]]
