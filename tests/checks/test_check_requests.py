"""Checks outside a draw: a case check on a listed ground or a special check from an approved
plan, approved before it happens by the department's head or reviewer; emergencies filed within
3 working days; over a yearly cap allowed on its ground but flagged for the office."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent
from spotcheck.checks.models import CheckRequest
from spotcheck.checks.services import check_request_create, check_request_decide
from spotcheck.draws.models import BatchStatus, DrawBatch, Visit
from spotcheck.plans.models import AnnualPlan
from spotcheck.publication.workdays import working_days_between
from tests.factories import EntityFactory

TODAY = date(2026, 12, 1)  # a Tuesday


@pytest.fixture
def firm(market_dept):
    return EntityFactory(departments=[market_dept])


def ask(actor, firm, **changes):
    values = {
        "kind": "case",
        "ground": "complaint",
        "entity": firm,
        "planned_date": date(2026, 12, 3),
        "description": "消费者投诉销售过期食品（12315 工单 2026-1201）",
        "today": TODAY,
        **changes,
    }
    return check_request_create(actor=actor, **values)


def test_case_check_on_a_listed_ground_approved_by_the_reviewer(firm, inspector_zhang, reviewer_li):
    request = ask(inspector_zhang, firm)
    assert (request.status, request.over_cap) == ("requested", False)
    decided = check_request_decide(actor=reviewer_li, request=request, approve=True, today=TODAY)
    assert decided.status == "approved" and decided.decided_by == reviewer_li
    types = list(AuditEvent.objects.values_list("event_type", flat=True))
    assert AuditEventType.CHECK_REQUESTED in types and AuditEventType.CHECK_DECIDED in types


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ground": "whim"}, "须选择所列检查事由之一"),
        ({"ground": "lead"}, "线索核查须选择该检查对象的线索"),
        ({"ground": "recheck"}, "整改复查须选择该检查对象的后续处置"),
        ({"kind": "special"}, "专项检查须依据本部门已审核的检查计划"),
        ({"description": "  "}, "请填写检查依据和内容"),
        ({"planned_date": date(2026, 11, 30)}, "检查须事先审批"),
    ],
)
def test_grounds_are_required_and_checks_asked_beforehand(firm, inspector_zhang, changes, message):
    with pytest.raises(ValidationError, match=message):
        ask(inspector_zhang, firm, **changes)
    assert not CheckRequest.objects.exists()


def test_special_check_needs_an_approved_plan(firm, liaison_zhao, market_dept):
    plan = AnnualPlan.objects.create(
        number="P-2026-1",
        department=market_dept,
        year=2026,
        name="年度计划",
        created_by=liaison_zhao,
    )
    with pytest.raises(ValidationError, match="已审核的检查计划"):
        ask(liaison_zhao, firm, kind="special", plan=plan)
    plan.status = "approved"
    plan.save()
    request = ask(liaison_zhao, firm, kind="special", plan=plan)
    assert request.ground == "special_plan"


def test_emergency_is_filed_within_three_working_days(firm, inspector_zhang):
    # checked on Thursday 26 November; Friday, Monday, Tuesday: 3 working days by 1 December
    request = ask(inspector_zhang, firm, ground="emergency", planned_date=date(2026, 11, 26))
    assert request.pk
    with pytest.raises(ValidationError, match="3个工作日内补报"):
        ask(inspector_zhang, firm, ground="emergency", planned_date=date(2026, 11, 25))


def test_an_emergency_filed_in_a_year_the_calendar_lacks_is_refused_not_guessed(
    firm, inspector_zhang
):
    # Given 2026 is the calendar's last year, an emergency check of 31 December filed in 2027
    with pytest.raises(ValidationError, match="工作日历中没有2027年"):
        ask(
            inspector_zhang,
            firm,
            ground="emergency",
            planned_date=date(2026, 12, 31),
            today=date(2027, 1, 4),
        )
    assert not CheckRequest.objects.exists()


def test_working_days_skip_weekends_and_holidays(db):
    assert working_days_between(date(2026, 11, 27), date(2026, 11, 30)) == 1  # Fri → Mon
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 8)) == 1  # National Day week


def test_nobody_approves_their_own_request_and_refusal_needs_a_reason(firm, reviewer_li):
    request = ask(reviewer_li, firm)
    with pytest.raises(ValidationError, match="不能审批本人"):
        check_request_decide(actor=reviewer_li, request=request, approve=True, today=TODAY)


def test_approval_after_the_check_date_is_refused(firm, inspector_zhang, reviewer_li):
    request = ask(inspector_zhang, firm)
    with pytest.raises(ValidationError, match="须说明理由"):
        check_request_decide(actor=reviewer_li, request=request, approve=False, today=TODAY)
    with pytest.raises(ValidationError, match="须在检查前审批"):
        check_request_decide(
            actor=reviewer_li, request=request, approve=True, today=date(2026, 12, 4)
        )


def test_other_departments_cannot_decide(firm, inspector_zhang, liaison_sun):
    from django.core.exceptions import PermissionDenied

    request = ask(inspector_zhang, firm)
    with pytest.raises(PermissionDenied):
        check_request_decide(actor=liaison_sun, request=request, approve=True, today=TODAY)


def test_case_check_over_the_cap_is_flagged_for_the_office_but_a_recheck_is_exempt(
    firm, inspector_zhang, liaison_zhao, market_dept, client_for, office_admin_wang
):
    from spotcheck.plans.models import SpotCheckTask

    # given two routine visits by the market department this year
    task = SpotCheckTask.objects.create(
        number="T-1",
        name="t",
        department=market_dept,
        design_mode="count",
        planned_start=date(2026, 1, 1),
        planned_end=date(2026, 12, 31),
        created_by=liaison_zhao,
    )
    for month in (3, 6):
        batch = DrawBatch.objects.create(
            number=f"B-{month}",
            name="b",
            department=market_dept,
            status=BatchStatus.DRAWN,
            planned_date=date(2026, month, 1),
            randomness_source="骰子",
            randomness_due=date(2026, month, 1).isoformat() + "T10:00+08:00",
            created_by=liaison_zhao,
        )
        visit = Visit.objects.create(
            batch=batch,
            visit_id="V000001",
            entity=firm,
            ticket="0",
            planned_date=batch.planned_date,
        )
        visit.tasks.set([task])
    # when a complaint check is asked: allowed on its ground, flagged
    flagged = ask(inspector_zhang, firm)
    assert flagged.over_cap
    page = client_for(office_admin_wang).get("/checks/?over_cap=1")
    assert firm.name in page.content.decode()


def test_rectification_recheck_is_exempt_from_the_caps(joint_visit, reviewer_li, settings):
    from spotcheck.inspections.models import FollowUp
    from tests.inspections.test_followups import approve

    # given a drawn visit this year found a problem, and a cap of one check per department
    settings.SPOTCHECK_CHECK_LIMITS = {
        **settings.SPOTCHECK_CHECK_LIMITS,
        "YEARLY_CAP_PER_DEPARTMENT": 1,
    }
    approve(joint_visit, "SCJGJ", reviewer_li, "corrected")
    follow_up = FollowUp.objects.get()
    firm = joint_visit.entity
    today = date(2026, 12, 2)
    # the re-check of the rectification is not flagged; a complaint check is
    recheck = ask(reviewer_li, firm, ground="recheck", follow_up=follow_up, today=today)
    complaint = ask(reviewer_li, firm, today=today)
    assert (recheck.over_cap, complaint.over_cap) == (False, True)
