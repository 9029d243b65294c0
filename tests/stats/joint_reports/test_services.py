"""The reports of a joint check (Lüyuan steps 6 and 8): drafted from the approved results,
signed and frozen, revised only as a new version with a reason; the team leader's summary waits
for every department's signed report."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent
from spotcheck.stats.joint_reports.models import ReportKind, ReportState
from spotcheck.stats.joint_reports.selectors import access_report, due_reports
from spotcheck.stats.joint_reports.services import (
    report_edit,
    report_open,
    report_refresh,
    report_revise,
    report_sign,
)

from .conftest import FINDING, MEASURE, finish_field_work


def test_deadlines_count_calendar_days_and_end_on_the_next_working_day(finished_check):
    due = {(d.kind, d.department.code): d.due_on for d in due_reports(year=2026)}
    # 五（6）10日内: 2026-09-22 + 10 = 10-02, National Day → the next working day, 10-08.
    assert due[(ReportKind.RESULT, "SCJGJ")] == date(2026, 10, 8)
    assert due[(ReportKind.RESULT, "WJW")] == date(2026, 10, 8)
    assert due[(ReportKind.SUMMARY, "SCJGJ")] == date(2026, 10, 8)
    # 五（8）一周内: 09-29 is a Tuesday, a working day.
    assert due[(ReportKind.DEPARTMENT_SUMMARY, "WJW")] == date(2026, 9, 29)
    assert (ReportKind.SUMMARY, "WJW") not in due  # only the team leader sums up


def test_nothing_is_due_while_a_visit_is_still_open(drawn_batch, joint_visit):
    finish_field_work(drawn_batch)
    from spotcheck.inspections.models import FieldVisit

    FieldVisit.objects.filter(visit=joint_visit).update(outcome=FieldVisit.Outcome.PENDING)
    assert due_reports(year=2026) == []


def test_a_result_report_is_drafted_from_the_approved_results(finished_check, liaison_zhao):
    report = report_open(actor=liaison_zhao, kind=ReportKind.RESULT, joint=finished_check)
    assert report.department.code == "SCJGJ" and report.state == ReportState.DRAFT
    assert report.figures["problems"] == 1
    assert report.figures["visits"] > 1
    assert FINDING in report.body and MEASURE in report.body
    assert "发现问题1项" in report.body
    # Opening again returns the same report, not a second one.
    assert report_open(actor=liaison_zhao, kind=ReportKind.RESULT, joint=finished_check) == report


def test_signing_freezes_and_a_change_is_a_new_version_with_a_reason(
    finished_check, liaison_zhao, reviewer_li
):
    report = report_open(actor=liaison_zhao, kind=ReportKind.RESULT, joint=finished_check)
    report_edit(actor=liaison_zhao, report=report, body="市场监管局检查结果报告\n\n第一稿")
    first = report_sign(actor=reviewer_li, report=report)
    assert first.number == 1 and first.signed_by == reviewer_li
    with pytest.raises(ValidationError, match="已签发"):
        report_edit(actor=liaison_zhao, report=report, body="偷偷改")
    with pytest.raises(ValidationError, match="修订原因"):
        report_revise(actor=liaison_zhao, report=report, reason="  ")
    report_revise(actor=liaison_zhao, report=report, reason="补充整改情况")
    report_edit(actor=liaison_zhao, report=report, body="市场监管局检查结果报告\n\n第二稿")
    second = report_sign(actor=liaison_zhao, report=report)
    assert second.number == 2 and second.reason == "补充整改情况"
    first.refresh_from_db()
    assert first.body.endswith("第一稿")  # the first signed text is kept as it was
    types = list(
        AuditEvent.objects.filter(target_id=str(report.pk), event_type__gte=1231)
        .order_by("pk")
        .values_list("event_type", flat=True)
    )
    assert types == [
        AuditEventType.JOINT_REPORT_OPENED,
        AuditEventType.JOINT_REPORT_EDITED,
        AuditEventType.JOINT_REPORT_SIGNED,
        AuditEventType.JOINT_REPORT_REVISED,
        AuditEventType.JOINT_REPORT_EDITED,
        AuditEventType.JOINT_REPORT_SIGNED,
    ]


def test_the_summary_waits_for_every_department_then_sums_their_signed_reports(
    finished_check, liaison_zhao, liaison_sun
):
    summary = report_open(actor=liaison_zhao, kind=ReportKind.SUMMARY, joint=finished_check)
    market = report_open(actor=liaison_zhao, kind=ReportKind.RESULT, joint=finished_check)
    report_sign(actor=liaison_zhao, report=market)
    with pytest.raises(ValidationError, match="卫生健康委员会"):
        report_sign(actor=liaison_zhao, report=summary)
    health = report_open(actor=liaison_sun, kind=ReportKind.RESULT, joint=finished_check)
    report_sign(actor=liaison_sun, report=health)
    summary = report_refresh(actor=liaison_zhao, report=summary)
    assert [r["department"] for r in summary.figures["rows"]] == [
        "东城区市场监督管理局",
        "东城区卫生健康委员会",
    ]
    assert summary.figures["problems"] == 1
    assert "尚未收到" not in summary.body
    version = report_sign(actor=liaison_zhao, report=summary)
    assert version.figures["missing"] == []


def test_only_the_lead_writes_the_summary_and_the_office_writes_none_of_a_check(
    finished_check, liaison_sun, office_admin_wang, inspector_zhang
):
    with pytest.raises(ValidationError, match="牵头部门"):
        report_open(actor=liaison_sun, kind=ReportKind.SUMMARY, joint=finished_check)
    for actor in (office_admin_wang, inspector_zhang):
        with pytest.raises(PermissionDenied):
            report_open(actor=actor, kind=ReportKind.RESULT, joint=finished_check)
    with pytest.raises(PermissionDenied):
        report_open(actor=liaison_sun, kind=ReportKind.YEARLY, year=2026)


def test_who_reads_which_report(finished_check, liaison_zhao, liaison_sun, office_admin_wang):
    health = report_open(actor=liaison_sun, kind=ReportKind.RESULT, joint=finished_check)
    market = report_open(actor=liaison_zhao, kind=ReportKind.RESULT, joint=finished_check)
    with pytest.raises(Http404):
        access_report(liaison_sun, market.pk)  # another department's report
    with pytest.raises(Http404):
        access_report(liaison_zhao, health.pk)  # the lead sees a partner's report once signed
    report_sign(actor=liaison_sun, report=health)
    assert access_report(liaison_zhao, health.pk) == health
    assert access_report(office_admin_wang, market.pk) == market
    report_sign(actor=liaison_zhao, report=market)
    summary = report_open(actor=liaison_zhao, kind=ReportKind.SUMMARY, joint=finished_check)
    with pytest.raises(Http404):
        access_report(liaison_sun, summary.pk)  # a draft summary is the lead's
    report_sign(actor=liaison_zhao, report=summary)
    assert access_report(liaison_sun, summary.pk) == summary  # the checks it joined


def test_the_yearly_summary_lists_each_check_with_its_signed_summary(
    finished_check, liaison_zhao, liaison_sun, office_admin_wang
):
    for actor in (liaison_zhao, liaison_sun):
        report_sign(
            actor=actor,
            report=report_open(actor=actor, kind=ReportKind.RESULT, joint=finished_check),
        )
    summary = report_open(actor=liaison_zhao, kind=ReportKind.SUMMARY, joint=finished_check)
    version = report_sign(actor=liaison_zhao, report=summary)
    yearly = report_open(actor=office_admin_wang, kind=ReportKind.YEARLY, year=2026)
    row = yearly.figures["rows"][0]
    assert row["check"] == finished_check.name
    assert row["summary_signed"] == timezone.localdate(version.signed_at).isoformat()
    assert row["problems"] == 1
    assert finished_check.name in yearly.body
