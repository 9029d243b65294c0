"""The demo's past year carries a finished joint check with its signed reports, so the report
pages and the timetable are not empty on first start."""

from datetime import date

import pytest
from django.urls import reverse

from spotcheck.accounts.models import User
from spotcheck.demo.loader import demo_load
from spotcheck.stats.joint_reports.models import CheckReport, ReportKind


@pytest.fixture
def demo_district(db):
    demo_load(entities=4000, seed=7)


def test_last_years_joint_check_has_every_report_signed(demo_district, client_for):
    year = date.today().year - 1
    reports = CheckReport.objects.filter(year=year)
    kinds = sorted(reports.values_list("kind", flat=True))
    assert kinds == sorted(
        [ReportKind.RESULT] * 2
        + [ReportKind.DEPARTMENT_SUMMARY] * 2
        + [ReportKind.SUMMARY, ReportKind.YEARLY]
    )
    assert all(r.versions.count() == 1 for r in reports)
    summary = reports.get(kind=ReportKind.SUMMARY)
    assert summary.figures["missing"] == [] and summary.figures["visits"] > 0
    late = reports.get(kind=ReportKind.DEPARTMENT_SUMMARY, department__code="WJW")
    assert late.versions.get().on_time is False

    office = client_for(User.objects.get(username="office_admin_wang"))
    page = office.get(reverse("stats:timetable") + f"?year={year}").content.decode()
    row = page.split('data-measure="reports_signed"')[1].split("</tr>")[0]
    assert "已签发 5/5 份" in row and "已完成" in row
    yearly = page.split('data-measure="yearly_summary"')[1].split("</tr>")[0]
    assert "已完成" in yearly
    health = client_for(User.objects.get(username="liaison_sun"))
    listing = health.get(reverse("stats:joint_reports")).content.decode()
    assert "汇总报告" in listing  # the summary of the check it joined
