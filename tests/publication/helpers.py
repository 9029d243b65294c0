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
