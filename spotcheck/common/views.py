"""The pages of a background list export: request, progress (htmx), download."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from spotcheck.accounts.scoping import get_scoped_or_404

from .exports import record_export
from .feedback import flash_errors
from .file_jobs import FileJobStatus
from .models import ExportJob
from .services import export_job_download_check, export_job_request

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def access_export_job(user, job_id: int) -> ExportJob:
    """A job is its requester's alone: it holds the rows of their scope."""
    return get_scoped_or_404(ExportJob.objects.filter(requested_by=user.pk), pk=job_id)


@login_required
@require_POST
def export_job_create(request):
    try:
        job = export_job_request(
            actor=request.user,
            kind=request.POST.get("kind", ""),
            fmt=request.POST.get("fmt", ""),
            query=request.POST.get("query", ""),
        )
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("home")
    return redirect("common:export_job", job_id=job.pk)


def _download_refusal(user, job: ExportJob) -> str:
    try:
        export_job_download_check(user=user, job=job)
    except ValidationError as error:
        return error.messages[0]
    return ""


@login_required
def export_job(request, job_id):
    """The export's progress; htmx polls the fragment until the download link appears."""
    job = access_export_job(request.user, job_id)
    template = "common/_export_progress.html" if request.headers.get("HX-Request") else None
    context = {"job": job, "refusal": _download_refusal(request.user, job)}
    return render(request, template or "common/export_job.html", context)


@login_required
def export_job_download(request, job_id):
    job = access_export_job(request.user, job_id)
    if job.status != FileJobStatus.DONE:
        raise Http404
    refusal = _download_refusal(request.user, job)
    if refusal:
        return render(
            request, "common/export_job.html", {"job": job, "refusal": refusal}, status=403
        )
    record_export(request.user, f"{job.kind}:job:{job.pk}")
    return FileResponse(
        open(job.path, "rb"),
        as_attachment=True,
        filename=f"{job.kind}.{job.fmt}",
        content_type=CONTENT_TYPES[job.fmt],
    )
