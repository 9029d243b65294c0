"""The yearly report's content and its two files. Built by the job in stats.tasks; reads the
same figures as the dashboard (credit classes stay out: a report is handed around)."""

import io

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook

from spotcheck.common.safe_cells import safe_xlsx_row
from spotcheck.draws.notices.pdf import render_pdf

from .charts_svg import bar_chart_svg
from .filters import DashboardFilters
from .models import Assessment, YearlyReport
from .selectors import Dashboard, figures_for

FUNNEL = ("due", "drawn", "visited", "approved", "published")


def _funnel_labels() -> list[str]:
    return [_("应检查"), _("已抽取"), _("已检查"), _("已审核"), _("已公示")]


def _summary(board: Dashboard) -> list[tuple[str, object]]:
    t = board.total
    return [
        (_("计划任务"), t.tasks_planned),
        (_("已完成任务"), t.tasks_done),
        (_("联合抽查任务"), t.tasks_joint),
        *zip(_funnel_labels(), [getattr(t, k) for k in FUNNEL], strict=True),
        (_("完成率（%）"), t.completion_rate if t.completion_rate is not None else "—"),
        (_("按期公示"), board.publication["in_time"]),
        (_("逾期公示"), board.publication["late"]),
        (_("逾期未公示"), t.overdue),
        (_("协同抽取减少入户次数"), board.coordination["visits_saved"] or 0),
        (_("后续处置未办结"), board.follow_ups["open"]),
        (_("后续处置已办结"), board.follow_ups["closed"]),
        (_("已审核检查结果"), board.approved_results),
        (_("发现问题"), board.problem_results),
    ]


def _title(report: YearlyReport) -> str:
    who = report.department.name if report.department else _("全区")
    return _("%(who)s %(year)s年度“双随机、一公开”监管工作报告") % {
        "who": who,
        "year": report.year,
    }


def _assessment_rows(report: YearlyReport) -> list[tuple]:
    if report.department is None:
        return []
    found = Assessment.objects.filter(department=report.department, year=report.year).first()
    if found is None:
        return []
    return [
        (s.indicator.number, s.indicator.name, s.indicator.weight, s.score, s.basis)
        for s in found.scores.select_related("indicator")
    ]


def report_xlsx(report: YearlyReport, board: Dashboard) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("概况"))
    sheet.append(safe_xlsx_row(sheet, [_title(report)]))
    for row in _summary(board):
        sheet.append(safe_xlsx_row(sheet, row))
    sheet = workbook.create_sheet(_("按部门"))
    sheet.append(
        safe_xlsx_row(
            sheet,
            [
                _("部门"),
                _("计划任务"),
                _("已完成任务"),
                _("联合抽查任务"),
                *_funnel_labels(),
                _("逾期未公示"),
            ],
        )
    )
    for row in board.departments:
        sheet.append(safe_xlsx_row(sheet, [row.name, *(v for _n, v in row.cells)]))
    sheet = workbook.create_sheet(_("检查结果类别"))
    sheet.append(safe_xlsx_row(sheet, [_("检查结果"), _("条数")]))
    for c in board.categories:
        sheet.append(safe_xlsx_row(sheet, [c["resultcategory__name"], c["results"]]))
    assessment = _assessment_rows(report)
    if assessment:
        sheet = workbook.create_sheet(_("年度考评"))
        sheet.append(
            safe_xlsx_row(sheet, [_("序号"), _("指标名称"), _("分值"), _("得分"), _("评分依据")])
        )
        for row in assessment:
            sheet.append(safe_xlsx_row(sheet, row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def report_pdf(report: YearlyReport, board: Dashboard) -> bytes:
    chart = bar_chart_svg(_funnel_labels(), [getattr(board.total, k) for k in FUNNEL])
    html = render_to_string(
        "stats/yearly_report.html",
        {
            "title": _title(report),
            "summary": _summary(board),
            "board": board,
            "chart": chart,
            "assessment": _assessment_rows(report),
        },
    )
    return render_pdf(html)


def build_report_files(report: YearlyReport) -> None:
    """Write both files onto the report (not saved: the caller saves with the status)."""
    board = figures_for(DashboardFilters(year=report.year, department_id=report.department_id))
    stem = f"{report.year}-{report.department.code if report.department else 'district'}"
    report.xlsx.save(f"{stem}.xlsx", ContentFile(report_xlsx(report, board)), save=False)
    report.pdf.save(f"{stem}.pdf", ContentFile(report_pdf(report, board)), save=False)
