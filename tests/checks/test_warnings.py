"""The office's warnings: the same firm checked twice within 60 days, three times in a year, a
department over its cap; each with the checks behind it. Only the office sees them."""

from datetime import date

import pytest

from spotcheck.checks.models import CheckRequest
from spotcheck.draws.models import BatchStatus, DrawBatch, Visit
from spotcheck.plans.models import SpotCheckTask
from tests.factories import EntityFactory


def routine_visit(entity, department, day, creator):
    task, _ = SpotCheckTask.objects.get_or_create(
        number=f"T-{department.code}",
        defaults={
            "name": "t",
            "department": department,
            "design_mode": "count",
            "planned_start": date(2026, 1, 1),
            "planned_end": date(2026, 12, 31),
            "created_by": creator,
        },
    )
    batch = DrawBatch.objects.create(
        number=f"B-{department.code}-{day.isoformat()}",
        name="b",
        department=department,
        status=BatchStatus.DRAWN,
        planned_date=day,
        randomness_source="骰子",
        randomness_due=f"{day.isoformat()}T10:00+08:00",
        created_by=creator,
    )
    visit = Visit.objects.create(
        batch=batch, visit_id="V000001", entity=entity, ticket="0", planned_date=day
    )
    visit.tasks.set([task])


@pytest.fixture
def checked_often(market_dept, health_dept, liaison_zhao):
    firm = EntityFactory(name="北京常查餐饮有限公司", departments=[market_dept, health_dept])
    for day in (date(2026, 3, 2), date(2026, 4, 10), date(2026, 9, 1)):
        routine_visit(firm, market_dept, day, liaison_zhao)
    CheckRequest.objects.create(
        kind="case",
        ground="complaint",
        entity=firm,
        department=health_dept,
        planned_date=date(2026, 9, 20),
        description="投诉",
        status="approved",
        requested_by=liaison_zhao,
    )
    quiet = EntityFactory(name="北京少查商贸有限公司", departments=[market_dept])
    routine_visit(quiet, market_dept, date(2026, 5, 5), liaison_zhao)
    return firm


def test_office_sees_each_warning_with_the_checks_behind_it(
    checked_often, client_for, office_admin_wang
):
    page = client_for(office_admin_wang).get("/checks/warnings/?year=2026")
    text = page.content.decode()
    assert "北京常查餐饮有限公司" in text and "北京少查商贸有限公司" not in text
    assert "60日内检查2次" in text  # 2 March and 10 April
    assert "本年度已检查4次" in text
    assert "东城区市场监督管理局本年度检查3次，超过每部门2次的上限" in text
    assert "B-SCJGJ-2026-03-02/V000001" in text and "检查审批 #" in text


def test_departments_do_not_see_the_warnings(checked_often, client_for, liaison_zhao):
    assert client_for(liaison_zhao).get("/checks/warnings/").status_code == 403
