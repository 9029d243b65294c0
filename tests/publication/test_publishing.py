"""Approved results become public records: the published layout only, in bulk per task, by the
checking department, on time or late, corrected by amendment, or withheld on a legal ground."""

import json
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent
from spotcheck.inspections import services
from spotcheck.publication import seeding
from spotcheck.publication.deadlines import DeadlineState, task_deadline_list
from spotcheck.publication.models import DisclosureExemption, PublicRecord
from spotcheck.publication.services.publishing import (
    exemption_decide,
    exemption_request,
    task_publish,
)

from .helpers import approve, categories, complete_visit


@pytest.fixture
def market_task(joint_visit):
    return joint_visit.tasks.get(department__code="SCJGJ")


@pytest.fixture
def approved_visit(joint_visit, reviewer_li):
    # Completed Friday 6 Feb 2026: 20 working days end on 12 March (Spring Festival skipped).
    complete_visit(joint_visit, "2026-02-06")
    approve(joint_visit, "SCJGJ", reviewer_li)
    return joint_visit


@time_machine.travel("2026-03-02 10:00 +0800")
def test_publishing_copies_the_published_layout_and_nothing_internal(
    approved_visit, market_task, liaison_zhao
):
    # When the market department's liaison publishes the task,
    outcome = task_publish(actor=liaison_zhao, task=market_task)
    # then one record carries the fields of a published result record,
    record = PublicRecord.objects.get()
    assert outcome.published == [record]
    entity = approved_visit.entity
    assert (record.task_number, record.task_name) == (market_task.number, market_task.name)
    assert record.department_name == "东城区市场监督管理局"
    assert (record.entity_name, record.uscc) == (entity.name, entity.uscc)
    assert record.directed is market_task.directed
    assert record.completed_on.isoformat() == "2026-02-06"
    assert record.items == [
        {"item": "餐饮服务提供者监督检查", "results": ["未发现问题"], "codes": ["no_problem"]}
    ]
    # on time, with its deadline and publication date,
    assert record.due_on.isoformat() == "2026-03-12"
    assert record.published_on.isoformat() == "2026-03-02"
    assert record.on_time
    # and no inspector name, credit class or internal note anywhere in it.
    text = json.dumps(
        {f.name: str(getattr(record, f.name)) for f in record._meta.concrete_fields},
        ensure_ascii=False,
    ) + json.dumps(record.items, ensure_ascii=False)
    assert "内部记录" not in text
    assert entity.credit_class not in {v for v in text.split('"') if len(v) == 1}
    for member in approved_visit.team.select_related("inspector"):
        assert member.inspector.name not in text
    event = AuditEvent.objects.get(event_type=AuditEventType.RESULTS_PUBLISHED)
    assert event.actor == liaison_zhao
    assert event.extra == {"records": [record.record_id], "late": []}


@time_machine.travel("2026-03-13 10:00 +0800")
def test_publication_after_the_twentieth_working_day_is_recorded_late(
    approved_visit, market_task, reviewer_li
):
    # The department's reviewer may publish too (谁检查、谁公开).
    task_publish(actor=reviewer_li, task=market_task)
    record = PublicRecord.objects.get()
    assert not record.on_time
    assert AuditEvent.objects.get(event_type=AuditEventType.RESULTS_PUBLISHED).extra["late"] == [
        record.record_id
    ]


def test_other_departments_inspectors_and_the_office_cannot_publish(
    approved_visit, market_task, liaison_sun, inspector_zhang, office_admin_wang
):
    for outsider in (liaison_sun, inspector_zhang, office_admin_wang):
        with pytest.raises(PermissionDenied):
            task_publish(actor=outsider, task=market_task)
    assert not PublicRecord.objects.exists()


def test_nothing_is_published_before_approval(joint_visit, market_task, liaison_zhao):
    complete_visit(joint_visit, "2026-02-06")
    with pytest.raises(ValidationError, match="没有待公开的已审核结果"):
        task_publish(actor=liaison_zhao, task=market_task)


def test_an_approved_amendment_republishes_and_the_record_shows_the_correction(
    approved_visit, market_task, liaison_zhao, reviewer_li
):
    with time_machine.travel("2026-03-02 10:00 +0800"):
        task_publish(actor=liaison_zhao, task=market_task)
    result = approved_visit.results.get(department__code="SCJGJ")
    amendment = services.amendment_propose(
        actor=liaison_zhao,
        result=result,
        reason="录入有误",
        categories=categories("corrected"),
        measures="责令当场改正",
    )
    # A proposed amendment changes nothing public.
    assert PublicRecord.objects.get().items[0]["results"] == ["未发现问题"]
    # When the reviewer approves it,
    with time_machine.travel("2026-03-20 10:00 +0800"):
        services.amendment_review(actor=reviewer_li, amendment=amendment, approve=True)
    # then the same record (same id) shows the new result, corrected and when,
    record = PublicRecord.objects.get()
    assert record.items[0]["results"] == ["发现问题已责令改正"]
    assert record.corrected_at.date().isoformat() == "2026-03-20"
    assert record.version == 2
    assert list(record.categories.values_list("code", flat=True)) == ["corrected"]
    # while the first publication stays on time,
    assert record.published_on.isoformat() == "2026-03-02" and record.on_time
    event = AuditEvent.objects.get(event_type=AuditEventType.RECORD_REPUBLISHED)
    assert (event.actor, event.extra["version"]) == (reviewer_li, 2)
    # and there is nothing left to publish for the task.
    with pytest.raises(ValidationError, match="没有待公开"):
        task_publish(actor=liaison_zhao, task=market_task)


def test_an_amendment_before_publication_is_published_as_it_stands(
    approved_visit, market_task, liaison_zhao, reviewer_li
):
    result = approved_visit.results.get(department__code="SCJGJ")
    amendment = services.amendment_propose(
        actor=liaison_zhao,
        result=result,
        reason="录入有误",
        categories=categories("corrected"),
        measures="责令当场改正",
    )
    services.amendment_review(actor=reviewer_li, amendment=amendment, approve=True)
    task_publish(actor=liaison_zhao, task=market_task)
    record = PublicRecord.objects.get()
    assert (record.items[0]["results"], record.corrected_at) == (["发现问题已责令改正"], None)


def test_a_visit_that_could_not_happen_publishes_its_standard_category(
    joint_visit, market_task, liaison_zhao, reviewer_li
):
    from tests.draw_fixtures import team_member

    user = team_member(joint_visit, "SCJGJ").inspector.user
    services.visit_not_possible(
        actor=user, visit=joint_visit, category=categories("unreachable")[0], note="人去楼空"
    )
    team = list(joint_visit.team.values_list("pk", flat=True))
    for result in joint_visit.results.filter(department__code="SCJGJ"):
        services.result_enter(
            actor=user, result=result, categories=categories("unreachable"), confirmations=team
        )
        services.result_submit(actor=user, result=result)
        services.result_review(actor=reviewer_li, result=result, decision="approve")
    task_publish(actor=liaison_zhao, task=market_task)
    assert PublicRecord.objects.get().items[0]["results"] == ["通过登记的住所（经营场所）无法联系"]


def test_not_suitable_for_disclosure_needs_a_legal_ground_and_the_office(
    approved_visit, market_task, liaison_zhao, office_admin_wang
):
    with pytest.raises(ValidationError, match="法律依据"):
        exemption_request(
            actor=liaison_zhao, task=market_task, visit=approved_visit, legal_ground=" "
        )
    exemption = exemption_request(
        actor=liaison_zhao,
        task=market_task,
        visit=approved_visit,
        legal_ground="《政府信息公开条例》第十四条：涉及国家秘密",
    )
    # While the office decides, and after it approves, nothing is published.
    with pytest.raises(ValidationError):
        task_publish(actor=liaison_zhao, task=market_task)
    with pytest.raises(PermissionDenied):
        exemption_decide(actor=liaison_zhao, exemption=exemption, approve=True)
    exemption_decide(actor=office_admin_wang, exemption=exemption, approve=True)
    assert DisclosureExemption.objects.get().get_status_display() == "不予公开"
    with pytest.raises(ValidationError):
        task_publish(actor=liaison_zhao, task=market_task)
    # and it is counted as withheld, not as overdue.
    (row,) = task_deadline_list(user=liaison_zhao)
    assert (row.withheld, row.state) == (1, DeadlineState.DONE)
    assert (
        AuditEvent.objects.filter(
            event_type__in=(AuditEventType.EXEMPTION_REQUESTED, AuditEventType.EXEMPTION_DECIDED)
        ).count()
        == 2
    )


def test_deadline_rows_count_working_days_left_then_on_time(
    approved_visit, market_task, liaison_zhao, liaison_sun, office_admin_wang
):
    # Before publication: on 9 March 2026, three working days remain to 12 March.
    with time_machine.travel("2026-03-09 10:00 +0800"):
        (row,) = task_deadline_list(user=liaison_zhao)
    assert (row.task, row.open, row.ready, row.days_left) == (market_task, 1, 1, 3)
    assert row.state == DeadlineState.DUE_SOON
    with time_machine.travel("2026-03-16 10:00 +0800"):
        (row,) = task_deadline_list(user=liaison_zhao)
    assert (row.days_left, row.state) == (-2, DeadlineState.OVERDUE)
    # The health department sees only its own task; the office sees both.
    assert [r.task.department.code for r in task_deadline_list(user=liaison_sun)] == ["WJW"]
    assert len(task_deadline_list(user=office_admin_wang)) == 2
    # After publication: done and on time.
    with time_machine.travel("2026-03-10 10:00 +0800"):
        task_publish(actor=liaison_zhao, task=market_task)
        (row,) = task_deadline_list(user=liaison_zhao)
    assert (row.state, row.published, row.all_on_time) == (DeadlineState.DONE, 1, True)


def test_a_deadline_in_an_unseeded_year_is_shown_not_guessed(joint_visit, liaison_zhao):
    complete_visit(joint_visit, "2026-12-28")
    (row,) = task_deadline_list(user=liaison_zhao)
    assert row.state == DeadlineState.NO_CALENDAR
    assert "工作日历中没有2027年" in row.error


@time_machine.travel("2026-12-28 10:00 +0800")
def test_december_results_publish_before_next_years_calendar_is_entered(
    joint_visit, market_task, liaison_zhao, reviewer_li, office_admin_wang
):
    # Given a check completed on 21 December, whose 20 working days end in January: a year the
    # office has not entered yet (the State Council's notice arrives late in the year),
    complete_visit(joint_visit, "2026-12-21")
    approve(joint_visit, "SCJGJ", reviewer_li)
    # when the liaison publishes it a week later, it is published and on time, its deadline
    # left open rather than guessed,
    task_publish(actor=liaison_zhao, task=market_task)
    record = PublicRecord.objects.get()
    assert record.on_time and record.due_on is None
    # and once the office enters the next year's notice, the record gets its deadline.
    from spotcheck.publication.services.calendar import calendar_year_import

    calendar_year_import(actor=office_admin_wang, year=2027, rows=[], notice="示例")
    record.refresh_from_db()
    assert record.due_on.isoformat() == "2027-01-18"


@time_machine.travel("2026-12-28 10:00 +0800")
def test_seeding_next_years_calendar_gives_waiting_records_their_deadline(
    joint_visit, market_task, liaison_zhao, reviewer_li, monkeypatch
):
    # Given a December result published while 2027 was not in the calendar
    complete_visit(joint_visit, "2026-12-21")
    approve(joint_visit, "SCJGJ", reviewer_li)
    task_publish(actor=liaison_zhao, task=market_task)
    # when an upgraded chinesecalendar knows 2027 and `spotcheck calendar seed` runs
    # (2026's notice stands in for it: only the weekdays matter here)
    monkeypatch.setattr(seeding, "covered_years", lambda: [2026, 2027])
    monkeypatch.setattr(seeding, "chinesecalendar_day", lambda day: (day.weekday() < 5, ""))
    call_command("calendar", "seed", stdout=StringIO())
    # then the record has its deadline and the seeding is audited
    record = PublicRecord.objects.get()
    assert record.due_on.isoformat() == "2027-01-18"
    event = AuditEvent.objects.get(event_type=AuditEventType.CALENDAR_YEARS_SEEDED)
    assert event.extra == {"years": [2027], "records_given_a_deadline": 1}
