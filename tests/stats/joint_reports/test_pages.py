"""The pages: what a department owes on its home page (days left, overdue), signing through the
forms, the downloads, and the office's timetable with who is behind."""

import io
import zipfile
from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent
from spotcheck.stats.joint_reports.models import CheckReport, ReportKind

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _on(day: int, month: int = 10):
    return time_machine.travel(datetime(2026, month, day, 10, tzinfo=SHANGHAI), tick=False)


def _sign(client, joint, kind) -> CheckReport:
    response = client.post(reverse("stats:joint_report_open"), {"kind": kind, "joint": joint.pk})
    report = CheckReport.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    client.post(reverse("stats:joint_report_sign", args=[report.pk]))
    return report


def test_the_home_page_counts_down_then_shows_overdue_then_forgets_a_signed_report(
    finished_check, liaison_sun, client_for
):
    client = client_for(liaison_sun)
    with _on(5):
        page = client.get(reverse("home")).content.decode()
        assert "待报送的联合抽查报告" in page
        assert "餐饮住宿联合检查 · 检查结果报告" in page
        assert "报送期限 2026-10-08 · 还有 3 天" in page
        assert "报送期限 2026-09-29 · 已逾期 6 天" in page  # the department summary (一周)
    with _on(9):
        _sign(client, finished_check, ReportKind.RESULT)
        page = client.get(reverse("home")).content.decode()
        assert "餐饮住宿联合检查 · 检查结果报告" not in page
        assert "餐饮住宿联合检查 · 部门总结" in page


def test_the_office_sees_who_is_behind(finished_check, liaison_zhao, office_admin_wang, client_for):
    with _on(9):
        _sign(client_for(liaison_zhao), finished_check, ReportKind.RESULT)
        page = client_for(office_admin_wang).get(reverse("home")).content.decode()
    section = page.split('id="todo-joint_reports"')[1].split("</section>")[0]
    # health: its result report and its summary; market: its summary and the team's summary
    assert "东城区卫生健康委员会" in section and "2 份联合抽查报告逾期未报送" in section
    assert "东城区市场监督管理局" in section


def test_a_signed_report_refuses_an_edit_and_downloads_as_signed(
    finished_check, liaison_zhao, client_for
):
    client = client_for(liaison_zhao)
    with _on(5):
        report = _sign(client, finished_check, ReportKind.RESULT)
        response = client.post(
            reverse("stats:joint_report_edit", args=[report.pk]), {"body": "改动"}, follow=True
        )
    assert "报告已签发，不能修改" in response.content.decode()
    report.refresh_from_db()
    assert report.body != "改动"
    pdf = client.get(reverse("stats:joint_report_download", args=[report.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    docx = client.get(
        reverse("stats:joint_report_download", args=[report.pk, "docx"]) + "?version=1"
    )
    xml = zipfile.ZipFile(io.BytesIO(docx.content)).read("word/document.xml").decode()
    assert "后厨生熟食品混放" in xml and "第1版" in xml
    missing = client.get(
        reverse("stats:joint_report_download", args=[report.pk, "pdf"]) + "?version=9"
    )
    assert missing.status_code == 404
    assert (
        AuditEvent.objects.filter(
            event_type=AuditEventType.JOINT_REPORT_DOWNLOADED, target_id=str(report.pk)
        ).count()
        == 2
    )


def test_the_timetable_shows_each_milestone_state_from_the_data(
    finished_check, liaison_zhao, liaison_sun, office_admin_wang, client_for
):
    office = client_for(office_admin_wang)
    url = reverse("stats:timetable") + "?year=2026"
    with _on(9):
        page = office.get(url).content.decode()
    reports_row = page.split('data-measure="reports_signed"')[1].split("</tr>")[0]
    assert "已逾期" in reports_row and "已签发 0/5 份" in reports_row
    assert "东城区卫生健康委员会（逾期 2 份）" in reports_row
    done_row = page.split('data-measure="joint_checks_done"')[1].split("</tr>")[0]
    assert "已完成" in done_row and "1/1" in done_row
    with _on(9):
        for client in (client_for(liaison_sun), client_for(liaison_zhao)):
            _sign(client, finished_check, ReportKind.RESULT)
            _sign(client, finished_check, ReportKind.DEPARTMENT_SUMMARY)
        _sign(client_for(liaison_zhao), finished_check, ReportKind.SUMMARY)
        page = office.get(url).content.decode()
    reports_row = page.split('data-measure="reports_signed"')[1].split("</tr>")[0]
    assert "已完成" in reports_row and "已签发 5/5 份" in reports_row
    assert client_for(liaison_zhao).get(url).status_code == 403


def test_another_districts_dates_are_data(db, office_admin_wang, client_for):
    from spotcheck.stats.joint_reports.models import MilestoneMeasure, TimetableMilestone
    from spotcheck.stats.joint_reports.timetable import yearly_summary_due

    assert yearly_summary_due(2026).isoformat() == "2026-12-10"  # Lüyuan: 12月初
    TimetableMilestone.objects.filter(measure=MilestoneMeasure.YEARLY_SUMMARY).update(
        start_month=12, start_day=15, end_month=12, end_day=25
    )
    TimetableMilestone.objects.create(
        order=9,
        name="联合抽查中期督导",
        responsible="督导检查组",
        start_month=6,
        start_day=1,
        end_month=6,
        end_day=30,
    )
    assert yearly_summary_due(2026).isoformat() == "2026-12-25"
    page = client_for(office_admin_wang).get(reverse("stats:timetable") + "?year=2026")
    text = page.content.decode()
    assert "12-15 — 12-25" in text and "联合抽查中期督导" in text and "06-01 — 06-30" in text
