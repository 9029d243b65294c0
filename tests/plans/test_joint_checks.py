"""A joint check: the lead invites partners, each adds its own task, the office approves."""

from datetime import date

import pytest

from spotcheck.plans.models import AnnualPlan, JointCheck, JointCheckStatus
from spotcheck.plans.services import joint_check_create, task_create
from tests.factories import DepartmentFactory, EntityFactory, UserFactory, make_item

from .conftest import draft_for

TASK_FORM = {
    "name": "卫健任务",
    "design_mode": "poisson",
    "value_all": "0.5",
    "planned_start": "2026-12-01",
    "planned_end": "2026-12-31",
}


@pytest.fixture
def joint(liaison_zhao, health_dept, market_dept):
    return joint_check_create(
        actor=liaison_zhao,
        name="餐饮服务单位联合检查",
        partners=[health_dept],
        planned_start=date(2026, 12, 1),
        planned_end=date(2026, 12, 31),
    )


@pytest.fixture
def health_item(health_dept):
    EntityFactory(departments=[health_dept])
    return make_item(health_dept, code="WJ-1", name="住宿场所卫生监督检查", kind="key")


def test_partner_adds_its_task_through_the_invitation(client_for, liaison_sun, joint, health_item):
    client = client_for(liaison_sun)
    assert client.get(f"/plans/joint/{joint.pk}/").status_code == 200
    form = TASK_FORM | {"items": [health_item.current_version.pk]}
    response = client.post(f"/plans/tasks/new/?joint={joint.pk}", form)
    assert response.status_code == 302
    task = joint.tasks.get()
    assert task.department.code == "WJW" and task.joint_check == joint


def test_uninvited_department_neither_sees_nor_joins(client_for, joint, market_dept):
    outsider_dept = DepartmentFactory(code="STHJJ", name="生态环境分局")
    outsider = UserFactory(
        username="liaison_qian", role="department_admin", department=outsider_dept
    )
    client = client_for(outsider)
    assert client.get(f"/plans/joint/{joint.pk}/").status_code == 404
    assert client.get(f"/plans/tasks/new/?joint={joint.pk}").status_code == 404
    assert client.post(f"/plans/joint/{joint.pk}/submit/").status_code == 404


def test_submit_waits_for_every_department_then_office_approves(
    client_for,
    liaison_zhao,
    liaison_sun,
    office_admin_wang,
    joint,
    market_dept,
    health_item,
    market_population,
    key_item,
):
    lead = client_for(liaison_zhao)
    task_create(
        actor=liaison_zhao,
        department=market_dept,
        name="市场任务",
        joint_check=joint,
        draft=draft_for(market_dept, [key_item]),
    )
    page = lead.post(f"/plans/joint/{joint.pk}/submit/", follow=True).content.decode()
    assert "以下部门尚未添加抽查任务：东城区卫生健康委员会" in page
    client_for(liaison_sun).post(
        f"/plans/tasks/new/?joint={joint.pk}",
        TASK_FORM | {"items": [health_item.current_version.pk]},
    )
    lead.post(f"/plans/joint/{joint.pk}/submit/")
    joint.refresh_from_db()
    assert joint.status == JointCheckStatus.SUBMITTED
    # a department may not approve; the office may
    lead.post(f"/plans/joint/{joint.pk}/approve/")
    assert JointCheck.objects.get().status == JointCheckStatus.SUBMITTED
    client_for(office_admin_wang).post(f"/plans/joint/{joint.pk}/approve/")
    assert JointCheck.objects.get().status == JointCheckStatus.APPROVED


def test_lead_sees_partner_tasks_but_partner_does_not_see_lead_tasks(
    client_for,
    liaison_zhao,
    liaison_sun,
    joint,
    market_dept,
    health_dept,
    health_item,
    market_population,
    key_item,
):
    lead_task = task_create(
        actor=liaison_zhao,
        department=market_dept,
        name="市场任务",
        joint_check=joint,
        draft=draft_for(market_dept, [key_item]),
    )
    partner_task = task_create(
        actor=liaison_sun,
        department=health_dept,
        name="卫健任务",
        joint_check=joint,
        draft=draft_for(health_dept, [health_item]),
    )
    assert client_for(liaison_zhao).get(f"/plans/tasks/{partner_task.pk}/").status_code == 200
    assert client_for(liaison_sun).get(f"/plans/tasks/{lead_task.pk}/").status_code == 404
    # and the lead cannot edit the partner's task
    assert client_for(liaison_zhao).get(f"/plans/tasks/{partner_task.pk}/edit/").status_code == 403


def test_task_form_shows_the_broken_rule(client_for, liaison_zhao, market_population, key_item):
    form = TASK_FORM | {"items": [key_item.current_version.pk], "value_all": "0.01"}
    page = client_for(liaison_zhao).post("/plans/tasks/new/", form).content.decode()
    assert "不定向抽查比例为 1.0%，低于最低比例 3.0%" in page


def test_plan_review_flow(client_for, liaison_zhao, reviewer_li, office_admin_wang, client):
    lead = client_for(liaison_zhao)
    lead.post("/plans/", {"year": 2027, "name": "2027年度双随机抽查计划"})
    plan_url = f"/plans/{AnnualPlan.objects.get().pk}/"
    lead.post(plan_url + "submit/")
    reviewer = client_for(reviewer_li)
    page = reviewer.post(plan_url + "return/", {"reason": ""}, follow=True).content.decode()
    assert "退回须填写原因" in page
    reviewer.post(plan_url + "approve/")
    lead.post(plan_url + "file/")
    client_for(office_admin_wang).post(plan_url + "publish/")
    assert "2027年度双随机抽查计划" in client.get("/public/plans/").content.decode()
