"""Yearly reports: ask for one (made by a job), see their state, download the files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from spotcheck.accounts.models import Department

from .forms import ReportRequestForm
from .models import ReportStatus
from .rules import can_view_dashboard, may_request_reports, sees_every_department
from .selectors import access_report_by_id, report_list
from .services import yearly_report_request


@login_required
def reports(request):
    if not can_view_dashboard(request.user):
        raise PermissionDenied
    context = {
        "reports": report_list(user=request.user)[:100],
        # Oversight reads the reports but asks for none (no department of its own).
        "form": ReportRequestForm(user=request.user) if may_request_reports(request.user) else None,
        "all_departments": sees_every_department(request.user),
    }
    return render(request, "stats/reports.html", context)


@login_required
@require_POST
def report_request(request):
    if not may_request_reports(request.user):
        raise PermissionDenied
    form = ReportRequestForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, "；".join(m for e in form.errors.values() for m in e))
        return redirect("stats:reports")
    department_id = form.cleaned_data["department"]
    department = get_object_or_404(Department, pk=department_id) if department_id else None
    yearly_report_request(actor=request.user, department=department, year=form.cleaned_data["year"])
    messages.success(request, _("年度报告正在生成，完成后可在下方下载"))
    return redirect("stats:reports")


@login_required
def report_download(request, report_id, fmt):
    report = access_report_by_id(request.user, report_id)
    if report.status != ReportStatus.READY or fmt not in ("xlsx", "pdf"):
        raise Http404
    file = report.xlsx if fmt == "xlsx" else report.pdf
    name = f"{report}.{fmt}".replace(" ", "-")
    return FileResponse(file.open("rb"), as_attachment=True, filename=name)
