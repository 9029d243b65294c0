"""Staff pages for publication: deadlines, publishing a task, withholding, the calendar.
Thin: reads through selectors, writes through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from spotcheck.common.feedback import flash_errors

from .calendar_files import read_calendar_file
from .deadlines import by_department, task_deadline_list
from .forms import CalendarDayForm, CalendarImportForm, ExemptionForm, NationalExportForm
from .models import CalendarYear, NationalExport
from .rules import can_publish_task, can_watch_deadlines
from .selectors import (
    access_publication_task,
    exemption_list,
    reminder_list,
    task_publication_rows,
)
from .services.announcements import announcement_publish
from .services.calendar import calendar_day_set, calendar_year_import
from .services.national_export import national_export_create
from .services.publishing import exemption_decide, exemption_request, task_publish


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@login_required
def deadlines(request):
    """Due, due soon and overdue per department and per task (the office sees all)."""
    _require(can_watch_deadlines(request.user))
    rows = task_deadline_list(user=request.user)
    context = {
        "departments": by_department(rows),
        "reminders": reminder_list(user=request.user),
        "today": timezone.localdate(),
    }
    return render(request, "publication/deadlines.html", context)


@login_required
def task_detail(request, task_id):
    task = access_publication_task(request.user, task_id)
    _require(can_watch_deadlines(request.user))
    context = {
        "task": task,
        "rows": task_publication_rows(task),
        "can_publish": can_publish_task(request.user, task),
        "exemption_form": ExemptionForm(),
    }
    return render(request, "publication/task_detail.html", context)


@login_required
@require_POST
def task_publish_view(request, task_id):
    task = access_publication_task(request.user, task_id)
    try:
        outcome = task_publish(actor=request.user, task=task)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(
            request,
            _("已公开 %(new)d 条结果，更正后重新公开 %(again)d 条")
            % {"new": len(outcome.published), "again": len(outcome.republished)},
        )
    return redirect("publication:task_detail", task.pk)


@login_required
@require_POST
def announcement_publish_view(request, task_id):
    task = access_publication_task(request.user, task_id)
    try:
        announcement_publish(actor=request.user, task=task)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("已在公开网站发布拟检查公告"))
    return redirect("publication:task_detail", task.pk)


@login_required
@require_POST
def exemption_request_view(request, task_id):
    task = access_publication_task(request.user, task_id)
    form = ExemptionForm(request.POST)
    form.is_valid()
    visit = None
    if "visit" not in form.errors:
        visit = task.visits.filter(pk=form.cleaned_data["visit"]).first()
    if visit is None:
        raise Http404
    try:
        exemption_request(
            actor=request.user,
            task=task,
            visit=visit,
            legal_ground=form.cleaned_data.get("legal_ground", ""),
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("已提交不宜公开申请，待联席会议办公室审批"))
    return redirect("publication:task_detail", task.pk)


@login_required
def exemptions(request):
    _require(can_watch_deadlines(request.user))
    return render(
        request, "publication/exemptions.html", {"exemptions": exemption_list(user=request.user)}
    )


@login_required
@require_POST
def exemption_decide_view(request, exemption_id):
    exemption = get_object_or_404(exemption_list(user=request.user), pk=exemption_id)
    try:
        exemption_decide(
            actor=request.user, exemption=exemption, approve=request.POST.get("approve") == "1"
        )
    except ValidationError as error:
        flash_errors(request, error)
    return redirect("publication:exemptions")


@login_required
def calendar(request):
    """The office keeps the working-day calendar: one day, or a year from the notice."""
    _require(request.user.is_office)
    day_form, import_form = CalendarDayForm(), CalendarImportForm()
    if request.method == "POST" and "day" in request.POST:
        day_form = CalendarDayForm(request.POST)
        if day_form.is_valid():
            try:
                calendar_day_set(actor=request.user, **day_form.cleaned_data)
            except ValidationError as error:
                flash_errors(request, error)
            else:
                messages.success(request, _("已保存"))
                return redirect("publication:calendar")
    elif request.method == "POST":
        import_form = CalendarImportForm(request.POST, request.FILES)
        if import_form.is_valid():
            data = import_form.cleaned_data
            try:
                rows = read_calendar_file(data["file"], data["year"])
                calendar_year_import(
                    actor=request.user, year=data["year"], rows=rows, notice=data["notice"]
                )
            except ValidationError as error:
                flash_errors(request, error)
            else:
                messages.success(request, _("已导入%(year)d年工作日历") % {"year": data["year"]})
                return redirect("publication:calendar")
    context = {
        "years": CalendarYear.objects.all(),
        "day_form": day_form,
        "import_form": import_form,
    }
    return render(request, "publication/calendar.html", context)


@login_required
def national_exports(request):
    """Export to the national credit publicity system, and the log of what was sent."""
    _require(can_watch_deadlines(request.user))
    form = NationalExportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            file = national_export_create(
                actor=request.user,
                department=data["department"],
                start=data["start"],
                end=data["end"],
                fmt=data["fmt"],
            )
        except ValidationError as error:
            flash_errors(request, error)
        else:
            response = HttpResponse(file.content, content_type=file.content_type)
            response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
            return response
    sent = NationalExport.objects.select_related("department", "created_by")
    if not request.user.is_office:
        sent = sent.filter(department=request.user.department_id)
    return render(request, "publication/exports.html", {"form": form, "sent": sent[:100]})
