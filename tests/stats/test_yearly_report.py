"""The yearly report: asked for on the page, made by the job, downloaded as XLSX and PDF."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from spotcheck.accounts.models import Role
from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent
from spotcheck.inspections.models import FieldVisit
from spotcheck.stats.charts_svg import bar_chart_svg
from spotcheck.stats.models import ReportStatus, YearlyReport
from tests.factories import UserFactory
from tests.queue import run_queued_tasks

from .builders import YEAR, District


def test_the_office_gets_the_district_report_as_xlsx_and_pdf(
    market_dept, liaison_zhao, office_admin_wang, client_for, django_capture_on_commit_callbacks
):
    District(market_dept, liaison_zhao).visit(
        outcome=FieldVisit.Outcome.CHECKED, codes=["corrected"], published=f"{YEAR}-04-20"
    )
    client = client_for(office_admin_wang)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("stats:report_request"), {"year": YEAR, "department": ""})
    run_queued_tasks()

    report = YearlyReport.objects.get()
    assert report.department is None and report.status == ReportStatus.READY, report.failure
    xlsx = client.get(reverse("stats:report_download", args=[report.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))["概况"]
    rows = {r[0]: r[1] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["已抽取"] == 1 and rows["已公示"] == 1 and rows["发现问题"] == 1
    pdf = b"".join(
        client.get(reverse("stats:report_download", args=[report.pk, "pdf"])).streaming_content
    )
    assert pdf.startswith(b"%PDF")
    types = set(AuditEvent.objects.values_list("event_type", flat=True))
    assert {AuditEventType.YEARLY_REPORT_REQUESTED, AuditEventType.YEARLY_REPORT_FINISHED} <= types


def test_a_department_asks_only_for_its_own_and_sees_only_its_own(
    market_dept,
    health_dept,
    liaison_zhao,
    liaison_sun,
    office_admin_wang,
    client_for,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(liaison_zhao).post(
            reverse("stats:report_request"), {"year": YEAR, "department": health_dept.pk}
        )
        client_for(liaison_zhao).post(
            reverse("stats:report_request"), {"year": YEAR, "department": market_dept.pk}
        )
    run_queued_tasks()
    (report,) = YearlyReport.objects.all()
    assert report.department == market_dept
    url = reverse("stats:report_download", args=[report.pk, "pdf"])
    assert client_for(liaison_sun).get(url).status_code == 404
    assert client_for(liaison_zhao).get(url).status_code == 200


def test_the_pdf_chart_is_svg_with_each_number():
    svg = bar_chart_svg(["已抽取", "已公示<"], [10, 5])
    assert svg.startswith("<svg") and ">10<" in svg and ">5<" in svg
    assert "已公示&lt;" in svg


def test_oversight_reads_the_reports_but_asks_for_none(client_for, db):
    """Oversight has no department: the page once failed with a 500 building the form."""
    oversight = UserFactory(username="oversight_ma", role=Role.OVERSIGHT, department=None)
    client = client_for(oversight)
    page = client.get(reverse("stats:reports"))
    assert page.status_code == 200 and "report-request" not in page.content.decode()
    asked = client.post(reverse("stats:report_request"), {"year": YEAR})
    assert asked.status_code == 403 and not YearlyReport.objects.exists()


def test_an_inspector_of_the_department_reads_no_report(
    market_dept, liaison_zhao, inspector_zhang, client_for, django_capture_on_commit_callbacks
):
    """Inspectors see no statistics: the report of their own department was once downloadable."""
    with django_capture_on_commit_callbacks(execute=True):
        client_for(liaison_zhao).post(
            reverse("stats:report_request"), {"year": YEAR, "department": market_dept.pk}
        )
    run_queued_tasks()
    (report,) = YearlyReport.objects.all()
    inspector = client_for(inspector_zhang)
    assert (
        inspector.get(reverse("stats:report_download", args=[report.pk, "pdf"])).status_code == 403
    )
    asked = inspector.post(
        reverse("stats:report_request"), {"year": YEAR, "department": market_dept.pk}
    )
    assert asked.status_code == 403 and YearlyReport.objects.count() == 1
