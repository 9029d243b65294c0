"""Inspectors (执法检查人员) and their conflict declarations: internal, scoped like the pages
(a department sees its own; the office all). Conflicts are never public."""

from datetime import date, datetime

from ninja import Query, Router, Schema

from spotcheck.directory import selectors

from .auditing import audited_list
from .pagination import CursorIn, keyset_page
from .schemas import ERRORS, cursor_page
from .types import Id, Text

router = Router()


class InspectorOut(Schema):
    id: int
    name: str
    department: str
    certificate_number: str
    certificate_expiry: date
    expertise: list[str]
    region_code: str
    status: str
    capacity_per_batch: int


class ConflictOut(Schema):
    entity_key: str
    entity_name: str
    reason: str
    declared_at: datetime


class InspectorFilters(Schema):
    q: Text(50) = ""
    status: Text(8) = ""
    department: Text(32) = ""


def _inspector_out(inspector) -> dict:
    return {
        "id": inspector.pk,
        "name": inspector.name,
        "department": inspector.department.code,
        "certificate_number": inspector.certificate_number,
        "certificate_expiry": inspector.certificate_expiry,
        "expertise": list(inspector.expertise),
        "region_code": inspector.region_code,
        "status": inspector.status,
        "capacity_per_batch": inspector.capacity_per_batch,
    }


@router.get("", response={200: cursor_page(InspectorOut), **ERRORS})
@audited_list("inspectors")
def list_inspectors(request, filters: Query[InspectorFilters], page: Query[CursorIn]):
    queryset = selectors.inspector_list(user=request.user, filters=filters.dict())
    return keyset_page(queryset, page, _inspector_out)


@router.get("/{inspector_id}", response={200: InspectorOut, **ERRORS})
def get_inspector(request, inspector_id: Id):
    return _inspector_out(selectors.access_inspector_by_id(request.user, inspector_id))


@router.get("/{inspector_id}/conflicts", response={200: list[ConflictOut], **ERRORS})
@audited_list("inspector_conflicts")
def list_conflicts(request, inspector_id: Id):
    """The inspector's declared conflicts (回避): the draw never sends them to these entities."""
    inspector = selectors.access_inspector_by_id(request.user, inspector_id)
    return [
        {
            "entity_key": c.entity.key,
            "entity_name": c.entity.name,
            "reason": c.reason,
            "declared_at": c.declared_at,
        }
        for c in selectors.conflict_list_for_inspector(inspector)
    ]
