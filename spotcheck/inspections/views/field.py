"""Inspector field pages, result entry, evidence and review (phone-first)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from spotcheck.accounts.models import Role
from spotcheck.common.feedback import flash_errors
from spotcheck.common.pagination import paginate
from spotcheck.draws.notices.context import inspection_qr_svg
from spotcheck.draws.selectors import visit_team

from .. import selectors, services
from ..evidence import evidence_add, max_bytes, too_big_message
from ..forms import (
    AmendmentDecisionForm,
    AmendmentForm,
    EvidenceForm,
    NotPossibleForm,
    ResultForm,
    ReviewForm,
)
from ..models import AmendmentStatus, FieldVisit, ResultStatus
from ..rules import can_enter_result, can_review_result, serving_member


def _may_close(user, visit) -> bool:
    # Mirrors services.visit_close; see the report about moving it into rules.py.
    return user.is_office or (
        user.department_id == visit.batch.department_id and user.can_manage_department_data
    )


@login_required
def my_work(request):
    today = timezone.localdate()
    page = paginate(request, selectors.field_visit_list(user=request.user, today=today))
    return render(request, "inspections/field/my_work.html", {"page": page, "today": today})


@login_required
def visit_field(request, visit_pk):
    visit = selectors.access_field_visit(request.user, visit_pk)
    field = getattr(visit, "field", None)
    member = serving_member(request.user, visit)
    pending = field is None or field.outcome == FieldVisit.Outcome.PENDING
    context = {
        "visit": visit,
        "field": field,
        "departments": selectors.visit_items(user=request.user, visit=visit),
        "team": visit_team(visit),
        "on_team": member is not None,
        # 亮码检查: the team shows the firm the same code its notice carries, never the PIN.
        "inspection_qr": inspection_qr_svg(visit) if member is not None and pending else None,
        "may_arrive": member is not None and (field is None or field.arrived_at is None),
        "may_finish": member is not None and pending,
        "not_possible_form": NotPossibleForm(user=request.user) if member and pending else None,
        "sees_all": selectors.sees_every_status(request.user, visit),
        "may_close": (
            field is not None
            and field.closed_at is None
            and _may_close(request.user, visit)
            and selectors.visit_all_approved(visit)
        ),
    }
    return render(request, "inspections/field/visit.html", context)


def _visit_action(request, visit_pk, action, success: str):
    visit = selectors.access_field_visit(request.user, visit_pk)
    try:
        action(actor=request.user, visit=visit)
        messages.success(request, success)
    except ValidationError as error:
        flash_errors(request, error)
    return redirect("inspections:visit", visit_pk=visit.pk)


@login_required
@require_POST
def visit_arrive(request, visit_pk):
    visit = selectors.access_field_visit(request.user, visit_pk)
    try:
        services.visit_arrive(actor=request.user, visit=visit)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("inspections:visit", visit_pk=visit.pk)
    messages.success(request, _("已记录到达时间"))
    early = (visit.planned_date - timezone.localdate()).days
    if early > 0:
        # Allowed (the team may agree another day with the firm) but never silently.
        messages.warning(
            request,
            _(
                "今天比计划检查日期 %(date)s 早 %(days)s 天；请确认已与被检查单位约定，并在记录中说明。"
            )
            % {"date": visit.planned_date.isoformat(), "days": early},
        )
    return redirect("inspections:visit", visit_pk=visit.pk)


@login_required
@require_POST
def visit_complete(request, visit_pk):
    visit = selectors.access_field_visit(request.user, visit_pk)
    try:
        field = services.visit_complete(actor=request.user, visit=visit)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(
            request,
            _("已完成现场检查，结果报送期限为 %(due)s") % {"due": field.results_due.isoformat()},
        )
    return redirect("inspections:visit", visit_pk=visit.pk)


@login_required
@require_POST
def visit_close(request, visit_pk):
    return _visit_action(request, visit_pk, services.visit_close, _("检查已办结"))


@login_required
@require_POST
def visit_not_possible(request, visit_pk):
    visit = selectors.access_field_visit(request.user, visit_pk)
    form = NotPossibleForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("请选择未能检查的原因并填写情况说明"))
        return redirect("inspections:visit", visit_pk=visit.pk)
    try:
        services.visit_not_possible(actor=request.user, visit=visit, **form.cleaned_data)
        messages.success(request, _("已记录未能检查，请提交各事项结果审核"))
    except ValidationError as error:
        flash_errors(request, error)
    return redirect("inspections:visit", visit_pk=visit.pk)


def _result_context(request, result, form=None) -> dict:
    user = request.user
    may_enter = can_enter_result(user, result)
    editable = may_enter and result.status in selectors.OPEN_STATUSES
    approved = result.status == ResultStatus.APPROVED
    may_review = can_review_result(user, result)
    history = list(selectors.result_history(result))
    return {
        "result": result,
        "visit": result.visit,
        "form": form
        or (
            ResultForm(result=result, initial=ResultForm.initial_for(result)) if editable else None
        ),
        "editable": editable,
        "categories": list(result.categories.all()),
        "confirmed_by": result.confirmed_by.select_related("inspector", "department"),
        "evidence": selectors.result_evidence(result),
        "evidence_form": EvidenceForm() if editable else None,
        "max_bytes": max_bytes(),
        "too_big": too_big_message(),
        "may_review_now": may_review and result.status == ResultStatus.SUBMITTED,
        "history": history,
        "effective": services.effective_categories(result) if approved else None,
        "amendment_form": AmendmentForm(
            result=result, initial=AmendmentForm.initial_for(services.effective_record(result))
        )
        if approved and (may_enter or user.department_id == result.department_id)
        else None,
        "may_decide_amendments": may_review,
        "proposed": AmendmentStatus.PROPOSED,
    }


@login_required
def result_detail(request, result_pk):
    result = selectors.access_result(request.user, result_pk)
    if request.method != "POST":
        return render(request, "inspections/field/result.html", _result_context(request, result))
    upload = request.FILES.get("file")
    if upload is not None:
        _add_evidence(request, result, upload)
    if request.POST.get("action") == "upload":
        # Only the photo was sent on purpose: keep every typed word and ticked box on the
        # page, unsaved, exactly as it was.
        form = ResultForm(result=result, initial=ResultForm.initial_from_post(request.POST))
        if upload is None:
            messages.error(request, _("请选择文件"))
        messages.info(request, _("填写的内容尚未保存，请点击“保存”或“提交审核”"))
        return render(
            request, "inspections/field/result.html", _result_context(request, result, form)
        )
    form = ResultForm(request.POST, result=result)
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = services.result_enter(
                actor=request.user,
                result=result,
                categories=data["categories"],
                finding=data["finding"],
                legal_basis=data["legal_basis"],
                measures=data["measures"],
                method=data["method"],
                confirmations=[m.pk for m in data["confirmations"]],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if request.POST.get("action") != "submit":
                messages.success(request, _("已保存"))
                return redirect("inspections:result", result_pk=result.pk)
            try:
                services.result_submit(actor=request.user, result=result)
                messages.success(request, _("已提交审核"))
            except ValidationError as error:
                messages.success(request, _("已保存"))
                flash_errors(request, error)
            return redirect("inspections:result", result_pk=result.pk)
    return render(request, "inspections/field/result.html", _result_context(request, result, form))


def _add_evidence(request, result, upload) -> None:
    form = EvidenceForm(files={"file": upload})
    if not form.is_valid():
        messages.error(request, "；".join(form.errors.get("file", [_("请选择文件")])))
        return
    try:
        evidence_add(actor=request.user, result=result, upload=form.cleaned_data["file"])
        messages.success(request, _("证据已上传"))
    except ValidationError as error:
        flash_errors(request, error)


@login_required
@require_POST
def evidence_upload(request, result_pk):
    result = selectors.access_result(request.user, result_pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择文件"))
    else:
        _add_evidence(request, result, upload)
    return redirect("inspections:result", result_pk=result.pk)


@login_required
def evidence_download(request, evidence_pk):
    evidence = selectors.access_evidence(request.user, evidence_pk)
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def review_queue(request):
    context = {
        "page": paginate(request, selectors.review_queue(user=request.user)),
        "amendments": selectors.amendment_queue(user=request.user)[:50],
        "may_decide": request.user.role == Role.REVIEWER,
    }
    return render(request, "inspections/field/review_queue.html", context)


def _back(form, result):
    if form.is_valid() and form.cleaned_data.get("back") == "queue":
        return redirect("inspections:review_queue")
    return redirect("inspections:result", result_pk=result.pk)


_DECIDED = {
    "approve": gettext_lazy("已审核通过"),
    "return": gettext_lazy("已退回"),
    "reject": gettext_lazy("已不予采纳"),
}


@login_required
@require_POST
def result_review(request, result_pk):
    result = selectors.access_result(request.user, result_pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        decision = form.cleaned_data["decision"]
        try:
            services.result_review(
                actor=request.user,
                result=result,
                decision=decision,
                note=form.cleaned_data["note"],
            )
            messages.success(request, _DECIDED[decision])
        except ValidationError as error:
            flash_errors(request, error)
    return _back(form, result)


@login_required
@require_POST
def amendment_propose(request, result_pk):
    result = selectors.access_result(request.user, result_pk)
    form = AmendmentForm(request.POST, result=result)
    if not form.is_valid():
        messages.error(request, _("更正须说明原因并选择更正后的检查结果"))
        return redirect("inspections:result", result_pk=result.pk)
    try:
        services.amendment_propose(actor=request.user, result=result, **form.cleaned_data)
        messages.success(request, _("已提出更正，待审核"))
    except ValidationError as error:
        flash_errors(request, error)
    return redirect("inspections:result", result_pk=result.pk)


@login_required
@require_POST
def amendment_review(request, amendment_pk):
    amendment = selectors.access_amendment(request.user, amendment_pk)
    form = AmendmentDecisionForm(request.POST)
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            services.amendment_review(actor=request.user, amendment=amendment, approve=approve)
            messages.success(request, _("更正已生效") if approve else _("更正未通过"))
        except ValidationError as error:
            flash_errors(request, error)
    return _back(form, amendment.result)
