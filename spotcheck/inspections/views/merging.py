"""Merge offers (合并检查建议): the list, one offer with each department's answer, answering,
and the office's on-demand detection."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from spotcheck.accounts.models import Role
from spotcheck.common.feedback import flash_errors
from spotcheck.common.pagination import paginate

from .. import merge_selectors as selectors
from ..forms import MergeAnswerForm
from ..merging import may_answer, merge_offer_answer, merge_offers_detect
from ..models import MergeDecision, MergeOfferStatus

ANSWERING_ROLES = (Role.DEPARTMENT_ADMIN, Role.REVIEWER)  # the liaison answers, the reviewer reads


@login_required
def merge_list(request):
    user = request.user
    if not (user.is_office or user.is_oversight or user.role in ANSWERING_ROLES):
        raise PermissionDenied
    status = request.GET.get("status") or None
    page = paginate(request, selectors.merge_offer_list(user=user, status=status))
    context = {
        "page": page,
        "status": status,
        "statuses": MergeOfferStatus.choices,
        "savings": selectors.merge_savings() if user.is_office or user.is_oversight else None,
    }
    return render(request, "inspections/merging/list.html", context)


@login_required
def merge_detail(request, merge_pk):
    offer = selectors.access_merge_offer(request.user, merge_pk)
    answers = list(selectors.offer_answers(offer))
    own = next((a for a in answers if a.department_id == request.user.department_id), None)
    answerable = (
        offer.status == MergeOfferStatus.OPEN
        and own is not None
        and own.decision == MergeDecision.PENDING
        and may_answer(request.user, offer)
    )
    context = {
        "offer": offer,
        "visits": selectors.offer_visits(offer),
        "answers": answers,
        "form": MergeAnswerForm() if answerable else None,
    }
    return render(request, "inspections/merging/detail.html", context)


@login_required
@require_POST
def merge_answer(request, merge_pk):
    offer = selectors.access_merge_offer(request.user, merge_pk)
    if not may_answer(request.user, offer):  # before the form: a reader learns nothing from it
        raise PermissionDenied
    form = MergeAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择同意或不同意合并"))
        return redirect("inspections:merge_detail", merge_pk=offer.pk)
    try:
        offer = merge_offer_answer(
            actor=request.user,
            offer=offer,
            accept=form.cleaned_data["decision"] == "accept",
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("inspections:merge_detail", merge_pk=offer.pk)
    if offer.status == MergeOfferStatus.REFUSED:
        messages.error(request, _("不能合并：%(r)s") % {"r": offer.refusal})
    elif offer.status == MergeOfferStatus.MERGED:
        messages.success(request, _("各部门均已同意，已合并为一次联合检查"))
    else:
        messages.success(request, _("已答复"))
    return redirect("inspections:merge_detail", merge_pk=offer.pk)


@login_required
@require_POST
def merge_detect(request):
    offers = merge_offers_detect(actor=request.user)
    messages.success(request, _("发现 %(n)s 条新的合并检查建议") % {"n": len(offers)})
    return redirect("inspections:merge_list")
