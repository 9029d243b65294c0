"""Two departments' own routine draws (separate batches) that both drew the same firms, planned
two working days apart: the situation same-firm merging is for."""

from datetime import date

import pytest

from spotcheck.draws.models import Visit
from spotcheck.draws.services import batch_commit, batch_create
from spotcheck.inspections.models import MergeOffer
from spotcheck.plans.services import task_create
from spotcheck.plans.validation import TaskDraft
from tests.draw_fixtures import ceremony_time, draw
from tests.factories import UserFactory, make_item

MARKET_DAY = date(2026, 12, 1)  # Tuesday
HEALTH_DAY = date(2026, 12, 3)  # Thursday: 2 working days later
FAR_DAY = date(2026, 12, 8)  # the next Tuesday: 5 working days later


def own_draw(liaison, department, *, code, name, field, day, capture):
    """The department's routine task drawn in its own batch (every C/D firm is drawn)."""
    item = make_item(department, code=code, name=name, kind="key")
    version = item.current_version
    version.expertise = field
    version.save()
    task = task_create(
        actor=liaison,
        department=department,
        name=name,
        draft=TaskDraft(
            department_id=department.pk,
            directed=False,
            items=[version],
            population_filter={},
            mode="poisson",
            values={"A": "0", "B": "0", "C": "1", "D": "1"},
            n=None,
            planned_start=day,
            planned_end=date(2026, 12, 31),
        ),
    )
    batch = batch_create(
        actor=liaison,
        name=name,
        tasks=[task],
        randomness_source="骰子，见证人：张三、李四",
        randomness_due=ceremony_time(),
    )
    batch = draw(batch_commit(actor=liaison, batch=batch), liaison, capture)
    assert batch.status == "drawn", batch.failure
    return batch


@pytest.fixture
def market_draw(
    district, liaison_zhao, market_dept, draws_root, django_capture_on_commit_callbacks
):
    return own_draw(
        liaison_zhao,
        market_dept,
        code="SC-101",
        name="餐饮服务监督检查",
        field="食品安全",
        day=MARKET_DAY,
        capture=django_capture_on_commit_callbacks,
    )


def health_draw(liaison_sun, health_dept, capture, day=HEALTH_DAY):
    return own_draw(
        liaison_sun,
        health_dept,
        code="WJ-101",
        name="公共场所卫生监督检查",
        field="公共场所卫生",
        day=day,
        capture=capture,
    )


@pytest.fixture
def two_draws(market_draw, liaison_sun, health_dept, django_capture_on_commit_callbacks):
    return market_draw, health_draw(liaison_sun, health_dept, django_capture_on_commit_callbacks)


@pytest.fixture
def offer(two_draws) -> MergeOffer:
    return MergeOffer.objects.order_by("pk").first()


def with_logins(visit: Visit) -> None:
    """Each team member of the visit gets a login (inspector_<pk>)."""
    for member in visit.team.select_related("inspector"):
        if member.inspector.user_id is None:
            member.inspector.user = UserFactory(
                username=f"inspector_{member.inspector_id}",
                role="inspector",
                department=member.department,
            )
            member.inspector.save()
