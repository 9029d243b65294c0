"""Writes of common's own rows: list-export jobs and the removal of old job files."""

from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.services import audit_event_record

from .errors import ExportErrorCode
from .export_jobs import LIST_EXPORTS
from .exports import EXPORT_FORMATS
from .file_jobs import FileJobStatus, file_job_models
from .models import ExportJob


def export_job_request(*, actor, kind: str, fmt: str, query: str) -> ExportJob:
    """Queue the export of a list, with the filters in ``query``, once the row is committed; a
    second click while the same export is still being written returns that one."""
    from .tasks import build_export

    export = LIST_EXPORTS.get(kind)
    if export is None or fmt not in EXPORT_FORMATS:
        raise ValidationError(_("不支持的导出内容或格式"), code="format")
    if not actor.has_perm(export.permission):
        raise PermissionDenied
    return file_job_request(
        ExportJob,
        actor=actor,
        same={"kind": kind, "fmt": fmt, "query": query},
        fields=lambda: {"requested_role": actor.role, "requested_department": actor.department},
        event_type=AuditEventType.EXPORT_JOB_REQUESTED,
        extra=lambda job: {"kind": kind, "fmt": fmt, "query": query},
        task=build_export,
    )


def file_job_request(model, *, actor, same: dict, fields, event_type, extra, task):
    """The requester's job of ``model`` matching ``same`` still queued or being written (a second
    click), else a new one with ``fields()`` too: audited (``extra(job)``) and its ``task``
    queued once the row is committed."""
    with transaction.atomic():
        pending = model.objects.filter(
            **same,
            requested_by=actor,
            status__in=(FileJobStatus.QUEUED, FileJobStatus.RUNNING),
        ).first()
        if pending is not None:
            return pending
        job = model.objects.create(**same, requested_by=actor, **fields())
        audit_event_record(
            event_type=event_type,
            actor=actor,
            department=actor.department,
            target=job,
            extra=extra(job),
        )
        transaction.on_commit(lambda: task.enqueue(job.pk))
    return job


def export_job_download_check(*, user, job: ExportJob) -> None:
    """The requester may take the file only while they still may export that list in the scope
    it was written for: a deactivated account, a role that may not export it, or another role
    or department since the request (the file holds the old scope's rows) is refused."""
    export = LIST_EXPORTS.get(job.kind)
    if not user.is_active:
        raise ValidationError(
            _("账号已停用，不能下载导出文件。"), code=ExportErrorCode.ACCOUNT_INACTIVE
        )
    if export is None or not user.has_perm(export.permission):
        raise ValidationError(
            _("您现在的角色无权导出该列表，不能下载此前生成的文件。"),
            code=ExportErrorCode.NO_LONGER_PERMITTED,
        )
    # Jobs asked for before the scope was kept (requested_role "") go by the permission alone.
    moved = job.requested_role and (
        job.requested_role != user.role or job.requested_department_id != user.department_id
    )
    if moved:
        raise ValidationError(
            _(
                "您的角色或所在部门在申请导出后已变更，此文件按原部门的范围生成，不能下载；"
                "如需要，请在现在的列表中重新导出。"
            ),
            code=ExportErrorCode.SCOPE_CHANGED,
        )


def file_jobs_purge(*, now=None) -> dict[str, int]:
    """Remove the files of background jobs (exports, notice archives) finished more than
    SPOTCHECK_FILE_JOB_KEEP_DAYS ago, and their rows; returns the rows removed per kind. The
    files go once the rows' removal is committed: a failure leaves both."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.SPOTCHECK_FILE_JOB_KEEP_DAYS)
    removed: dict[str, int] = {}
    files: list[str] = []
    with transaction.atomic():
        for model in file_job_models():
            expired = model.objects.filter(finished_at__lt=cutoff)
            files += [path for path in expired.values_list("path", flat=True) if path]
            removed[model._meta.label_lower] = expired.delete()[0]
        if any(removed.values()):
            audit_event_record(
                event_type=AuditEventType.FILE_JOBS_PURGED,
                target_type="file_jobs",
                extra={"removed": removed, "before": cutoff.isoformat()},
            )
        transaction.on_commit(lambda: _unlink(files))
    return removed


def _unlink(paths: list[str]) -> None:
    for path in paths:
        Path(path).unlink(missing_ok=True)
