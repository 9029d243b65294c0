"""Notice archives: a batch's letters zipped by a background job, with progress, for the one
who asked (a partner department gets only the visits with its own items)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from spotcheck.audit.event_types import AuditEventType
from spotcheck.common.file_jobs import file_job_folder, file_job_run
from spotcheck.common.services import file_job_request

from . import selectors
from .models import BatchStatus, DrawBatch, NoticeArchive

FORMATS = ("pdf", "docx")


def archive_folder() -> Path:
    return file_job_folder("notice-archives")


def notice_archive_request(*, actor, batch: DrawBatch, fmt: str) -> NoticeArchive:
    """Queue the archive once the row is committed; a second click while one is still being
    built returns that one."""
    from .tasks import build_notice_archive

    if fmt not in FORMATS:
        raise ValidationError(_("不支持的通知书格式"), code="format")
    if batch.status != BatchStatus.DRAWN:
        raise ValidationError(_("批次抽取完成后才能生成通知书"), code="wrong_state")
    return file_job_request(
        NoticeArchive,
        actor=actor,
        same={"batch": batch, "fmt": fmt},
        fields=lambda: {"total": selectors.visit_list(user=actor, batch=batch).count()},
        # the letters name every firm before its check; some carry PINs
        event_type=AuditEventType.NOTICE_ARCHIVE_REQUESTED,
        extra=lambda archive: {"batch": batch.number, "fmt": fmt, "letters": archive.total},
        task=build_notice_archive,
    )


def notice_archive_build(archive_id: int) -> NoticeArchive:
    """Write the zip beside the others, then point the row at it. Idempotent."""
    from spotcheck.firms.services import may_send_pins, visit_pins_withdraw

    from .notices import write_notices_zip

    archive = NoticeArchive.objects.select_related("batch", "requested_by").get(pk=archive_id)
    if archive.finished:
        return archive
    visits = selectors.visit_list(user=archive.requested_by, batch=archive.batch)
    target = archive_folder() / f"{archive.pk}-{archive.batch.number}-{archive.fmt}.zip"
    issued: list[tuple] = []  # (visit, PIN) first printed into this zip

    def write(handle, progress) -> int:
        write_notices_zip(
            visits,
            archive.fmt,
            handle,
            written=progress,
            pin_issued=lambda visit, pin: issued.append((visit, pin)),
            # the requester is the PINs' issuer, audited as their actor
            issued_by=archive.requested_by
            if may_send_pins(archive.requested_by, archive.batch)
            else None,
        )
        if issued:  # before the file is offered
            NoticeArchive.objects.filter(pk=archive.pk).update(carries_pins=True)
        return total

    total = visits.count()
    try:
        file_job_run(archive, total=total, target=target, write=write)
    except Exception:
        # Those letters reach no firm: the next print must carry their PINs again.
        visit_pins_withdraw(printed=issued)
        raise
    return archive
