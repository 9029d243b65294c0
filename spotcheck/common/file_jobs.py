"""Files made by a background job for the one who asked (notice archives, list exports): the
status and progress every such job shows, and the writing of its file, which becomes visible
only once complete."""

from collections.abc import Callable
from pathlib import Path
from typing import IO

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PROGRESS_EVERY_SECONDS = 1.0  # the page polls once a second: more writes are noise


class FileJobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("生成失败")


class FileJob(models.Model):
    """A file being made in the background; ``total`` and ``written`` count its rows (or
    letters) for the progress bar. Removed with its file after SPOTCHECK_FILE_JOB_KEEP_DAYS."""

    status = models.CharField(max_length=8, choices=FileJobStatus.choices, default="queued")
    total = models.PositiveIntegerField(default=0)
    written = models.PositiveIntegerField(default=0)
    path = models.CharField(max_length=500, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def percent(self) -> int:
        if self.status == FileJobStatus.DONE:
            return 100
        return min(100, round(100 * self.written / self.total)) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in (FileJobStatus.DONE, FileJobStatus.FAILED)


def file_job_models() -> list[type[FileJob]]:
    from django.apps import apps

    return [model for model in apps.get_models() if issubclass(model, FileJob)]


def file_job_run(
    job: FileJob,
    *,
    total: int,
    target: Path,
    write: Callable[[IO[bytes], Callable[[int], None]], int],
) -> None:
    """Run ``write(handle, progress)`` into ``target``, keeping ``job``'s row up to date; the
    file is written under a temporary name and renamed when complete, so a job that fails
    leaves no file that looks whole. ``write`` returns the count written."""
    rows = type(job).objects.filter(pk=job.pk)
    rows.update(status=FileJobStatus.RUNNING, total=total, written=0)
    last = timezone.now()

    def progress(count: int) -> None:
        nonlocal last
        now = timezone.now()
        if (now - last).total_seconds() >= PROGRESS_EVERY_SECONDS:
            rows.update(written=count)
            last = now

    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    try:
        with open(partial, "wb") as handle:
            written = write(handle, progress)
        partial.replace(target)
    except Exception as error:
        partial.unlink(missing_ok=True)
        rows.update(
            status=FileJobStatus.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    rows.update(
        status=FileJobStatus.DONE, written=written, path=str(target), finished_at=timezone.now()
    )
    job.refresh_from_db()


def file_job_folder(name: str) -> Path:
    return Path(settings.MEDIA_ROOT) / name
