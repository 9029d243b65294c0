"""One department's task in a demo joint check of catering firms (GB/T 4754 division 62)."""

from datetime import date

from spotcheck.items.models import CheckItem
from spotcheck.plans.services import task_create
from spotcheck.plans.validation import TaskDraft


def catering_task(
    *, actor, department, item_name: str, probabilities, start: date, end: date, name, joint
):
    """A Poisson task on the department's item over catering firms, joined to `joint`."""
    version = CheckItem.objects.get(
        department=department, current_version__name=item_name
    ).current_version
    draft = TaskDraft(
        department_id=department.pk,
        directed=False,
        items=[version],
        population_filter={"industry_prefixes": ["62"]},
        mode="poisson",
        values=probabilities,
        n=None,
        planned_start=start,
        planned_end=end,
    )
    return task_create(
        actor=actor, department=department, draft=draft, name=name, joint_check=joint
    )
