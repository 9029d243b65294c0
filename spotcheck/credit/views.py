"""Thin views: an entity's class with its reason, rule version and history; owners' overrides;
the office's runs and on-demand recomputation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from spotcheck.directory.ownership import owns_shared_record

from . import selectors, services
from .forms import ClearOverrideForm, OverrideForm
from .models import CreditRunTrigger
from .rules import rule_version
from .tasks import recompute_credit_classes


def _render_entity(request, entity, assessment, form=None, clear_form=None, status=200):
    context = {
        "entity": entity,
        "assessment": assessment,
        "changes": selectors.credit_change_list(entity=entity)[:50],
        "may_override": owns_shared_record(request.user),
        "form": form or OverrideForm(initial={"credit_class": entity.credit_class}),
        "clear_form": clear_form or ClearOverrideForm(),
        "rule_version": rule_version(),
    }
    return render(request, "credit/entity_credit.html", context, status=status)


@login_required
def entity_credit(request, key):
    entity, assessment = selectors.access_entity_credit(request.user, key)
    return _render_entity(request, entity, assessment)


@login_required
@require_POST
def override_set(request, key):
    entity, assessment = selectors.access_entity_credit(request.user, key)
    if not owns_shared_record(request.user):
        raise PermissionDenied
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            services.credit_override_set(
                actor=request.user,
                entity=entity,
                credit_class=form.cleaned_data["credit_class"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已人工调整信用风险分类，取消调整前每月重新计算不会覆盖"))
            return redirect("credit:entity_credit", key=entity.key)
    return _render_entity(request, entity, assessment, form=form, status=400)


@login_required
@require_POST
def override_clear(request, key):
    entity, assessment = selectors.access_entity_credit(request.user, key)
    if not owns_shared_record(request.user):
        raise PermissionDenied
    form = ClearOverrideForm(request.POST)
    if form.is_valid():
        try:
            services.credit_override_clear(
                actor=request.user, entity=entity, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已取消人工调整，恢复按规则计算的分类"))
            return redirect("credit:entity_credit", key=entity.key)
    return _render_entity(request, entity, assessment, clear_form=form, status=400)


@login_required
def run_list(request):
    if not request.user.is_office:
        raise PermissionDenied
    context = {"runs": selectors.credit_run_list()[:24], "rule_version": rule_version()}
    return render(request, "credit/run_list.html", context)


@login_required
@require_POST
def recompute(request):
    """On demand, e.g. after a rule change: the office queues one run for the task worker."""
    if not request.user.is_office:
        raise PermissionDenied
    recompute_credit_classes.enqueue(
        trigger=CreditRunTrigger.ON_DEMAND, requested_by_id=request.user.pk
    )
    messages.success(request, _("已安排重新计算信用风险分类，完成后显示在下表"))
    return redirect("credit:run_list")
