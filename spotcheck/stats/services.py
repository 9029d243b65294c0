"""Writes of the stats app, to its own tables only: computing a department's assessment,
a department's evidence for an indicator, and a reviewer's score. Each audited."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from spotcheck.accounts.models import Role
from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.services import audit_event_record
from spotcheck.inspections.evidence import display_name, evidence_check

from .assessment import data_scores
from .digest import digest_lines
from .filters import DashboardFilters
from .models import (
    Assessment,
    AssessmentEvidence,
    AssessmentIndicator,
    AssessmentScore,
    ReportStatus,
    ScoringMethod,
    WarningDigest,
    YearlyReport,
)
from .reports import build_report_files
from .rules import (
    DEPARTMENT_ROLES,
    can_add_assessment_evidence,
    can_request_report,
    can_score_assessment,
)
from .tasks import build_yearly_report


def assessment_compute(*, actor, department, year: int) -> Assessment:
    """Score every DATA indicator from the data; reviewer scores already given are kept."""
    if not can_score_assessment(actor):
        raise PermissionDenied
    scored = data_scores(department, year)
    with transaction.atomic():
        assessment, _created = Assessment.objects.get_or_create(department=department, year=year)
        for indicator in AssessmentIndicator.objects.filter(is_active=True):
            AssessmentScore.objects.get_or_create(assessment=assessment, indicator=indicator)
        for indicator, score, found in scored:
            AssessmentScore.objects.filter(assessment=assessment, indicator=indicator).update(
                score=score, basis=found.basis, figure=found.figure
            )
        assessment.computed_at = timezone.now()
        assessment.save(update_fields=["computed_at"])
        audit_event_record(
            event_type=AuditEventType.ASSESSMENT_COMPUTED,
            actor=actor,
            department=department,
            target=assessment,
            extra={"year": year, "scores": {i.number: str(s) for i, s, _f in scored}},
        )
    return assessment


def assessment_evidence_add(*, actor, score: AssessmentScore, upload) -> AssessmentEvidence:
    """A department's document for an indicator a reviewer scores (PDF or image, by content)."""
    if not can_add_assessment_evidence(actor, score.assessment):
        raise PermissionDenied
    if score.indicator.method != ScoringMethod.EVIDENCE:
        raise ValidationError(_("该指标按平台数据自动评分，无需上传佐证材料"))
    kind = evidence_check(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    evidence = AssessmentEvidence(
        score=score,
        original_name=display_name(upload.name or ""),
        content_type=kind.content_type,
        extension=kind.extension,
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
    )
    try:
        with transaction.atomic():
            evidence.file.save(kind.extension, upload, save=False)
            evidence.save()
            audit_event_record(
                event_type=AuditEventType.ASSESSMENT_EVIDENCE_ADDED,
                actor=actor,
                department=score.assessment.department,
                target=score,
                extra={"evidence": evidence.pk, "sha256": evidence.sha256, "size": upload.size},
            )
    except BaseException:
        if evidence.file.name:
            evidence.file.storage.delete(evidence.file.name)
        raise
    return evidence


def assessment_score_set(*, actor, score: AssessmentScore, value, note: str) -> AssessmentScore:
    """A reviewer's score for an EVIDENCE indicator, between 0 and its weight, with a reason."""
    if not can_score_assessment(actor):
        raise PermissionDenied
    indicator = score.indicator
    if indicator.method != ScoringMethod.EVIDENCE:
        raise ValidationError(_("该指标按平台数据自动评分，不能人工评分"))
    if value is None or not 0 <= value <= indicator.weight:
        raise ValidationError(
            _("得分应在 0 到 %(w)s 分之间") % {"w": indicator.weight}, code="out_of_range"
        )
    if not note.strip():
        raise ValidationError(_("请填写评分依据"), code="note_required")
    with transaction.atomic():
        locked = AssessmentScore.objects.select_for_update().get(pk=score.pk)
        before = locked.score
        locked.score, locked.basis = value, note.strip()
        locked.reviewer, locked.reviewed_at = actor, timezone.now()
        locked.save(update_fields=["score", "basis", "reviewer", "reviewed_at"])
        audit_event_record(
            event_type=AuditEventType.ASSESSMENT_SCORED,
            actor=actor,
            department=locked.assessment.department,
            target=locked,
            extra={
                "indicator": indicator.number,
                "before": str(before) if before is not None else None,
                "score": str(value),
            },
        )
    return locked


def warning_digest_send(*, today) -> int:
    """The week's digest for each office admin (every department) and each department's liaison
    and reviewer (their own); none twice in a week, none when there is nothing to warn of."""
    monday = today - timedelta(days=today.weekday())
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(role=Role.OFFICE_ADMIN) | Q(role__in=DEPARTMENT_ROLES, department__isnull=False))
    )
    sent = 0
    lines_for: dict[int | None, list[str]] = {}
    for user in users.order_by("pk"):
        scope = None if user.is_office else user.department_id
        if scope not in lines_for:
            lines_for[scope] = digest_lines(DashboardFilters(year=today.year, department_id=scope))
        lines = lines_for[scope]
        if not lines:
            continue
        with transaction.atomic():
            digest, created = WarningDigest.objects.get_or_create(
                user=user, week=monday, defaults={"lines": lines}
            )
            if not created:
                continue
            audit_event_record(
                event_type=AuditEventType.WARNING_DIGEST_SENT,
                department=user.department,
                target=digest,
                extra={"user": user.pk, "week": monday.isoformat(), "lines": len(lines)},
            )
            if user.email and settings.SPOTCHECK_REMINDER_EMAILS:
                text = "\n".join(lines)
                transaction.on_commit(
                    lambda to=user.email, text=text: send_mail(
                        _("双随机监管风险预警周报"), text, None, [to]
                    )
                )
        sent += 1
    return sent


def yearly_report_request(*, actor, department, year: int) -> YearlyReport:
    """Queue the report of a department (or the district, department None) for a year."""
    if not can_request_report(actor, department):
        raise PermissionDenied
    with transaction.atomic():
        report = YearlyReport.objects.create(department=department, year=year, requested_by=actor)
        audit_event_record(
            event_type=AuditEventType.YEARLY_REPORT_REQUESTED,
            actor=actor,
            department=department,
            target=report,
            extra={"year": year},
        )
        transaction.on_commit(lambda: build_yearly_report.enqueue(report.pk))
    return report


def yearly_report_build(*, report_id: int) -> YearlyReport:
    """The job's work: both files, or the reason they could not be made."""
    report = YearlyReport.objects.select_related("department").get(pk=report_id)
    try:
        build_report_files(report)
        report.status = ReportStatus.READY
    except Exception as error:  # the report says it failed rather than staying queued forever
        report.status, report.failure = ReportStatus.FAILED, str(error)[:2000]
    report.finished_at = timezone.now()
    with transaction.atomic():
        report.save()
        audit_event_record(
            event_type=AuditEventType.YEARLY_REPORT_FINISHED,
            department=report.department,
            target=report,
            extra={"status": report.status},
        )
    return report
