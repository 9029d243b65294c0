"""Thin views over the directory selectors and services."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from spotcheck.accounts.models import Department
from spotcheck.common.export_jobs import list_export_response
from spotcheck.common.exports import EXPORT_FORMATS
from spotcheck.common.pagination import (
    CappedPaginator,
    paginate,
    query_without_page,
)

from . import selectors, services
from .errors import RegistrationOwnedError
from .exports import ENTITY_EXPORT, INSPECTOR_EXPORT
from .forms import ConflictForm, DepartmentRecordForm, EntityForm, InspectorForm
from .models import CreditClass, EntityStatus, EntityType, InspectorStatus
from .ownership import owns_shared_record, require_shared_record_owner


def _require(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


@login_required
def entity_list(request):
    _require(request.user, "directory.view")
    entities = selectors.entity_list(user=request.user, filters=request.GET)
    fmt = request.GET.get("export")
    if fmt in EXPORT_FORMATS:
        return list_export_response(request, ENTITY_EXPORT, entities, fmt)
    searched = bool((request.GET.get("q") or "").strip())
    paginator_class = SearchPaginator if searched else CappedPaginator
    context = {
        "page": paginate(request, entities, paginator_class=paginator_class),
        "query": query_without_page(request),
        "entity_types": EntityType.choices,
        "statuses": EntityStatus.choices,
        "credit_classes": CreditClass.choices,
        "departments": Department.objects.filter(is_active=True),
        "hide_export": not request.user.has_perm("directory.export"),
    }
    return render(request, "directory/entity_list.html", context)


# A name fragment matches entities spread over the whole table, and PostgreSQL rechecks each
# trigram match in its row: counting every match of a common word (宏远, 食品) reads tens of
# thousands of pages, while the first page needs a few hundred. "More than 200" says refine.
SEARCH_COUNT_CAP = 200


class SearchPaginator(CappedPaginator):
    @property
    def cap(self) -> int:
        return SEARCH_COUNT_CAP


@login_required
def entity_detail(request, key):
    entity = selectors.access_entity_by_key(request.user, key)
    history = entity.history.select_related("history_user").order_by("-history_date")[:50]
    context = {
        "entity": entity,
        "history": history,
        "departments": entity.departments.all(),
        "department_records": selectors.department_record_list(user=request.user, entity=entity),
        "owns_shared_record": owns_shared_record(request.user),
    }
    return render(request, "directory/entity_detail.html", context)


@login_required
def entity_edit(request, key=None):
    _require(request.user, "directory.manage")
    entity = selectors.access_entity_by_key(request.user, key) if key else None
    try:
        require_shared_record_owner(request.user)
    except RegistrationOwnedError as refusal:
        context = {"entity": entity, "refusal": str(refusal)}
        return render(request, "directory/entity_form.html", context, status=403)
    if entity is None and not request.user.is_office:
        raise PermissionDenied  # the shared directory grows through the office
    form = EntityForm(request.POST or None, instance=entity, user=request.user)
    if request.method == "POST" and form.is_valid():
        departments = form.cleaned_data.get("departments")
        try:
            if entity is None:
                entity = services.entity_create(
                    actor=request.user,
                    values=form.directory_values(),
                    departments=departments or (),
                )
            else:
                services.entity_update(
                    actor=request.user,
                    entity=entity,
                    values=form.directory_values(),
                    departments=departments,
                    reason=form.cleaned_data["reason"],
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("directory:entity_detail", key=entity.key)
    return render(request, "directory/entity_form.html", {"form": form, "entity": entity})


@login_required
def entity_record_edit(request, key):
    """The user's department's own tags and notes about an entity it supervises."""
    _require(request.user, "directory.manage")
    entity = selectors.access_entity_by_key(request.user, key)
    department = request.user.department
    if department is None or not entity.departments.filter(pk=department.pk).exists():
        raise PermissionDenied
    record = selectors.department_record(entity=entity, department=department)
    initial = {"tags": record.tags, "notes": record.notes} if record else None
    form = DepartmentRecordForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.entity_department_record_save(
            actor=request.user,
            entity=entity,
            department=department,
            tags=form.cleaned_data["tags"],
            notes=form.cleaned_data["notes"],
        )
        return redirect("directory:entity_detail", key=entity.key)
    context = {"form": form, "entity": entity, "department": department}
    return render(request, "directory/entity_record_form.html", context)


@login_required
def inspector_list(request):
    _require(request.user, "directory.view")
    inspectors = selectors.inspector_list(user=request.user, filters=request.GET)
    fmt = request.GET.get("export")
    if fmt in EXPORT_FORMATS:
        return list_export_response(request, INSPECTOR_EXPORT, inspectors, fmt)
    context = {
        "page": paginate(request, inspectors),
        "query": query_without_page(request),
        "statuses": InspectorStatus.choices,
        "departments": Department.objects.filter(is_active=True),
        "hide_export": not request.user.has_perm("directory.export"),
    }
    return render(request, "directory/inspector_list.html", context)


@login_required
def inspector_detail(request, inspector_id):
    inspector = selectors.access_inspector_by_id(request.user, inspector_id)
    form = ConflictForm(request.POST or None, user=request.user)
    if request.method == "POST":
        _require(request.user, "directory.manage")
        if form.is_valid():
            services.conflict_declare(
                actor=request.user,
                inspector=inspector,
                entity=form.entity,
                reason=form.cleaned_data["reason"],
            )
            return redirect("directory:inspector_detail", inspector_id=inspector.pk)
    context = {
        "inspector": inspector,
        "conflicts": selectors.conflict_list_for_inspector(inspector),
        "history": inspector.history.order_by("-history_date")[:50],
        "form": form,
    }
    return render(request, "directory/inspector_detail.html", context)


@login_required
def inspector_edit(request, inspector_id=None):
    _require(request.user, "directory.manage")
    inspector = (
        selectors.access_inspector_by_id(request.user, inspector_id) if inspector_id else None
    )
    form = InspectorForm(request.POST or None, instance=inspector)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        if inspector is None:
            department = request.user.department
            if department is None:
                raise PermissionDenied
            inspector = services.inspector_create(
                actor=request.user, department=department, values=values
            )
        else:
            services.inspector_update(actor=request.user, inspector=inspector, values=values)
        return redirect("directory:inspector_detail", inspector_id=inspector.pk)
    return render(request, "directory/inspector_form.html", {"form": form, "inspector": inspector})
