"""The README's journey on the demo district, followed literally: every department of the ready
joint check has a reviewer, every inspector persona gets a visit, and the items, legal bases
and teams are ones a Chinese regulator would recognise."""

import pytest
from django.test import Client

from spotcheck.accounts.models import Role, User
from spotcheck.demo.loader import CATERING, PERSONAS, demo_load
from spotcheck.draws.models import BatchStatus, DrawBatch, VisitInspector
from spotcheck.items.models import CheckItem
from spotcheck.plans.models import JointCheck, JointCheckStatus
from tests.queue import run_queued_tasks

# The README's journey, word for word where it names a value.
BATCH = {
    "name": "餐饮服务单位联合抽查 第一批",
    "randomness_source": "公开抽取现场由两名见证人掷骰子8次",
    "randomness_due": "2026-11-30T10:00",
}
DICE = "6 2 5 1 3 4 4 6"
WITNESSES = "张三、李四"


@pytest.fixture
def demo(db):
    demo_load(entities=6000, seed=2026)
    return JointCheck.objects.get(status=JointCheckStatus.APPROVED)  # not last year's


@pytest.fixture
def full_demo(db):
    """The demo exactly as `make demo` loads it: who is drawn depends on the whole district."""
    demo_load()
    return JointCheck.objects.get(status=JointCheckStatus.APPROVED)  # not last year's


def test_every_department_of_the_ready_joint_check_has_a_reviewer(demo):
    departments = {task.department.code for task in demo.tasks.select_related("department")}
    reviewers = {p.department_code for p in PERSONAS if p.role == Role.REVIEWER}
    assert departments <= reviewers
    for code in departments:
        assert User.objects.filter(role=Role.REVIEWER, department__code=code).exists()


def test_legal_bases_are_specific_and_fit_the_item(demo):
    items = CheckItem.objects.select_related("current_version", "department")
    for item in items:
        basis = item.current_version.legal_basis
        assert "相关法律法规" not in basis, item.current_version.name
        assert basis.startswith("《"), item.current_version.name
    metrology = items.filter(current_version__category="计量监督检查")
    assert metrology.exists()
    for item in metrology:
        assert "计量法" in item.current_version.legal_basis
        assert "食品安全法" not in item.current_version.legal_basis


def test_the_catering_check_holds_catering_items(demo):
    names = {
        version.name: version.legal_basis
        for task in demo.tasks.all()
        for version in task.items.all()
    }
    assert set(names) == {name for _, name, _ in CATERING}
    assert "商场超市卫生检查" not in names
    assert names["餐饮场所控烟检查"] == "《北京市控制吸烟条例》"
    assert not any("医疗机构管理条例" in basis for basis in names.values())


def test_the_readme_journey_gives_every_inspector_persona_a_visit(
    full_demo, django_capture_on_commit_callbacks
):
    demo = full_demo
    # liaison_zhao opens 抽取, creates a batch from the joint check, commits, enters the dice
    client = Client()
    client.force_login(User.objects.get(username="liaison_zhao"))
    client.post("/draws/", BATCH | {"joint_check": demo.pk})
    batch = DrawBatch.objects.get(joint_check=demo)  # not last year's published batch
    client.post(f"/draws/{batch.pk}/commit/")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/draws/{batch.pk}/draw/", {"randomness": DICE, "witnesses": WITNESSES})
    run_queued_tasks()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DRAWN, batch.failure

    # then each inspector persona has at least one visit on their work list
    for persona in PERSONAS:
        if persona.role != Role.INSPECTOR:
            continue
        serving = VisitInspector.objects.filter(
            visit__batch=batch, inspector__user__username=persona.username, recused_at=None
        )
        assert serving.exists(), f"{persona.username} has no visit"
        inspector = Client()
        inspector.force_login(User.objects.get(username=persona.username))
        work = inspector.get("/inspections/mine/").content.decode()
        assert serving.first().visit.entity.name in work
