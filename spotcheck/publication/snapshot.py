"""The public layout of a result record, built from approved results only (the latest approved
amendment wins). Names the published fields one by one: nothing else is copied."""

from spotcheck.inspections.services import effective_categories

from .units import PublicationUnit


def record_id(unit: PublicationUnit) -> str:
    """Stable across republications, so a re-export to the national system is an update."""
    return f"{unit.task.number}-{unit.visit.batch.number}-{unit.visit.visit_id}"


def record_fields(unit: PublicationUnit) -> tuple[dict, list]:
    """(the record's column values, its result categories)."""
    task, visit = unit.task, unit.visit
    items, categories = [], {}
    for result in unit.results:
        chosen = effective_categories(result)
        categories.update({c.pk: c for c in chosen})
        items.append(
            {
                "item": result.item.name,
                "results": [c.name for c in chosen],
                "codes": [c.code for c in chosen],
            }
        )
    entity = visit.entity
    fields = {
        "plan_number": task.plan.number if task.plan else "",
        "plan_name": task.plan.name if task.plan else "",
        "task_number": task.number,
        "task_name": task.name,
        "directed": task.directed,
        "department": task.department,
        "department_name": task.department.name,
        "entity": entity,
        "entity_name": entity.name,
        "uscc": entity.uscc or entity.registration_number,
        "completed_on": unit.completed_on,
        "items": items,
    }
    return fields, list(categories.values())
