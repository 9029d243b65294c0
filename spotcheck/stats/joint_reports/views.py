"""Pages of the joint-check reports and the office's yearly timetable. Thin: selectors and
services do the work."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from spotcheck.common.feedback import flash_errors
from spotcheck.plans.models import JointCheck

from .documents import report_docx, report_pdf, report_text
from .forms import BodyForm, OpenForm, ReviseForm, YearForm
from .models import ReportKind
from .rules import may_write, takes_part
from .selectors import access_report, due_reports, report_list, yearly_summary
from .services import (
    report_download_record,
    report_due_on,
    report_edit,
    report_open,
    report_refresh,
    report_revise,
    report_sign,
)
from .timetable import timetable as timetable_rows
from .timetable import yearly_summary_due

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _flash_form(request, form) -> None:
    messages.error(request, "；".join(m for errors in form.errors.values() for m in errors))


def _year(request) -> int:
    form = YearForm(request.GET or None)
    if form.is_bound and form.is_valid() and form.cleaned_data["year"]:
        return form.cleaned_data["year"]
    return timezone.localdate().year


def _left(due, today) -> tuple:
    """The report, days left (None: field work goes on), days overdue."""
    left = due.days_left(today)
    return due, left if left is not None else 0, -left if left is not None and left < 0 else 0


@login_required
def joint_reports(request):
    user = request.user
    if not takes_part(user):
        raise PermissionDenied
    today = timezone.localdate()
    owed = [] if user.is_office else due_reports(department_id=user.department_id)
    late = [d for d in due_reports() if d.overdue(today)] if user.is_office else []
    year = today.year
    context = {
        "today": today,
        "owed": [_left(d, today) for d in owed if not d.signed],
        "late": [(d, -(d.days_left(today) or 0)) for d in late],
        "reports": report_list(user=user).order_by("-year", "-pk")[:200],
        "year": year,
        "yearly": yearly_summary(year) if user.is_office else None,
        "yearly_due": yearly_summary_due(year) if user.is_office else None,
    }
    return render(request, "stats/joint_reports/index.html", context)


@login_required
@require_POST
def joint_report_open(request):
    if not takes_part(request.user):
        raise PermissionDenied
    form = OpenForm(request.POST)
    if not form.is_valid():
        _flash_form(request, form)
        return redirect("stats:joint_reports")
    joint = None
    if form.cleaned_data["joint"]:
        joint = get_object_or_404(JointCheck, pk=form.cleaned_data["joint"])
    try:
        report = report_open(
            actor=request.user,
            kind=form.cleaned_data["kind"],
            joint=joint,
            year=form.cleaned_data["year"],
        )
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("stats:joint_reports")
    return redirect("stats:joint_report", joint_report_id=report.pk)


@login_required
def joint_report(request, joint_report_id):
    if not takes_part(request.user):
        raise PermissionDenied
    report = access_report(request.user, joint_report_id)
    writable = may_write(request.user, report)
    context = {
        "report": report,
        "versions": list(report.versions.select_related("signed_by")),
        "writable": writable,
        "due_on": report_due_on(report),
        "today": timezone.localdate(),
        "body_form": BodyForm(initial={"body": report.body}) if writable else None,
        "revise_form": ReviseForm() if writable else None,
        "may_read_draft": writable or request.user.is_office,
    }
    return render(request, "stats/joint_reports/detail.html", context)


def _write(request, joint_report_id, action):
    """Find the report the user may read (404 otherwise), then run `action` on it; a refusal
    with a reason comes back as a message."""
    if not takes_part(request.user):
        raise PermissionDenied
    report = access_report(request.user, joint_report_id)
    if not may_write(request.user, report):
        raise PermissionDenied
    try:
        action(report)
    except ValidationError as error:
        flash_errors(request, error)
    return redirect("stats:joint_report", joint_report_id=report.pk)


def _valid(form_class, request):
    form = form_class(request.POST)
    if not form.is_valid():
        raise ValidationError([m for errors in form.errors.values() for m in errors])
    return form.cleaned_data


@login_required
@require_POST
def joint_report_edit(request, joint_report_id):
    def edit(report):
        body = _valid(BodyForm, request)["body"]
        report_edit(actor=request.user, report=report, body=body)
        messages.success(request, _("报告已保存"))

    return _write(request, joint_report_id, edit)


@login_required
@require_POST
def joint_report_refresh(request, joint_report_id):
    def refresh(report):
        report_refresh(actor=request.user, report=report)
        messages.success(request, _("已按最新数据重新生成报告"))

    return _write(request, joint_report_id, refresh)


@login_required
@require_POST
def joint_report_sign(request, joint_report_id):
    def sign(report):
        version = report_sign(actor=request.user, report=report)
        messages.success(request, _("报告已签发（第%(n)s版）") % {"n": version.number})

    return _write(request, joint_report_id, sign)


@login_required
@require_POST
def joint_report_revise(request, joint_report_id):
    def revise(report):
        reason = _valid(ReviseForm, request)["reason"]
        report_revise(actor=request.user, report=report, reason=reason)
        messages.success(request, _("已开始修订，签发后形成新版本"))

    return _write(request, joint_report_id, revise)


@login_required
def joint_report_download(request, joint_report_id, fmt):
    if not takes_part(request.user):
        raise PermissionDenied
    report = access_report(request.user, joint_report_id)
    if fmt not in CONTENT_TYPES:
        raise Http404
    versions = report.versions.select_related("signed_by")
    wanted = request.GET.get("version", "")
    if wanted:
        version = versions.filter(number=int(wanted) if wanted.isdigit() else 0).first()
        if version is None:
            raise Http404
    else:
        version = versions.order_by("-number").first()
    if version is None and not (may_write(request.user, report) or request.user.is_office):
        raise Http404  # a draft is for its authors (and the office) only
    text = report_text(report, version)
    content = report_pdf(text) if fmt == "pdf" else report_docx(text)
    report_download_record(
        actor=request.user, report=report, version=version.number if version else None, fmt=fmt
    )
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    name = f"report-{report.pk}-v{version.number if version else 0}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def timetable(request):
    if not request.user.is_office:
        raise PermissionDenied
    year = _year(request)
    today = timezone.localdate()
    context = {
        "year": year,
        "today": today,
        "rows": timetable_rows(year=year, today=today),
        "yearly": yearly_summary(year),
        "kind_yearly": ReportKind.YEARLY,
    }
    return render(request, "stats/joint_reports/timetable.html", context)
