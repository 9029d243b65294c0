"""Thin views of check approval (检查审批): the list, a request, a decision."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from spotcheck.common.feedback import flash_errors
from spotcheck.common.pagination import paginate
from spotcheck.directory.selectors import access_entity_by_key
from spotcheck.inspections.selectors import access_result

from . import selectors, services, tolerance
from .forms import CheckRequestForm, DecisionForm
from .models import CheckRequestStatus
from .warnings import firm_warning_list


@login_required
def check_request_list(request):
    if not (request.user.is_office or request.user.department_id):
        raise PermissionDenied
    requests = selectors.check_request_list(user=request.user, filters=request.GET)
    context = {
        "page": paginate(request, requests),
        "statuses": CheckRequestStatus.choices,
        "decision_form": DecisionForm(),
    }
    return render(request, "checks/request_list.html", context)


@login_required
def check_request_create(request):
    user = request.user
    if user.department is None:
        raise PermissionDenied
    form = CheckRequestForm(request.POST or None, department=user.department)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entity = access_entity_by_key(user, data["entity_key"].strip().upper())
            services.check_request_create(
                actor=user,
                kind=data["kind"],
                ground=data["ground"],
                entity=entity,
                planned_date=data["planned_date"],
                description=data["description"],
                plan=data["plan"],
                lead=data["lead"],
                follow_up=data["follow_up"],
            )
        except Http404:
            form.add_error("entity_key", _("本部门监管的检查对象中没有该统一社会信用代码"))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("检查申请已提交，待本部门负责人审批"))
            return redirect("checks:request_list")
    status = 400 if request.method == "POST" else 200
    return render(request, "checks/request_form.html", {"form": form}, status=status)


@login_required
@require_POST
def check_request_decide(request, pk):
    check = selectors.access_check_request(request.user, pk)
    if not (services.may_decide_check(request.user, check) or request.user == check.requested_by):
        raise PermissionDenied  # who may never decide learns so, not that the form is incomplete
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择批准或不予批准"))
    else:
        try:
            services.check_request_decide(actor=request.user, request=check, **form.cleaned_data)
            messages.success(request, _("已审批：%(e)s") % {"e": check.entity.name})
        except ValidationError as error:
            flash_errors(request, error)
    return redirect("checks:request_list")


@login_required
def warning_list(request):
    """The office's list of firms checked too often or over a cap, with the checks behind each."""
    if not request.user.is_office:
        raise PermissionDenied
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    context = {"warnings": firm_warning_list(year=year), "year": year}
    return render(request, "checks/warning_list.html", context)


@login_required
def tolerance_cite_view(request, result_pk):
    """The result's department chooses the list entry; entries the firm already used are shown
    as not eligible, with the date."""
    result = access_result(request.user, result_pk)
    if not tolerance.may_cite(request.user, result):
        raise PermissionDenied
    entity = result.visit.entity
    entries = list(tolerance.tolerance_entries_for(department=result.department))
    earlier = tolerance.earlier_citations(entity=entity)
    for entry in entries:
        entry.earlier = earlier.get(entry.pk)
    status = 200
    if request.method == "POST":
        chosen = next((e for e in entries if str(e.pk) == request.POST.get("entry")), None)
        if chosen is None:
            messages.error(request, _("请选择清单事项"))
            status = 400
        else:
            try:
                tolerance.tolerance_cite(actor=request.user, result=result, entry=chosen)
            except ValidationError as error:
                flash_errors(request, error)
                status = 400
            else:
                messages.success(request, _("已适用免罚清单，并责令企业限期改正"))
                return redirect("inspections:entity_file", key=entity.key)
    context = {"result": result, "entity": entity, "entries": entries}
    return render(request, "checks/tolerance_cite.html", context, status=status)
