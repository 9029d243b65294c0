"""The office's warnings: the same firm checked twice within 60 days, three times in a year, a
department over its cap; each with the checks behind it. Only the office sees them."""

from datetime import date, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

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


def dashboard_flags(client, year=2026) -> list[str]:
    page = client.get("/stats/", {"year": year})
    return [e["entity__name"] for e in page.context["warnings"].frequent_checks]


def office_flags(client, year=2026) -> list[str]:
    page = client.get("/checks/warnings/", {"year": year})
    return [w.entity.name for w in page.context["warnings"]]


def test_one_repeat_rule_for_the_office_list_and_the_dashboard(
    market_dept, health_dept, liaison_zhao, office_admin_wang, client_for, settings
):
    # a routine visit on 1 March and an approved case check 45 days later
    firm = EntityFactory(name="北京两查餐饮有限公司", departments=[market_dept])
    routine_visit(firm, market_dept, date(2026, 3, 1), liaison_zhao)
    CheckRequest.objects.create(
        kind="case",
        ground="complaint",
        entity=firm,
        department=health_dept,
        planned_date=date(2026, 4, 15),
        description="投诉",
        status="approved",
        requested_by=liaison_zhao,
    )
    client = client_for(office_admin_wang)
    settings.SPOTCHECK_CHECK_LIMITS = {**settings.SPOTCHECK_CHECK_LIMITS, "YEARLY_CAP_TOTAL": 9}
    # within 60 days: both places warn
    assert office_flags(client) == dashboard_flags(client) == ["北京两查餐饮有限公司"]
    # the one setting narrowed to 30 days: neither does
    settings.SPOTCHECK_CHECK_LIMITS = {**settings.SPOTCHECK_CHECK_LIMITS, "REPEAT_WARNING_DAYS": 30}
    assert office_flags(client) == dashboard_flags(client) == []
    # three checks needed within 60 days: two are not enough
    settings.SPOTCHECK_CHECK_LIMITS = {
        **settings.SPOTCHECK_CHECK_LIMITS,
        "REPEAT_WARNING_DAYS": 60,
        "REPEAT_WARNING_CHECKS": 3,
    }
    assert office_flags(client) == dashboard_flags(client) == []


def test_the_office_list_reads_only_the_flagged_firms_checks(
    market_dept, liaison_zhao, office_admin_wang, client_for
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    flagged = EntityFactory(name="北京常查餐饮有限公司", departments=[market_dept])
    for day in (date(2026, 3, 2), date(2026, 3, 20)):
        routine_visit(flagged, market_dept, day, liaison_zhao)
    quiet = [EntityFactory(departments=[market_dept]) for _ in range(5)]
    for n, firm in enumerate(quiet):
        routine_visit(firm, market_dept, date(2026, 5, 1 + n), liaison_zhao)
    with CaptureQueriesContext(connection) as captured:
        page = client_for(office_admin_wang).get("/checks/warnings/?year=2026")
    assert [w.entity.name for w in page.context["warnings"]] == ["北京常查餐饮有限公司"]
    # the one query reading checks row by row (batch and visit numbers) asks for that firm only
    (reading,) = [
        q["sql"] for q in captured.captured_queries if 'draws_drawbatch"."number' in q["sql"]
    ]
    assert f'"draws_visit"."entity_id" IN ({flagged.pk})' in reading


@given(
    visit_days=st.sets(st.integers(0, 364), max_size=5),
    case_days=st.lists(st.integers(0, 364), max_size=3),
    days=st.integers(1, 120),
    checks=st.integers(2, 4),
)
@hypothesis_settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
def test_the_sql_repeat_rule_is_the_sliding_window(
    visit_days, case_days, days, checks, market_dept, liaison_zhao, settings
):
    """Property: a firm is flagged exactly when some `checks` of its checks (drawn visits and
    approved case checks alike) fall within `days` days."""
    from spotcheck.checks.frequency import repeat_checked_entity_ids

    settings.SPOTCHECK_CHECK_LIMITS = {
        **settings.SPOTCHECK_CHECK_LIMITS,
        "REPEAT_WARNING_DAYS": days,
        "REPEAT_WARNING_CHECKS": checks,
    }
    start = date(2026, 1, 1)
    with transaction.atomic():
        firm = EntityFactory(departments=[market_dept])
        for offset in visit_days:
            routine_visit(firm, market_dept, start + timedelta(days=offset), liaison_zhao)
        for offset in case_days:
            CheckRequest.objects.create(
                kind="case",
                ground="complaint",
                entity=firm,
                department=market_dept,
                planned_date=start + timedelta(days=offset),
                description="投诉",
                status="approved",
                requested_by=liaison_zhao,
            )
        all_days = sorted([*visit_days, *case_days])
        expected = any(
            all_days[i + checks - 1] - all_days[i] < days for i in range(len(all_days) - checks + 1)
        )
        assert (firm.pk in repeat_checked_entity_ids(2026)) == expected
        transaction.set_rollback(True)
