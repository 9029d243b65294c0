"""The public page a visit's code opens (no login, phone first), and the department's views."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from spotcheck.common.client import client_ip
from spotcheck.common.feedback import flash_errors
from spotcheck.draws.notices.context import notice_context
from spotcheck.draws.publication import format_access_code

from . import limits, selectors, services
from .errors import FirmSideErrorCode
from .forms import (
    AccountCreditRepairForm,
    AccountRatingForm,
    AccountRecusalRequestForm,
    CreditRepairForm,
    DecisionForm,
    FirmRegisterForm,
    RatingForm,
    RecusalRequestForm,
)

UNKNOWN_CODE = (
    "检查码无效：请核对通知书上的16位检查码（如 ABCD-EFGH-JKMN-PQRS），或直接扫描通知书上的二维码。"
)


def _visit_or_refuse(request, code: str):
    """The visit, or a rendered refusal: the same words for a malformed and an unknown code."""
    ip = client_ip(request)
    if limits.lookups_exhausted(ip):
        return None, render(
            request,
            "firms/code_entry.html",
            {"error": _("查询过于频繁，请一小时后再试。")},
            status=429,
        )
    visit = selectors.visit_for_code(code)
    if visit is None:
        limits.lookup_failed(ip)
        return None, render(
            request, "firms/code_entry.html", {"error": str(UNKNOWN_CODE), "code": code}, status=404
        )
    return visit, None


def code_entry(request):
    code = request.GET.get("code", "").strip()
    if code:
        visit, refusal = _visit_or_refuse(request, code)
        if refusal:
            return refusal
        return redirect("firms:visit", code=format_access_code(visit.access_code))
    return render(request, "firms/code_entry.html", {})


def visit_page(request, code):
    visit, refusal = _visit_or_refuse(request, code)
    if refusal:
        return refusal
    if limits.scan_is_new(visit.pk, client_ip(request)):
        services.code_scan_record(visit=visit)
    state = selectors.visit_state(visit)
    gone = (selectors.VisitState.CANCELLED, selectors.VisitState.MERGED)
    team = selectors.public_team(visit) if state not in gone else []
    # The page is public: the PIN printed on the paper notice guards rating, recusal and credit
    # repair; the context here has none (only printing a letter issues one).
    notice = notice_context(visit)
    context = {
        "visit": visit,
        "code": format_access_code(visit.access_code),
        "state": state,
        "notice": notice,
        "team": team,
        "rated": selectors.visit_has_rating(visit),
        "may_rate": state == selectors.VisitState.FINISHED,
        "may_request_recusal": selectors.visit_not_started(visit) and bool(team),
        "rating_form": RatingForm(),
        "recusal_form": RecusalRequestForm(team=team),
        "merged_into_code": (
            format_access_code(visit.merged_into.access_code) if visit.merged_into_id else ""
        ),
        "proof_url": reverse("public:draw_proof", args=[visit.batch.number])
        + f"?code={format_access_code(visit.access_code)}",
    }
    return render(request, "firms/visit.html", context)


def _firm_action(request, code, run, success: str):
    visit, refusal = _visit_or_refuse(request, code)
    if refusal:
        return refusal
    try:
        run(visit)
        messages.success(request, success)
    except ValidationError as error:
        flash_errors(request, error)
    return redirect("firms:visit", code=format_access_code(visit.access_code))


@require_POST
def visit_rate(request, code):
    form = RatingForm(request.POST)

    def run(visit):
        if not form.is_valid():
            raise ValidationError(next(iter(form.errors.values())))
        services.visit_rate(
            visit=visit,
            pin=form.cleaned_data["pin"],
            stars=form.cleaned_data["stars"],
            text=form.cleaned_data["text"],
            objects_to_result=form.cleaned_data["objects_to_result"],
        )

    return _firm_action(request, code, run, _("感谢评价，您的评价已提交。"))


@require_POST
def recusal_request(request, code):
    def run(visit):
        form = RecusalRequestForm(request.POST, team=selectors.public_team(visit))
        if not form.is_valid():
            raise ValidationError(next(iter(form.errors.values())))
        services.firm_recusal_request(
            visit=visit,
            pin=form.cleaned_data["pin"],
            member_pk=int(form.cleaned_data["member"]),
            reason=form.cleaned_data["reason"],
        )

    return _firm_action(request, code, run, _("回避申请已提交，检查部门将作出决定并告知检查组。"))


@login_required
def pin_reissue(request, visit_pk):
    """补发: the organising department's liaison (or the office) confirms that the firm's old PIN
    stops working; the answer is a fresh letter carrying the new PIN, the only place it exists."""
    from spotcheck.draws.notices import notice_filename
    from spotcheck.draws.selectors import access_visit

    visit = access_visit(request.user, visit_pk)
    if not services.may_reissue_pin(request.user, visit):
        raise PermissionDenied
    if request.method == "POST":
        try:
            letter = services.visit_pin_reissue_letter(actor=request.user, visit=visit)
        except ValidationError as error:
            flash_errors(request, error)
            return redirect("draws:visit_detail", visit_pk=visit.pk)
        response = HttpResponse(letter, content_type="application/pdf")
        filename = quote(notice_filename(visit, "pdf"))
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
        return response
    return render(request, "firms/pin_reissue.html", {"visit": visit})


def _staff_only(user):
    if not (user.is_office or user.can_manage_department_data or user.role == "reviewer"):
        raise PermissionDenied


@login_required
def ratings(request):
    """The office sees every rating; a department sees its aggregate only."""
    _staff_only(request.user)
    context = {"summary": selectors.department_rating_summary(request.user.department)}
    context["minimum"] = selectors.MIN_RATINGS_FOR_AVERAGE
    if request.user.is_office:
        context["ratings"] = selectors.all_ratings()[:200]
    return render(request, "firms/ratings.html", context)


@login_required
def recusal_requests(request):
    if not request.user.can_manage_department_data:
        raise PermissionDenied
    context = {
        "requests": selectors.pending_recusal_requests(request.user),
        "form": DecisionForm(),
    }
    return render(request, "firms/recusal_requests.html", context)


@login_required
@require_POST
def recusal_request_decide(request, request_pk):
    pending = selectors.pending_recusal_requests(request.user)
    if not request.user.can_manage_department_data:
        raise Http404
    firm_request = get_object_or_404(pending, pk=request_pk)
    form = DecisionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(next(iter(form.errors.values())))
        services.firm_recusal_decide(
            actor=request.user,
            request=firm_request,
            grant=form.cleaned_data["decision"] == "grant",
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("已作出决定"))
    except ValidationError as error:
        flash_errors(request, error)
    return redirect("firms:recusal_requests")


@login_required
def unscanned(request):
    """Warnings: checks done on site whose code was never shown (亮码) before completion."""
    _staff_only(request.user)
    fields = selectors.unscanned_checked_visits(request.user)[:500]
    return render(request, "firms/unscanned.html", {"fields": fields})


def firm_page(request, code):
    """The firm's own page, reached through any of its codes: its checks and published records."""
    visit, refusal = _visit_or_refuse(request, code)
    if refusal:
        return refusal
    context = {
        "visit": visit,
        "code": format_access_code(visit.access_code),
        "visits": [
            {"visit": v, "state": selectors.visit_state(v)}
            for v in selectors.firm_visits(visit.entity_id)
        ],
        "records": selectors.firm_records(visit.entity_id),
        "repair_form": CreditRepairForm(),
    }
    return render(request, "firms/firm.html", context)


@require_POST
def credit_repair_request(request, code):
    form = CreditRepairForm(request.POST)

    def run(visit):
        if not form.is_valid():
            raise ValidationError(next(iter(form.errors.values())))
        services.credit_repair_request(
            visit=visit,
            pin=form.cleaned_data["pin"],
            record_pk=form.cleaned_data["record"],
            correction=form.cleaned_data["correction"],
        )

    visit, refusal = _visit_or_refuse(request, code)
    if refusal:
        return refusal
    try:
        run(visit)
        messages.success(request, _("信用修复申请已提交，由作出公示的部门决定。"))
    except ValidationError as error:
        flash_errors(request, error)
    return redirect("firms:firm", code=format_access_code(visit.access_code))


@login_required
def credit_repairs(request):
    if not request.user.can_manage_department_data:
        raise PermissionDenied
    context = {"repairs": selectors.pending_credit_repairs(request.user), "form": DecisionForm()}
    return render(request, "firms/credit_repairs.html", context)


@login_required
@require_POST
def credit_repair_decide(request, repair_pk):
    if not request.user.can_manage_department_data:
        raise Http404
    repair = get_object_or_404(selectors.pending_credit_repairs(request.user), pk=repair_pk)
    form = DecisionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(next(iter(form.errors.values())))
        services.credit_repair_decide(
            actor=request.user,
            repair=repair,
            grant=form.cleaned_data["decision"] == "grant",
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("已作出决定"))
    except ValidationError as error:
        flash_errors(request, error)
    return redirect("firms:credit_repairs")


def account_register(request):
    """A firm signs up with a code and the PIN of one of its notices; the account is bound to
    the visit's entity and signed in."""
    form = FirmRegisterForm(
        request.POST if request.method == "POST" else None,
        initial={"code": request.GET.get("code", "")[:40]},
    )
    ip = client_ip(request)
    if request.method == "POST" and form.is_valid():
        try:
            if limits.lookups_exhausted(ip):
                raise ValidationError(_("查询过于频繁，请一小时后再试。"))
            account = services.firm_account_register(
                code=form.cleaned_data["code"],
                pin=form.cleaned_data["pin"],
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
        except ValidationError as error:
            if getattr(error, "code", None) == FirmSideErrorCode.UNKNOWN_CODE:
                limits.lookup_failed(ip)
            for message in error.messages:
                form.add_error(None, message)
        else:
            login(request, account.user, backend="spotcheck.accounts.backends.RoleUserBackend")
            messages.success(request, _("企业账号已开通，今后可直接登录查看本企业的检查。"))
            return redirect("firms:account")
    status = 400 if form.errors else 200
    return render(request, "firms/account_register.html", {"form": form}, status=status)


def _account_or_refuse(request):
    account = selectors.firm_account_of(request.user)
    if account is None:
        raise PermissionDenied  # staff have their own pages; a firm's page is for its account
    return account


@login_required
def account(request):
    """The signed-in firm's own page: its checks, ratings, recusal requests, published records
    and credit repair, without a code."""
    account = _account_or_refuse(request)
    context = {
        "account": account,
        "entity": account.entity,
        "visits": [_with_forms(row) for row in selectors.firm_account_visits(account.entity_id)],
        "records": selectors.firm_records(account.entity_id),
        "repair_form": AccountCreditRepairForm(),
    }
    return render(request, "firms/account.html", context)


def _with_forms(row: dict) -> dict:
    """The visit's rating and recusal forms, their element ids unique on the page."""
    auto_id = f"id_{row['visit'].pk}_%s"
    return {
        **row,
        "rating_form": AccountRatingForm(auto_id=auto_id),
        "recusal_form": AccountRecusalRequestForm(team=row["team"], auto_id=auto_id),
    }


def _account_visit_action(request, visit_pk, run, success: str):
    """A rating or recusal request from the signed-in firm about one of its own visits."""
    account = _account_or_refuse(request)
    visit = get_object_or_404(selectors.firm_visits(account.entity_id), pk=visit_pk)
    try:
        run(account, visit)
        messages.success(request, success)
    except ValidationError as error:
        flash_errors(request, error)
    return redirect("firms:account")


@login_required
@require_POST
def account_rate(request, visit_pk):
    form = AccountRatingForm(request.POST)

    def run(account, visit):
        if not form.is_valid():
            raise ValidationError(next(iter(form.errors.values())))
        services.firm_account_visit_rate(account=account, visit=visit, **form.cleaned_data)

    return _account_visit_action(request, visit_pk, run, _("感谢评价，您的评价已提交。"))


@login_required
@require_POST
def account_recusal(request, visit_pk):
    def run(account, visit):
        form = AccountRecusalRequestForm(request.POST, team=selectors.public_team(visit))
        if not form.is_valid():
            raise ValidationError(next(iter(form.errors.values())))
        services.firm_account_recusal_request(
            account=account,
            visit=visit,
            member_pk=int(form.cleaned_data["member"]),
            reason=form.cleaned_data["reason"],
        )

    return _account_visit_action(
        request, visit_pk, run, _("回避申请已提交，检查部门将作出决定并告知检查组。")
    )


@login_required
@require_POST
def account_credit_repair(request):
    account = _account_or_refuse(request)
    form = AccountCreditRepairForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(next(iter(form.errors.values())))
        services.firm_account_credit_repair_request(
            account=account,
            record_pk=form.cleaned_data["record"],
            correction=form.cleaned_data["correction"],
        )
        messages.success(request, _("信用修复申请已提交，由作出公示的部门决定。"))
    except ValidationError as error:
        flash_errors(request, error)
    return redirect("firms:account")
