"""Bringing a joint visit's results to approval, the way inspectors and reviewers do."""

from datetime import datetime
from zoneinfo import ZoneInfo

from spotcheck.inspections import services
from spotcheck.inspections.models import FieldVisit, ItemResult, ResultCategory
from tests.draw_fixtures import team_member

SHANGHAI = ZoneInfo("Asia/Shanghai")


def categories(*codes):
    return list(ResultCategory.objects.filter(code__in=codes))


def complete_visit(visit, on: str) -> None:
    """Field work finished on the given day (ISO date), by the market department's inspector."""
    services.visit_complete(actor=team_member(visit, "SCJGJ").inspector.user, visit=visit)
    FieldVisit.objects.filter(visit=visit).update(
        completed_at=datetime.fromisoformat(on).replace(hour=16, tzinfo=SHANGHAI)
    )


def approve(visit, department_code: str, reviewer, codes=("no_problem",)) -> list[ItemResult]:
    """Enter, submit and approve the department's results at the visit."""
    user = team_member(visit, department_code).inspector.user
    team = list(visit.team.values_list("pk", flat=True))
    approved = []
    for result in ItemResult.objects.filter(visit=visit, department__code=department_code):
        services.result_enter(
            actor=user,
            result=result,
            categories=categories(*codes),
            finding="内部记录：老板不在",
            confirmations=team,
        )
        services.result_submit(actor=user, result=result)
        approved.append(services.result_review(actor=reviewer, result=result, decision="approve"))
    return approved


def record_for(visit, task, publisher, *, published_on: str, codes=("no_problem",), **fields):
    """A public record written directly (for search and API tests that need many)."""
    from datetime import date

    from spotcheck.publication.models import PublicRecord

    chosen = categories(*codes)
    on = date.fromisoformat(published_on)
    record = PublicRecord.objects.create(
        record_id=f"{task.number}-{visit.batch.number}-{visit.visit_id}",
        visit=visit,
        task=task,
        department=task.department,
        entity=visit.entity,
        task_number=task.number,
        task_name=task.name,
        directed=task.directed,
        department_name=task.department.name,
        entity_name=fields.pop("entity_name", visit.entity.name),
        uscc=visit.entity.uscc,
        completed_on=on,
        items=[
            {
                "item": "餐饮服务提供者监督检查",
                "results": [c.name for c in chosen],
                "codes": list(codes),
            }
        ],
        due_on=on,
        published_on=on,
        on_time=True,
        published_at=datetime.combine(on, datetime.min.time(), tzinfo=SHANGHAI),
        published_by=publisher,
        **fields,
    )
    record.categories.set(chosen)
    return record
