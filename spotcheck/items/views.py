from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from spotcheck.accounts.models import Department
from spotcheck.common.export_jobs import list_export_response
from spotcheck.common.exports import EXPORT_FORMATS
from spotcheck.common.pagination import paginate, query_without_page

from . import selectors, services
from .exports import ITEM_EXPORT
from .forms import ItemVersionForm
from .models import ItemKind


@login_required
def item_list(request):
    if not request.user.has_perm("items.view"):
        raise PermissionDenied
    items = selectors.item_list(user=request.user, filters=request.GET)
    fmt = request.GET.get("export")
    if fmt in EXPORT_FORMATS:
        return list_export_response(request, ITEM_EXPORT, items, fmt)
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
