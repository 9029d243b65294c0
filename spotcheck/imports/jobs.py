"""Import jobs started from the web: store the upload, queue it, run it, report progress."""

import logging
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.services import audit_event_record

from .models import ImportJob, ImportStatus
from .reading import FileLevelError
from .report import write_rejections_report
from .services import import_file

ALLOWED_SUFFIXES = (".csv", ".xls", ".xlsx")
PREVIEW_ROWS = 200
# Two imports writing the same entities at once: the database stops one (lock timeout, deadlock,
# or a key the other just inserted). Its transaction rolled back whole, so a retry is safe.
OVERLAP_MESSAGE = "另一项导入正在写入相同的数据，本次导入未导入任何数据，请稍后重试"
# unique violation, serialization failure, deadlock, lock not available (PostgreSQL SQLSTATE)
OVERLAP_SQLSTATES = {"23505", "40001", "40P01", "55P03"}

logger = logging.getLogger(__name__)


def _progress_key(job_id: int) -> str:
    return f"import-progress:{job_id}"


def job_progress(job: ImportJob) -> dict:
    """Progress lives in the cache: the job's own rows stay inside its transaction until the end."""
    if job.status != ImportStatus.RUNNING:
        return {"percent": job.percent, "rows": job.rows_read, "status": job.status}
    live = cache.get(_progress_key(job.pk)) or {"percent": 0, "rows": 0}
    return live | {"status": job.status}


def _store_upload(upload) -> Path:
    # Uploads are kept outside the web root under a random folder; the name is sanitised.
    folder = Path(settings.MEDIA_ROOT) / "imports" / uuid.uuid4().hex
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / get_valid_filename(Path(upload.name).name)
    with open(path, "wb") as handle:
        for block in upload.chunks():
            handle.write(block)
    return path


def import_job_create(*, kind: str, upload, department, actor) -> ImportJob:
    """Store the file and queue the job once the job row is committed."""
    from .tasks import run_import_job

    stored = _store_upload(upload)
    with transaction.atomic():
        job = ImportJob.objects.create(
            kind=kind,
            department=department,
            created_by=actor,
            original_name=Path(upload.name).name[:255],
            stored_path=str(stored),
        )
        transaction.on_commit(lambda: run_import_job.enqueue(job.pk))
    return job


def import_job_confirm(*, job: ImportJob, actor) -> ImportJob:
    """Apply a previewed file: the same stored file is queued again, this time for real."""
    from .tasks import run_import_job

    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status != ImportStatus.PREVIEWED:
            raise ValidationError(_("只有预览完成的导入可以确认"), code="not_previewed")
        job.status = ImportStatus.QUEUED
        job.confirmed_at = timezone.now()
        job.rows_read, job.rows_total = 0, None  # the progress bar starts again
        job.save(update_fields=["status", "confirmed_at", "rows_read", "rows_total"])
        audit_event_record(
            event_type=AuditEventType.IMPORT_CONFIRMED,
            actor=actor,
            department=job.department,
            target=job,
            extra={"kind": job.kind, "file": job.original_name},
        )
        transaction.on_commit(lambda: run_import_job.enqueue(job.pk))
    return job


def import_job_run(job_id: int) -> ImportJob:
    """Idempotent: a job that already finished (or was previewed) is left alone. A job not yet
    confirmed runs as a preview (a dry run); a confirmed one is applied."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        if job.status in (ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.PREVIEWED):
            return job
        job.status = ImportStatus.RUNNING
        job.save(update_fields=["status"])
    preview = job.confirmed_at is None

    def progress(fraction: float, rows: int) -> None:
        cache.set(_progress_key(job.pk), {"percent": round(fraction * 100), "rows": rows}, 3600)

    try:
        outcome = import_file(
            kind=job.kind,
            path=Path(job.stored_path),
            department=job.department,
            actor=job.created_by,
            progress=progress,
            reason=f"导入任务 #{job.pk}",
            dry_run=preview,
        )
    except FileLevelError as error:
        return _fail(job, str(error))
    except (KeyboardInterrupt, SystemExit):
        raise  # the worker is stopping
    # BaseException: a panic inside polars (pyo3's PanicException) is no Exception, and the job
    # must not be left "running". The transaction rolled back: nothing was applied.
    except BaseException as error:
        if _lost_to_overlap(error):
            logger.warning("import job %s lost to an overlapping import", job.pk, exc_info=True)
            return _fail(job, OVERLAP_MESSAGE)
        _fail(job, f"导入失败，未导入任何数据：{error}")
        raise
    report = ""
    reported = outcome.report_rows()
    if reported or outcome.warnings:
        report_path = Path(settings.MEDIA_ROOT) / "import-reports" / f"{job.pk}.xlsx"
        report = str(write_rejections_report(reported, report_path, outcome.warnings))
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.PREVIEWED if preview else ImportStatus.DONE,
        warned=outcome.warned_rows,
        warnings_preview=[w.as_list() for w in outcome.warnings[:PREVIEW_ROWS]],
        per_department=outcome.per_department,
        rows_read=outcome.rows_read,
        rows_total=outcome.rows_read,
        imported=outcome.imported,
        updated=outcome.updated,
        unchanged=outcome.unchanged,
        rejected=outcome.rejected,
        not_applied=outcome.not_applied,
        rejections_preview=[r.as_list() for r in reported[:PREVIEW_ROWS]],
        report_path=report,
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    return job


def _lost_to_overlap(error: BaseException) -> bool:
    """The database stopped this import because another one wrote the same rows at once.

    COPY runs on psycopg's own cursor, so its errors arrive unwrapped; Django wraps the rest."""
    for candidate in (error, error.__cause__):
        if getattr(candidate, "sqlstate", None) in OVERLAP_SQLSTATES:
            return True
    return "database is locked" in str(error)  # SQLite's single writer


def _fail(job: ImportJob, message: str) -> ImportJob:
    with transaction.atomic():
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED, failure=message, finished_at=timezone.now()
        )
        audit_event_record(
            event_type=AuditEventType.IMPORT_FAILED,
            actor=job.created_by,
            department=job.department,
            target=job,
            extra={"reason": message},
        )
    job.refresh_from_db()
    return job
