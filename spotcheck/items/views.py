from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from spotcheck.accounts.models import Department
from spotcheck.common.exports import EXPORT_FORMATS, export_response, record_export
from spotcheck.common.pagination import paginate, query_without_page

from . import selectors, services
from .forms import ItemVersionForm
from .models import ItemKind

EXPORT_HEADERS = [
    "部门",
    "事项编号",
    "抽查类别",
    "抽查事项",
    "检查对象",
    "抽查依据",
    "检查主体",
    "抽查内容",
    "检查方式",
    "事项类型",
    "抽查比例上限",
    "抽查频次",
    "抽查层级",
    "版本",
]


def _export_rows(items):
    for item in items:
        v = item.current_version
        yield [
            item.department.name,
            item.code,
            v.category,
            v.name,
            v.inspection_object,
            v.legal_basis,
            v.inspecting_body,
            v.content,
            "、".join(v.methods),
            v.get_kind_display(),
            str(v.ratio_cap or ""),
            v.frequency,
            v.level,
            v.number,
        ]


@login_required
def item_list(request):
    if not request.user.has_perm("items.view"):
        raise PermissionDenied
    items = selectors.item_list(user=request.user, filters=request.GET)
    fmt = request.GET.get("export")
    if fmt in EXPORT_FORMATS:
        record_export(request.user, "items")
        headers = [_(h) for h in EXPORT_HEADERS]
        return export_response(headers=headers, rows=_export_rows(items), filename="items", fmt=fmt)
    context = {
        "page": paginate(request, items),
        "query": query_without_page(request),
        "kinds": ItemKind.choices,
        "departments": Department.objects.filter(is_active=True),
        "joint_items": selectors.joint_item_list(user=request.user)[:50],
    }
    return render(request, "items/item_list.html", context)


@login_required
def item_detail(request, item_id):
    item = selectors.access_item_by_id(request.user, item_id)
    versions = item.versions.select_related("created_by")
    return render(request, "items/item_detail.html", {"item": item, "versions": versions})


@login_required
def item_edit(request, item_id=None):
    if not request.user.has_perm("items.manage"):
        raise PermissionDenied
    item = selectors.access_item_by_id(request.user, item_id) if item_id else None
    if item is None and request.user.department is None:
        raise PermissionDenied
    form = ItemVersionForm(
        request.POST or None,
        instance=None,
        editing=item is not None,
        initial=_initial(item),
    )
    if request.method == "POST" and form.is_valid():
        if item is None:
            item = services.item_create(
                actor=request.user,
                department=request.user.department,
                code=form.cleaned_data["code"],
                values=form.version_values(),
            )
        else:
            item = services.item_revise(actor=request.user, item=item, values=form.version_values())
        return redirect("items:item_detail", item_id=item.pk)
    return render(request, "items/item_form.html", {"form": form, "item": item})


def _initial(item) -> dict:
    if item is None:
        return {}
    return {name: getattr(item.current_version, name) for name in services.VERSION_FIELDS}
