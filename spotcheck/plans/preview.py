"""The task form's live preview: population size and expected sample per credit-class stratum,
and the rules the design breaks, computed from whatever has been typed so far (a read)."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError

from .forms import TaskForm
from .population import stratum_sizes
from .validation import STRATA, TaskDraft, expected_sample, task_errors


@dataclass
class StratumRow:
    stratum: str
    population: int
    expected: float
    value: str


@dataclass
class TaskPreview:
    rows: list[StratumRow] = field(default_factory=list)
    population: int = 0
    expected: float = 0.0
    ratio: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def percent(self) -> str:
        return f"{self.ratio * 100:.1f}%" if self.population else "—"


def _messages(error: ValidationError) -> list[str]:
    return list(error.messages)


def task_preview(form: TaskForm) -> TaskPreview:
    """Never raises on bad input: each problem becomes a message beside the figures."""
    form.is_valid()  # fills cleaned_data with the fields that are valid so far
    data = form.cleaned_data
    preview = TaskPreview()
    try:
        values = form.design_values(data.get("design_mode") or "")
    except ValidationError as error:
        preview.problems += _messages(error)
        values = {}
    draft = TaskDraft(
        department_id=form.department.pk,
        directed=bool(data.get("directed")),
        items=list(data.get("items") or []),
        population_filter=form.population_filter(),
        mode=data.get("design_mode") or "",
        values=values,
        n=data.get("design_n"),
        planned_start=data.get("planned_start") or date.today(),
        planned_end=data.get("planned_end") or date.today(),
    )
    sizes = stratum_sizes(draft.population_filter, draft.department_id)
    for stratum in STRATA:
        size = sizes.get(stratum, 0)
        expected = expected_sample(draft.mode, values, draft.n, {stratum: size}) if values else 0
        shown = values.get(stratum, values.get("*", ""))
        preview.rows.append(StratumRow(stratum, size, float(expected), str(shown)))
    preview.population = sum(sizes.values())
    if values or draft.n:
        total = expected_sample(draft.mode, values, draft.n, sizes)
        preview.expected = float(total)
        preview.ratio = float(total / preview.population) if preview.population else 0.0
    if not preview.problems:
        preview.problems += [m for error in task_errors(draft) for m in _messages(error)]
    return preview
