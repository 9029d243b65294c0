"""Writes to check-item lists. An item's wording is never edited in place: it gets a version."""

from django.db import transaction

from spotcheck.accounts.models import Department
from spotcheck.accounts.scoping import require_department_access
from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.services import audit_event_record

from .models import CheckItem, CheckItemVersion, ItemKind

VERSION_FIELDS = (
    "category",
    "name",
    "inspection_object",
    "legal_basis",
    "inspecting_body",
    "content",
    "methods",
    "kind",
    "ratio_cap",
    "frequency",
    "level",
    "expertise",
)


def _clean(values: dict) -> dict:
    values = {name: values.get(name) for name in VERSION_FIELDS}
    if values["kind"] == ItemKind.KEY:
        values["ratio_cap"] = None  # key items have no cap by rule
    for name in VERSION_FIELDS:
        if values[name] is None and name not in ("ratio_cap",):
            values[name] = [] if name == "methods" else ""
    return values


def version_differs(version: CheckItemVersion | None, values: dict) -> bool:
    if version is None:
        return True
    return any(getattr(version, name) != values[name] for name in VERSION_FIELDS)


@transaction.atomic
def item_create(*, actor, department: Department, code: str, values: dict) -> CheckItem:
    require_department_access(actor, department.pk)
    item = CheckItem.objects.create(department=department, code=code)
    _add_version(item=item, actor=actor, values=_clean(values))
    audit_event_record(
        event_type=AuditEventType.ITEM_CREATED,
        actor=actor,
        department=department,
        target=item,
        extra={"code": code, "name": item.current_version.name},
    )
    return item


@transaction.atomic
def item_revise(*, actor, item: CheckItem, values: dict) -> CheckItem:
    """Make a new version when the wording changed; an unchanged form writes nothing."""
    require_department_access(actor, item.department_id)
    item = CheckItem.objects.select_for_update().get(pk=item.pk)
    values = _clean(values)
    if not version_differs(item.current_version, values):
        return item
    previous = item.current_version
    _add_version(item=item, actor=actor, values=values)
    audit_event_record(
        event_type=AuditEventType.ITEM_REVISED,
        actor=actor,
        department=item.department,
        target=item,
        extra={
            "from_version": previous.number if previous else None,
            "to_version": item.current_version.number,
        },
    )
    return item


def _add_version(*, item: CheckItem, actor, values: dict) -> CheckItemVersion:
    number = (item.current_version.number + 1) if item.current_version else 1
    version = CheckItemVersion.objects.create(
        item=item, number=number, created_by=actor if actor else None, **values
    )
    item.current_version = version
    item.save(update_fields=["current_version"])
    return version
