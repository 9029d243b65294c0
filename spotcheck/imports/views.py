from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from spotcheck.common.exports import record_export

from . import selectors
from .forms import ImportForm
from .jobs import import_job_confirm, import_job_create, job_progress


def _require_import_permission(user) -> None:
    if not user.has_perm("imports.run"):
        raise PermissionDenied


@login_required
def job_list(request):
    _require_import_permission(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        job = import_job_create(
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
            department=form.cleaned_data["department"],
            actor=request.user,
        )
        return redirect("imports:job_detail", job_id=job.pk)
    jobs = selectors.import_job_list(user=request.user)[:50]
    return render(request, "imports/job_list.html", {"form": form, "jobs": jobs})


@login_required
def job_detail(request, job_id):
    _require_import_permission(request.user)
    job = selectors.access_import_job(request.user, job_id)
    return render(request, "imports/job_detail.html", {"job": job, "progress": job_progress(job)})


@login_required
@require_POST
def job_confirm(request, job_id):
    """Apply a previewed import."""
    _require_import_permission(request.user)
    job = selectors.access_import_job(request.user, job_id)
    try:
        import_job_confirm(job=job, actor=request.user)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    return redirect("imports:job_detail", job_id=job.pk)


@login_required
def job_progress_json(request, job_id):
    _require_import_permission(request.user)
    job = selectors.access_import_job(request.user, job_id)
    return JsonResponse(job_progress(job))


@login_required
def job_report(request, job_id):
    _require_import_permission(request.user)
    job = selectors.access_import_job(request.user, job_id)
    if not job.report_path or not Path(job.report_path).exists():
        raise Http404
    record_export(request.user, f"rejected-rows:{job.pk}")
    return FileResponse(
        open(job.report_path, "rb"),
        as_attachment=True,
        filename=f"rejected-rows-{job.pk}.xlsx",
    )
