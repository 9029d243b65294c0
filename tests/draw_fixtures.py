from datetime import date, datetime

import pytest
from django.utils import timezone

from spotcheck.plans.models import JointCheckStatus
from spotcheck.plans.services import joint_check_create, task_create
from spotcheck.plans.validation import TaskDraft
from tests.factories import EntityFactory, InspectorFactory, make_item

PLANNED = date(2026, 12, 1)


def _draft(department, item, values):
    return TaskDraft(
        department_id=department.pk,
        directed=False,
        items=[item.current_version],
        population_filter={},
        mode="poisson",
        values=values,
        n=None,
        planned_start=PLANNED,
        planned_end=date(2026, 12, 31),
    )


@pytest.fixture
def district(market_dept, health_dept):
    """60 entities both departments supervise, with 6 certified inspectors each."""
    classes = ["A"] * 30 + ["B"] * 20 + ["C"] * 6 + ["D"] * 4
    entities = [
        EntityFactory(credit_class=c, departments=[market_dept, health_dept]) for c in classes
    ]
    for dept, field in ((market_dept, "食品安全"), (health_dept, "公共场所卫生")):
        for number in range(6):
            InspectorFactory(
                department=dept,
                expertise=[field],
                capacity_per_batch=40,
                name=f"{dept.code}检查员{number}",
            )
    return entities


@pytest.fixture
def approved_joint_check(
    district, liaison_zhao, liaison_sun, office_admin_wang, market_dept, health_dept
):
    market_item = make_item(market_dept, code="SC-001", name="餐饮服务提供者监督检查", kind="key")
    health_item = make_item(health_dept, code="WJ-001", name="住宿场所卫生监督检查", kind="key")
    for version, field in (
        (market_item.current_version, "食品安全"),
        (health_item.current_version, "公共场所卫生"),
    ):
        version.expertise = field
        version.save()
    joint = joint_check_create(
        actor=liaison_zhao,
        name="餐饮住宿联合检查",
        partners=[health_dept],
        planned_start=PLANNED,
        planned_end=date(2026, 12, 31),
    )
    probabilities = {"A": "0.1", "B": "0.2", "C": "1", "D": "1"}
    task_create(
        actor=liaison_zhao,
        department=market_dept,
        name="市场",
        joint_check=joint,
        draft=_draft(market_dept, market_item, probabilities),
    )
    task_create(
        actor=liaison_sun,
        department=health_dept,
        name="卫健",
        joint_check=joint,
        draft=_draft(health_dept, health_item, probabilities),
    )
    joint.status = JointCheckStatus.APPROVED
    joint.save()
    return joint


@pytest.fixture
def draws_root(settings, tmp_path):
    settings.DRAWS_ROOT = tmp_path / "draws"
    return settings.DRAWS_ROOT


def ceremony_time():
    return timezone.make_aware(datetime(2026, 11, 30, 10, 0))


def commit_joint_check(joint, actor):
    """A batch of the joint check, committed (commitments published)."""
    from spotcheck.draws.services import batch_commit, batch_create

    batch = batch_create(
        actor=actor,
        name="联合抽查批次",
        joint_check=joint,
        tasks=[],
        randomness_source="骰子，见证人：张三、李四",
        randomness_due=ceremony_time(),
    )
    return batch_commit(actor=actor, batch=batch)


def draw(batch, actor, capture, randomness="31415926"):
    """Enter the randomness and let the real queue worker draw the batch."""
    from spotcheck.draws.services import batch_request_draw
    from tests.queue import run_queued_tasks

    with capture(execute=True):
        batch_request_draw(actor=actor, batch=batch, randomness=randomness, witnesses="张三、李四")
    run_queued_tasks()
    batch.refresh_from_db()
    return batch


@pytest.fixture
def drawn_batch(approved_joint_check, liaison_zhao, draws_root, django_capture_on_commit_callbacks):
    batch = commit_joint_check(approved_joint_check, liaison_zhao)
    batch = draw(batch, liaison_zhao, django_capture_on_commit_callbacks)
    assert batch.status == "drawn", batch.failure
    return batch


@pytest.fixture
def joint_visit(drawn_batch):
    """A visit both departments check, each team member with a login (inspector_<pk>)."""
    from spotcheck.draws.models import Visit
    from tests.factories import UserFactory

    visit = next(
        v
        for v in Visit.objects.filter(batch=drawn_batch).prefetch_related("tasks")
        if len({t.department_id for t in v.tasks.all()}) == 2
    )
    for member in visit.team.select_related("inspector"):
        user = UserFactory(
            username=f"inspector_{member.inspector_id}",
            role="inspector",
            department=member.department,
        )
        member.inspector.user = user
        member.inspector.save()
    return visit


def team_member(visit, department_code: str):
    """The department's first serving inspector on the visit (logins come from `joint_visit`)."""
    return (
        visit.team.select_related("inspector__user")
        .filter(department__code=department_code, recused_at__isnull=True)
        .order_by("rank")
        .first()
    )


@pytest.fixture
def inspector_market(joint_visit):
    return team_member(joint_visit, "SCJGJ").inspector.user


@pytest.fixture
def inspector_health(joint_visit):
    return team_member(joint_visit, "WJW").inspector.user


def flashed(response) -> list[str]:
    """The messages a page shows after a redirect."""
    return [str(m) for m in response.context["messages"]]
