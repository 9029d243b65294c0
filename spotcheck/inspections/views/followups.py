"""Follow-ups, abnormal-list proposals, leads, the entity's integrity file and the overdue list.

Thin views: every read goes through a user-scoped selector (the same 404 for missing and another
department's rows), every write through a service. The forms live here, beside their views."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from spotcheck.accounts.models import Department
from spotcheck.common.feedback import flash_errors
from spotcheck.common.pagination import paginate
from spotcheck.common.widgets import date_input, datetime_input
from spotcheck.directory.selectors import entity_list
from spotcheck.items.models import CheckItemVersion
from spotcheck.plans.models import DesignMode
from spotcheck.plans.selectors import current_item_versions

from .. import leads as lead_services
from .. import selectors, services
from ..followups import (
    MAX_DOCUMENT_BYTES,
    abnormal_listing_remove,
    abnormal_proposal_decide,
    follow_up_close,
    follow_up_document_add,
    follow_up_set_kind,
    may_decide_abnormal,
    may_handle_follow_up,
)
from ..models import AbnormalProposalStatus, FollowUpKind, LeadSource, LeadStatus
from ..overdue import overdue_visit_list

# ---------------------------------------------------------------- forms


class FollowUpKindForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("处置方式"),
        choices=[c for c in FollowUpKind.choices if c[0] != FollowUpKind.UNDECIDED],
    )
    deadline = forms.DateField(
        label=gettext_lazy("整改期限（责令整改时填写）"), required=False, widget=date_input()
    )
    transferred_to = forms.ModelChoiceField(
        label=gettext_lazy("移送部门（移送其他部门时选择）"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("请选择"),
    )
    description = forms.CharField(
        label=gettext_lazy("处置说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, follow_up, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["transferred_to"].queryset = Department.objects.filter(is_active=True).exclude(
            pk=follow_up.department_id
        )


class DocumentForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("文书名称"), max_length=200)
    file = forms.FileField(
        label=gettext_lazy("文件（PDF、JPEG 或 PNG，不超过 %(mb)s MB）")
        % {"mb": MAX_DOCUMENT_BYTES // (1024 * 1024)},
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class CloseForm(forms.Form):
    # Not required here: the service gives the one message for a missing result.
    closing_result = forms.CharField(
        label=gettext_lazy("办结结果"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AbnormalDecisionForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=gettext_lazy("决定"),
        choices=[("1", gettext_lazy("列入经营异常名录")), ("0", gettext_lazy("不予列入"))],
        coerce=lambda value: value == "1",
    )
    reason = forms.CharField(label=gettext_lazy("理由（不予列入时必填）"), required=False)


class LeadForm(forms.Form):
    entity_key = forms.CharField(label=gettext_lazy("统一社会信用代码或注册号"), max_length=18)
    source = forms.ChoiceField(label=gettext_lazy("线索来源"), choices=LeadSource.choices)
    description = forms.CharField(
        label=gettext_lazy("线索内容"), widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_entity_key(self):
        key = self.cleaned_data["entity_key"].strip().upper()
        entity = entity_list(user=self.user).filter(key=key).first()
        if entity is None:
            raise forms.ValidationError(_("本部门监管的检查对象中没有该主体"), code="not_found")
        self.cleaned_data["entity"] = entity
        return key


def _item_versions(user, department_id: int | None):
    if department_id is not None:
        return current_item_versions(department_id)
    # The office may group any department's leads; the task rules refuse a mismatched item.
    return CheckItemVersion.objects.filter(
        item__is_active=True, item__current_version=F("pk")
    ).select_related("item")


class LeadActForm(forms.Form):
    items = forms.ModelMultipleChoiceField(
        label=gettext_lazy("抽查事项"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    planned_start = forms.DateField(label=gettext_lazy("计划开始日期"), widget=date_input())
    planned_end = forms.DateField(label=gettext_lazy("计划结束日期"), widget=date_input())
    randomness_source = forms.CharField(
        label=gettext_lazy("公开随机数来源（事先公布）"), max_length=300
    )
    randomness_due = forms.DateTimeField(
        label=gettext_lazy("随机数产生时间"), widget=datetime_input()
    )

    def __init__(self, *args, department_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = current_item_versions(department_id)


class ItemVersionChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.item.code} {obj.name}"


class LeadGroupForm(forms.Form):
    leads = forms.ModelMultipleChoiceField(
        label=gettext_lazy("合并的线索"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    name = forms.CharField(label=gettext_lazy("专项抽查任务名称"), max_length=200)
    # Hundreds of items for the office: a compact list in code order, not a wall of boxes.
    items = ItemVersionChoice(
        label=gettext_lazy("抽查事项（按住 Ctrl 或 ⌘ 可多选）"),
        queryset=None,
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("抽取方式"),
        choices=[
            (DesignMode.COUNT, DesignMode.COUNT.label),
            (DesignMode.RATIO, DesignMode.RATIO.label),
        ],
    )
    value = forms.CharField(
        label=gettext_lazy("抽取数量或比例（如 3 或 0.5；定向抽查不低于 10%）"), max_length=20
    )
    planned_start = forms.DateField(label=gettext_lazy("计划开始日期"), widget=date_input())
    planned_end = forms.DateField(label=gettext_lazy("计划结束日期"), widget=date_input())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leads"].queryset = selectors.lead_list(user=user, status=LeadStatus.REGISTERED)
        department_id = None if user.is_office else user.department_id
        self.fields["items"].queryset = _item_versions(user, department_id).order_by("item__code")

    @property
    def has_enough_leads(self) -> bool:
        """Grouping takes at least two registered leads."""
        return self.fields["leads"].queryset.count() >= 2


# ---------------------------------------------------------------- helpers


def _state(request, allowed: tuple[str, ...], default: str) -> str:
    value = request.GET.get("state", default)
    return value if value in allowed else default


# ---------------------------------------------------------------- follow-ups


@login_required
def follow_up_list(request):
    state = _state(request, ("open", "closed", "all"), "open")
    follow_ups = selectors.follow_up_list(
        user=request.user, state=None if state == "all" else state
    )
    context = {"page": paginate(request, follow_ups), "state": state}
    return render(request, "inspections/followups/follow_up_list.html", context)


def _follow_up_page(request, follow_up, **forms_given):
    may_handle = may_handle_follow_up(request.user, follow_up) and follow_up.is_open
    context = {
        "follow_up": follow_up,
        "result": follow_up.result,
        "effective": services.effective_record(follow_up.result),
        "documents": selectors.follow_up_documents(follow_up),
        "may_handle": may_handle,
        "kind_form": forms_given.get("kind_form")
        or FollowUpKindForm(
            follow_up=follow_up,
            initial={
                "kind": follow_up.kind,
                "deadline": follow_up.deadline,
                "transferred_to": follow_up.transferred_to_id,
                "description": follow_up.description,
            },
        ),
        "document_form": forms_given.get("document_form") or DocumentForm(),
        "close_form": forms_given.get("close_form") or CloseForm(),
    }
    status = 400 if forms_given else 200
    return render(request, "inspections/followups/follow_up_detail.html", context, status=status)


@login_required
def follow_up_detail(request, follow_up_pk):
    return _follow_up_page(request, selectors.access_follow_up(request.user, follow_up_pk))


@login_required
@require_POST
def follow_up_set_kind_view(request, follow_up_pk):
    follow_up = selectors.access_follow_up(request.user, follow_up_pk)
    form = FollowUpKindForm(request.POST, follow_up=follow_up)
    if form.is_valid():
        try:
            follow_up_set_kind(actor=request.user, follow_up=follow_up, **form.cleaned_data)
            messages.success(request, _("处置方式已保存"))
            return redirect("inspections:follow_up_detail", follow_up_pk=follow_up.pk)
        except ValidationError as error:
            form.add_error(None, error)
    return _follow_up_page(request, follow_up, kind_form=form)


@login_required
@require_POST
def follow_up_document_add_view(request, follow_up_pk):
    follow_up = selectors.access_follow_up(request.user, follow_up_pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            follow_up_document_add(
                actor=request.user,
                follow_up=follow_up,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
            )
            messages.success(request, _("文书已上传"))
            return redirect("inspections:follow_up_detail", follow_up_pk=follow_up.pk)
        except ValidationError as error:
            form.add_error("file", error)
    return _follow_up_page(request, follow_up, document_form=form)


@login_required
def follow_up_document_download(request, follow_up_pk, document_pk):
    document = selectors.access_follow_up_document(request.user, follow_up_pk, document_pk)
    extension = document.file.name.rsplit(".", 1)[-1]
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"{document.title}.{extension}",
        content_type=document.content_type,
    )


@login_required
@require_POST
def follow_up_close_view(request, follow_up_pk):
    follow_up = selectors.access_follow_up(request.user, follow_up_pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            follow_up_close(
                actor=request.user,
                follow_up=follow_up,
                closing_result=form.cleaned_data["closing_result"],
            )
            messages.success(request, _("后续处置已办结"))
            return redirect("inspections:follow_up_detail", follow_up_pk=follow_up.pk)
        except ValidationError as error:
            form.add_error("closing_result", error)
    return _follow_up_page(request, follow_up, close_form=form)


# ---------------------------------------------------------------- abnormal-list proposals


@login_required
def abnormal_proposal_list(request):
    choices = (*AbnormalProposalStatus.values, "all")
    state = _state(request, choices, AbnormalProposalStatus.PROPOSED)
    proposals = selectors.abnormal_proposal_list(
        user=request.user, status=None if state == "all" else state
    )
    context = {
        "page": paginate(request, proposals),
        "state": state,
        "states": AbnormalProposalStatus.choices,
        "may_decide": may_decide_abnormal(request.user),
    }
    return render(request, "inspections/followups/abnormal_list.html", context)


@login_required
@require_POST
def abnormal_proposal_decide_view(request, proposal_pk):
    proposal = selectors.access_abnormal_proposal(request.user, proposal_pk)
    form = AbnormalDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择列入或不予列入"))
    else:
        try:
            abnormal_proposal_decide(actor=request.user, proposal=proposal, **form.cleaned_data)
            messages.success(request, _("已作出决定：%(e)s") % {"e": proposal.entity.name})
        except ValidationError as error:
            flash_errors(request, error)
    return redirect("inspections:abnormal_proposal_list")


@login_required
@require_POST
def abnormal_listing_remove_view(request, proposal_pk):
    """移出, from the entity's file where the listing shows with its date and ground."""
    proposal = selectors.access_abnormal_proposal(request.user, proposal_pk)
    try:
        abnormal_listing_remove(
            actor=request.user, proposal=proposal, reason=request.POST.get("reason", "")
        )
        messages.success(request, _("已移出经营异常名录：%(e)s") % {"e": proposal.entity.name})
    except ValidationError as error:
        flash_errors(request, error)
    return redirect("inspections:entity_file", key=proposal.entity.key)


# ---------------------------------------------------------------- leads


@login_required
def lead_list(request):
    choices = (*LeadStatus.values, "all")
    state = _state(request, choices, LeadStatus.REGISTERED)
    leads = selectors.lead_list(user=request.user, status=None if state == "all" else state)
    context = {
        "page": paginate(request, leads),
        "state": state,
        "states": LeadStatus.choices,
        "group_form": LeadGroupForm(user=request.user),
        "may_direct": lead_services.may_direct_check(request.user, request.user.department_id),
    }
    return render(request, "inspections/followups/lead_list.html", context)


@login_required
def lead_create(request):
    form = LeadForm(
        request.POST or None, user=request.user, initial={"entity_key": request.GET.get("entity")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            lead = lead_services.lead_register(
                actor=request.user,
                entity=form.cleaned_data["entity"],
                source=form.cleaned_data["source"],
                description=form.cleaned_data["description"],
            )
            messages.success(request, _("线索已登记：%(n)s") % {"n": lead.number})
            return redirect("inspections:lead_detail", lead_pk=lead.pk)
        except ValidationError as error:
            form.add_error(None, error)
    return render(request, "inspections/followups/lead_form.html", {"form": form})


def _lead_page(request, lead, act_form=None):
    context = {
        "lead": lead,
        "may_act": lead.status == LeadStatus.REGISTERED
        and lead_services.may_direct_check(request.user, lead.department_id),
        "act_form": act_form or LeadActForm(department_id=lead.department_id),
    }
    status = 400 if act_form is not None else 200
    return render(request, "inspections/followups/lead_detail.html", context, status=status)


@login_required
def lead_detail(request, lead_pk):
    return _lead_page(request, selectors.access_lead(request.user, lead_pk))


@login_required
@require_POST
def lead_act(request, lead_pk):
    lead = selectors.access_lead(request.user, lead_pk)
    form = LeadActForm(request.POST, department_id=lead.department_id)
    if form.is_valid():
        try:
            _task, batch = lead_services.lead_act(
                actor=request.user, lead=lead, **form.cleaned_data
            )
            messages.success(
                request, _("已生成定向核查任务和抽取批次，请公布承诺后抽取执法检查人员")
            )
            return redirect("draws:batch_detail", batch_id=batch.pk)
        except ValidationError as error:
            form.add_error(None, error)
    return _lead_page(request, lead, act_form=form)


@login_required
@require_POST
def lead_group(request):
    form = LeadGroupForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            task = lead_services.lead_group(actor=request.user, **form.cleaned_data)
            messages.success(request, _("已合并为专项抽查任务：%(n)s") % {"n": task.number})
            return redirect("plans:task_detail", task_id=task.pk)
        except ValidationError as error:
            form.add_error(None, error)
    leads = selectors.lead_list(user=request.user, status=LeadStatus.REGISTERED)
    context = {
        "page": paginate(request, leads),
        "state": LeadStatus.REGISTERED,
        "states": LeadStatus.choices,
        "group_form": form,
        "may_direct": lead_services.may_direct_check(request.user, request.user.department_id),
    }
    return render(request, "inspections/followups/lead_list.html", context, status=400)


# ---------------------------------------------------------------- integrity file, overdue


@login_required
def entity_file(request, key):
    entity = selectors.access_entity_for_file(request.user, key)
    record = selectors.entity_file(user=request.user, entity=entity)
    context = {"file": record, "may_remove_listing": may_decide_abnormal(request.user)}
    return render(request, "inspections/followups/entity_file.html", context)


@login_required
def overdue_list(request):
    rows = overdue_visit_list(user=request.user)
    return render(request, "inspections/followups/overdue_list.html", {"rows": rows})
