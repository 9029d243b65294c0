"""Writes of the joint-check reports: open a draft from the data, edit it, refresh it, sign it
(a frozen version), start a revision (with a reason). Each the outermost transaction, audited."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.services import audit_event_record
from spotcheck.plans.models import JointCheck
from spotcheck.stats.rules import DEPARTMENT_ROLES

from .content import check_departments, draft_for, summary_figures
from .deadlines import field_work_by_check, report_due
from .models import CheckReport, CheckReportVersion, ReportKind, ReportState
from .rules import may_write, takes_part
from .timetable import yearly_summary_due

BODY_MAX = 20_000


def _audit(event_type, actor, report: CheckReport, **extra) -> None:
    audit_event_record(
        event_type=event_type,
        actor=actor,
        department=report.department,
        target=report,
        extra={"kind": report.kind, "joint_check": report.joint_check_id, **extra},
    )


def report_open(*, actor, kind: str, joint: JointCheck | None = None, year=None) -> CheckReport:
    """The actor's department's report of `kind` for the check (the office's yearly summary for
    `year`): made from the data on first opening, returned as it is afterwards."""
    if kind not in ReportKind.values:
        raise ValidationError(_("报告类型不正确"), code="kind")
    if not takes_part(actor):
        raise PermissionDenied
    if kind == ReportKind.YEARLY:
        if not actor.is_office:
            raise PermissionDenied
        if year is None:
            raise ValidationError(_("请选择年度"), code="year")
        department = None
    else:
        if actor.role not in DEPARTMENT_ROLES:
            raise PermissionDenied  # the office receives these reports, it does not write them
        if joint is None:
            raise ValidationError(_("请选择联合抽查"), code="joint")
        department = actor.department
        ids = {d.pk for d in check_departments(joint)}
        if department.pk not in ids:
            raise PermissionDenied
        if kind == ReportKind.SUMMARY and joint.lead_department_id != department.pk:
            raise ValidationError(_("汇总报告由联合检查组组长（牵头部门）报送"), code="not_lead")
        if joint.pk not in field_work_by_check([joint.pk]):
            raise ValidationError(_("该联合抽查尚未抽取，暂无检查结果可报告"), code="not_drawn")
        year = joint.planned_start.year
    with transaction.atomic():
        found = CheckReport.objects.filter(
            kind=kind,
            joint_check=joint,
            department=department,
            **({"year": year} if kind == ReportKind.YEARLY else {}),
        ).first()
        if found is not None:
            return found
        figures, body = draft_for(kind, joint, department, year)
        report = CheckReport.objects.create(
            kind=kind,
            joint_check=joint,
            department=department,
            year=year,
            body=body,
            figures=figures,
            created_by=actor,
        )
        _audit(AuditEventType.JOINT_REPORT_OPENED, actor, report, year=year)
    return report


def _locked_draft(actor, report: CheckReport) -> CheckReport:
    if not may_write(actor, report):
        raise PermissionDenied
    locked = CheckReport.objects.select_for_update().get(pk=report.pk)
    if locked.state != ReportState.DRAFT:
        raise ValidationError(
            _("报告已签发，不能修改；如需更正，请先填写原因发起修订"), code="signed"
        )
    return locked


def report_edit(*, actor, report: CheckReport, body: str) -> CheckReport:
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise ValidationError(_("报告正文不能为空"), code="empty")
    if len(body) > BODY_MAX:
        raise ValidationError(_("报告正文不能超过%(n)s字") % {"n": BODY_MAX}, code="too_long")
    with transaction.atomic():
        locked = _locked_draft(actor, report)
        before = len(locked.body)
        locked.body = body
        locked.save(update_fields=["body", "updated_at"])
        _audit(AuditEventType.JOINT_REPORT_EDITED, actor, locked, before=before, after=len(body))
    return locked


def report_refresh(*, actor, report: CheckReport) -> CheckReport:
    """Draft again from the data as it is now (e.g. once more partners have signed); the text
    typed so far is replaced."""
    with transaction.atomic():
        locked = _locked_draft(actor, report)
        locked.figures, locked.body = draft_for(
            locked.kind, locked.joint_check, locked.department, locked.year
        )
        locked.save(update_fields=["figures", "body", "updated_at"])
        _audit(AuditEventType.JOINT_REPORT_REFRESHED, actor, locked)
    return locked


def report_due_on(report: CheckReport):
    if report.kind == ReportKind.YEARLY:
        return yearly_summary_due(report.year)
    work = field_work_by_check([report.joint_check_id]).get(report.joint_check_id)
    return report_due(report.kind, work.ended_on if work else None)


def report_sign(*, actor, report: CheckReport) -> CheckReportVersion:
    """Freeze the text as the next version, signed by the actor. The team leader's summary
    waits until every department of the check has signed its result report."""
    with transaction.atomic():
        locked = _locked_draft(actor, report)
        if not locked.body.strip():
            raise ValidationError(_("报告正文不能为空"), code="empty")
        if locked.kind == ReportKind.SUMMARY:
            missing = summary_figures(locked.joint_check)["missing"]
            if missing:
                raise ValidationError(
                    _("以下部门尚未签发检查结果报告，暂不能签发汇总报告：%(names)s")
                    % {"names": "、".join(missing)},
                    code="results_missing",
                )
            locked.figures = summary_figures(locked.joint_check)
        number = locked.versions.count() + 1
        if number > 1 and not locked.revision_reason.strip():
            raise ValidationError(_("修订版本须填写修订原因"), code="reason_required")
        now = timezone.now()
        due = report_due_on(locked)
        version = CheckReportVersion.objects.create(
            report=locked,
            number=number,
            body=locked.body,
            figures=locked.figures,
            reason=locked.revision_reason if number > 1 else "",
            signed_by=actor,
            signed_at=now,
            due_on=due,
            on_time=None if due is None else timezone.localdate(now) <= due,
        )
        locked.state = ReportState.SIGNED
        locked.save(update_fields=["state", "figures", "updated_at"])
        _audit(
            AuditEventType.JOINT_REPORT_SIGNED,
            actor,
            locked,
            version=number,
            due_on=due.isoformat() if due else None,
            on_time=version.on_time,
        )
    return version


def report_revise(*, actor, report: CheckReport, reason: str) -> CheckReport:
    """Open a signed report for a new version; the signed versions stay as they are."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写修订原因"), code="reason_required")
    if not may_write(actor, report):
        raise PermissionDenied
    with transaction.atomic():
        locked = CheckReport.objects.select_for_update().get(pk=report.pk)
        if locked.state != ReportState.SIGNED:
            raise ValidationError(_("报告尚未签发，可直接修改"), code="not_signed")
        locked.state, locked.revision_reason = ReportState.DRAFT, reason[:2000]
        locked.save(update_fields=["state", "revision_reason", "updated_at"])
        _audit(AuditEventType.JOINT_REPORT_REVISED, actor, locked, reason=locked.revision_reason)
    return locked


def report_download_record(*, actor, report: CheckReport, version: int | None, fmt: str) -> None:
    """Who took a copy of which text: reports name firms and their problems."""
    with transaction.atomic():
        _audit(AuditEventType.JOINT_REPORT_DOWNLOADED, actor, report, version=version, fmt=fmt)
