"""The office's department settings for imports: aliases and default ratio caps."""

from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .department_forms import DepartmentAliasForm, DepartmentCapForm
from .department_names import department_core
from .department_settings import department_alias_add, department_default_cap_set
from .models import Department


@login_required
def department_settings(request):
    if not request.user.is_office:
        raise PermissionDenied
    action = request.POST.get("action")
    alias_form = DepartmentAliasForm(request.POST if action == "alias" else None)
    cap_form = DepartmentCapForm(request.POST if action == "cap" else None)
    for form in (alias_form, cap_form):
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            try:
                if form is alias_form:
                    department_alias_add(
                        department=data["department"], alias=data["alias"], actor=request.user
                    )
                else:
                    department_default_cap_set(
                        department=data["department"], cap=data["cap"], actor=request.user
                    )
            except ValidationError as error:
                form.add_error(None, error)
                break
            messages.success(request, _("已保存"))
            return redirect("accounts:department_settings")
    departments = [
        (department, department_core(department.name))
        for department in Department.objects.prefetch_related("aliases")
    ]
    context = {
        "departments": departments,
        "alias_form": alias_form,
        "cap_form": cap_form,
        "district_cap": Decimal(settings.SPOTCHECK_RULES["DEFAULT_RATIO_CAP"]),
    }
    return render(request, "accounts/department_settings.html", context)
