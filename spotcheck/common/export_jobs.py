"""List exports as background jobs: a list registers how its rows are read and written
(``ListExport``); a download of up to ``SPOTCHECK_EXPORT_IMMEDIATE_ROWS`` rows is made in the
request, a larger one by a job (``ExportJob``) whose file is written row by row to disk, in the
requester's scope and with their filters, and downloaded once complete."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.shortcuts import render

from .exports import EXPORT_FORMATS, export_response, record_export, write_csv, write_xlsx
from .file_jobs import file_job_folder, file_job_run
from .models import ExportJob

CHUNK_ROWS = 2000  # rows fetched per database round trip


@dataclass(frozen=True)
class ListExport:
    kind: str  # key of LIST_EXPORTS, stored on the job
    permission: str
    headers: Callable[[], Sequence[str]]  # called when writing: translated then
    rows: Callable[..., object]  # (user=, filters=) → the selector's queryset
    row: Callable[[object], Sequence]  # one object → its cells


LIST_EXPORTS: dict[str, ListExport] = {}


def list_export_register(export: ListExport) -> ListExport:
    LIST_EXPORTS[export.kind] = export
    return export


def immediate_limit() -> int:
    """Rows written within the request; more go to a job (a request must end in seconds)."""
    return settings.SPOTCHECK_EXPORT_IMMEDIATE_ROWS


def export_query(params: QueryDict) -> str:
    """The list's filters without the export switch and the page number."""
    query = params.copy()
    for name in ("export", "page"):
        query.pop(name, None)
    return query.urlencode()


def list_export_response(request, export: ListExport, queryset, fmt: str):
    """The download itself when small; else a page offering the background job."""
    if not request.user.has_perm(export.permission):
        raise PermissionDenied
    limit = immediate_limit()
    if queryset.order_by()[: limit + 1].count() <= limit:
        record_export(request.user, export.kind)
        rows = (export.row(obj) for obj in queryset.iterator(chunk_size=CHUNK_ROWS))
        return export_response(headers=export.headers(), rows=rows, filename=export.kind, fmt=fmt)
    context = {
        "kind": export.kind,
        "fmt": fmt,
        "query": export_query(request.GET),
        "limit": limit,
        "back": request.path + (f"?{q}" if (q := export_query(request.GET)) else ""),
    }
    return render(request, "common/export_offer.html", context)


def export_job_file(job: ExportJob) -> Path:
    return file_job_folder("exports") / f"{job.pk}-{job.kind}.{job.fmt}"


def export_job_build(job_id: int) -> ExportJob:
    """The job's work: every row of the requester's filtered list, streamed to the file."""
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    if job.finished:
        return job
    export = LIST_EXPORTS[job.kind]
    queryset = export.rows(user=job.requested_by, filters=QueryDict(job.query))
    writer = write_csv if job.fmt == "csv" else write_xlsx

    def write(handle, progress) -> int:
        rows: Iterable[Sequence] = (
            export.row(obj) for obj in queryset.iterator(chunk_size=CHUNK_ROWS)
        )
        return writer(handle, export.headers(), rows, progress)

    total = queryset.order_by().count()
    file_job_run(job, total=total, target=export_job_file(job), write=write)
    return job


__all__ = ["EXPORT_FORMATS", "LIST_EXPORTS", "ListExport", "list_export_register"]
