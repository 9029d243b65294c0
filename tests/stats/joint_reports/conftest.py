"""A joint check (market bureau leads, health commission joins) whose field work ended on
Tuesday 2026-09-22: every visit checked, every result approved, one market result with a
problem. Ten calendar days later is 2026-10-02, inside the National Day holiday."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from spotcheck.draws.models import Visit
from spotcheck.inspections.models import FieldVisit, ItemResult, ResultCategory, ResultStatus
from spotcheck.inspections.services import ensure_results

SHANGHAI = ZoneInfo("Asia/Shanghai")
FIELD_WORK_ENDED = date(2026, 9, 22)
FINDING = "后厨生熟食品混放"
MEASURE = "责令限期整改"


def finish_field_work(batch, *, last_day=FIELD_WORK_ENDED, problem_visit=None) -> None:
    """What inspectors and reviewers would have entered, written straight into the tables."""
    categories = {c.code: c for c in ResultCategory.objects.filter(department=None)}
    visits = list(Visit.objects.filter(batch=batch).order_by("visit_id"))
    for number, visit in enumerate(visits):
        ensure_results(visit)
        done = last_day if number == len(visits) - 1 else date(2026, 9, 1)
        FieldVisit.objects.update_or_create(
            visit=visit,
            defaults={
                "outcome": FieldVisit.Outcome.CHECKED,
                "arrived_at": datetime(done.year, done.month, done.day, 9, tzinfo=SHANGHAI),
                "completed_at": datetime(done.year, done.month, done.day, 11, tzinfo=SHANGHAI),
            },
        )
        for result in ItemResult.objects.filter(visit=visit):
            problem = visit == problem_visit and result.department.code == "SCJGJ"
            result.categories.set([categories["follow_up" if problem else "no_problem"]])
            ItemResult.objects.filter(pk=result.pk).update(
                status=ResultStatus.APPROVED,
                finding=FINDING if problem else "",
                measures=MEASURE if problem else "",
            )


@pytest.fixture
def finished_check(drawn_batch, joint_visit):
    finish_field_work(drawn_batch, problem_visit=joint_visit)
    return drawn_batch.joint_check


@pytest.fixture
def reviewer_zhou(health_dept):
    from tests.factories import UserFactory

    return UserFactory(username="reviewer_zhou", role="reviewer", department=health_dept)
