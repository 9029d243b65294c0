"""What a report says when it is drafted: figures read from the data and a first text the
department edits. Figures are plain JSON (kept with each signed version, so a download shows
what was signed even after later amendments)."""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from spotcheck.accounts.models import Department
from spotcheck.inspections.models import FieldVisit, FollowUp, ItemResult, ResultStatus
from spotcheck.plans.models import JointCheck, SpotCheckTask

from .models import CheckReport, ReportKind, ReportState

PROBLEMS_LISTED = 50  # problems named one by one in a result report; the count covers all


def check_departments(joint: JointCheck) -> list[Department]:
    """The lead and every department with a task in the check, lead first."""
    ids = set(SpotCheckTask.objects.filter(joint_check=joint).values_list("department", flat=True))
    ids.add(joint.lead_department_id)
    departments = Department.objects.filter(pk__in=ids).order_by("code")
    return sorted(departments, key=lambda d: d.pk != joint.lead_department_id)


def result_figures(joint: JointCheck, department: Department) -> dict:
    """The department's results in the check: only approved results count as findings."""
    mine = ItemResult.objects.filter(task__joint_check=joint, department=department)
    approved = mine.filter(status=ResultStatus.APPROVED)
    categories = (
        approved.values("categories__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "categories__name")
    )
    problems = (
        approved.filter(categories__problem_found=True)
        .distinct()
        .select_related("visit__entity", "item")
        .order_by("visit__visit_id", "pk")
    )
    follow_ups = FollowUp.objects.filter(result__in=approved).aggregate(
        open=Count("pk", filter=Q(closed_at__isnull=True)),
        closed=Count("pk", filter=Q(closed_at__isnull=False)),
    )
    return {
        "department": department.name,
        "visits": approved.values("visit").distinct().count(),
        "not_possible": approved.filter(visit__field__outcome=FieldVisit.Outcome.NOT_POSSIBLE)
        .values("visit")
        .distinct()
        .count(),
        "results": approved.count(),
        "not_approved": mine.exclude(status=ResultStatus.APPROVED).count(),
        "categories": [[row["categories__name"] or _("未分类"), row["n"]] for row in categories],
        "problems": problems.count(),
        "problem_lines": [
            {
                "entity": r.visit.entity.name,
                "item": r.item.name,
                "finding": r.finding,
                "measures": r.measures,
            }
            for r in problems[:PROBLEMS_LISTED]
        ],
        "follow_ups_open": follow_ups["open"],
        "follow_ups_closed": follow_ups["closed"],
    }


def _period(joint: JointCheck) -> str:
    return f"{joint.planned_start:%Y年%m月%d日}至{joint.planned_end:%Y年%m月%d日}"


def result_body(joint: JointCheck, figures: dict) -> str:
    lines = [
        _("%(department)s关于“%(check)s”检查结果的报告")
        % {"department": figures["department"], "check": joint.name},
        "",
        _("联合检查组组长（%(lead)s）：") % {"lead": joint.lead_department.name},
        "",
        _(
            "本部门于%(period)s参加“%(check)s”联合抽查，检查市场主体%(visits)s户"
            "（其中未能检查%(not_possible)s户），形成已审核的检查结果%(results)s项。"
        )
        % {"period": _period(joint), "check": joint.name, **figures},
    ]
    if figures["categories"]:
        parts = "、".join(f"{name}{n}项" for name, n in figures["categories"])
        lines.append(_("检查结果分类：%(parts)s。") % {"parts": parts})
    lines.append(
        _("发现问题%(problems)s项：") % figures if figures["problems"] else _("未发现问题。")
    )
    for number, line in enumerate(figures["problem_lines"], start=1):
        lines.append(
            f"{number}. {line['entity']}（{line['item']}）：{line['finding'] or '—'}；"
            + _("处理措施：%(m)s") % {"m": line["measures"] or "—"}
        )
    lines.append(
        _("后续处置：%(follow_ups_open)s项正在办理，%(follow_ups_closed)s项已办结。") % figures
    )
    if figures["not_approved"]:
        lines.append(_("另有%(not_approved)s项检查结果尚未审核，未计入本报告。") % figures)
    lines += ["", _("特此报告。")]
    return "\n".join(lines)


def _signed_figures(joint: JointCheck, kind: str) -> dict[int, dict]:
    """Department id → the figures of its latest signed report of `kind` in the check."""
    found = {}
    reports = CheckReport.objects.filter(joint_check=joint, kind=kind).prefetch_related("versions")
    for report in reports:
        versions = list(report.versions.all())
        if versions:
            found[report.department_id] = {
                **versions[-1].figures,
                "signed_at": timezone.localdate(versions[-1].signed_at).isoformat(),
                "version": versions[-1].number,
            }
    return found


def summary_figures(joint: JointCheck) -> dict:
    """The team leader's summary: built from the departments' signed result reports only."""
    departments = check_departments(joint)
    signed = _signed_figures(joint, ReportKind.RESULT)
    rows = [signed[d.pk] for d in departments if d.pk in signed]
    return {
        "check": joint.name,
        "lead": joint.lead_department.name,
        "departments": [d.name for d in departments],
        "missing": [d.name for d in departments if d.pk not in signed],
        "rows": [
            {
                key: row[key]
                for key in (
                    "department",
                    "visits",
                    "results",
                    "problems",
                    "follow_ups_open",
                    "follow_ups_closed",
                    "signed_at",
                )
            }
            for row in rows
        ],
        "visits": sum(r["visits"] for r in rows),
        "results": sum(r["results"] for r in rows),
        "problems": sum(r["problems"] for r in rows),
    }


def summary_body(joint: JointCheck, figures: dict) -> str:
    lines = [
        _("关于“%(check)s”联合抽查情况的汇总报告") % {"check": joint.name},
        "",
        _("区双随机领导小组办公室："),
        "",
        _(
            "“%(check)s”由%(lead)s牵头，%(n)s个部门参加（%(names)s），于%(period)s实施。"
            "各部门书面报告的检查结果汇总如下："
        )
        % {
            "check": joint.name,
            "lead": figures["lead"],
            "n": len(figures["departments"]),
            "names": "、".join(figures["departments"]),
            "period": _period(joint),
        },
    ]
    for row in figures["rows"]:
        lines.append(
            _(
                "%(department)s：检查%(visits)s户，检查结果%(results)s项，发现问题%(problems)s项，"
                "后续处置办理中%(follow_ups_open)s项、已办结%(follow_ups_closed)s项"
                "（%(signed_at)s报告）。"
            )
            % row
        )
    lines.append(
        _("合计：检查%(visits)s户次，检查结果%(results)s项，发现问题%(problems)s项。") % figures
    )
    if figures["missing"]:
        lines.append(
            _("尚未收到书面报告的部门：%(names)s。") % {"names": "、".join(figures["missing"])}
        )
    lines += ["", _("特此报告。")]
    return "\n".join(lines)


def department_summary_body(joint: JointCheck, figures: dict) -> str:
    lines = [
        _("%(department)s“%(check)s”联合抽查工作总结")
        % {"department": figures["department"], "check": joint.name},
        "",
        _("区双随机领导小组办公室："),
        "",
        _(
            "一、基本情况：本部门于%(period)s参加%(lead)s牵头的“%(check)s”联合抽查，"
            "检查市场主体%(visits)s户，形成检查结果%(results)s项，发现问题%(problems)s项。"
        )
        % {
            "period": _period(joint),
            "lead": joint.lead_department.name,
            "check": joint.name,
            **figures,
        },
        _("二、结果运用：后续处置办理中%(follow_ups_open)s项、已办结%(follow_ups_closed)s项。")
        % figures,
        _("三、存在的问题和下一步工作："),
        "",
    ]
    return "\n".join(lines)


def yearly_figures(year: int) -> dict:
    """Every joint check of the year with its summary and the departments' summaries."""
    checks = (
        JointCheck.objects.filter(planned_start__year=year)
        .select_related("lead_department")
        .order_by("planned_start", "pk")
    )
    reports = CheckReport.objects.filter(joint_check__in=checks, state=ReportState.SIGNED)
    signed = {(r.joint_check_id, r.kind, r.department_id) for r in reports}
    rows = []
    for joint in checks:
        summary = _signed_figures(joint, ReportKind.SUMMARY).get(joint.lead_department_id)
        departments = check_departments(joint)
        rows.append(
            {
                "check": joint.name,
                "lead": joint.lead_department.name,
                "departments": len(departments),
                "visits": summary["visits"] if summary else None,
                "problems": summary["problems"] if summary else None,
                "summary_signed": summary["signed_at"] if summary else None,
                "department_summaries": sum(
                    (joint.pk, ReportKind.DEPARTMENT_SUMMARY, d.pk) in signed for d in departments
                ),
            }
        )
    return {
        "year": year,
        "checks": len(rows),
        "rows": rows,
        "visits": sum(r["visits"] or 0 for r in rows),
        "problems": sum(r["problems"] or 0 for r in rows),
    }


def yearly_body(figures: dict) -> str:
    lines = [
        _("%(year)s年度“双随机、一公开”联合抽查监管工作总结") % figures,
        "",
        _(
            "%(year)s年全区共组织跨部门联合抽查%(checks)s次，检查%(visits)s户次，发现问题%(problems)s项。"
        )
        % figures,
    ]
    for number, row in enumerate(figures["rows"], start=1):
        state = (
            _("汇总报告%(d)s签发") % {"d": row["summary_signed"]}
            if row["summary_signed"]
            else _("汇总报告未签发")
        )
        lines.append(
            _(
                "%(n)s. %(check)s（%(lead)s牵头，%(departments)s个部门参加）：%(state)s，"
                "部门总结已报%(department_summaries)s份。"
            )
            % {"n": number, "state": state, **row}
        )
    lines += [
        "",
        _("一、主要做法和成效："),
        "",
        _("二、存在的问题："),
        "",
        _("三、下一年工作打算："),
        "",
    ]
    return "\n".join(lines)


def draft_for(kind: str, joint: JointCheck | None, department, year: int) -> tuple[dict, str]:
    """Figures and first text of a new report."""
    if kind == ReportKind.YEARLY:
        figures = yearly_figures(year)
        return figures, yearly_body(figures)
    assert joint is not None
    if kind == ReportKind.SUMMARY:
        figures = summary_figures(joint)
        return figures, summary_body(joint, figures)
    figures = result_figures(joint, department)
    if kind == ReportKind.RESULT:
        return figures, result_body(joint, figures)
    return figures, department_summary_body(joint, figures)
