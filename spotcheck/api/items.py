"""Check items (抽查事项清单) and joint items, as the departments' own lists show them."""

from decimal import Decimal

from ninja import Query, Router, Schema

from spotcheck.items import selectors

from .auditing import audited_list
from .pagination import CursorIn, keyset_page
from .schemas import ERRORS, cursor_page
from .types import Id, Text

router = Router()


class ItemOut(Schema):
    id: int
    code: str
    department: str
    version: int
    version_id: int  # what a task's item_version_ids names
    category: str
    name: str
    inspection_object: str
    legal_basis: str
    inspecting_body: str
    content: str
    methods: list[str]
    kind: str
    ratio_cap: Decimal | None
    frequency: str
    level: str
    expertise: str


class JointItemOut(Schema):
    id: int
    code: str
    name: str
    inspection_object: str
    lead_department: str
    departments: list[str]
    item_ids: list[int]


class ItemFilters(Schema):
    q: Text(200) = ""
    kind: Text(8) = ""
    department: Text(32) = ""


def _item_out(item) -> dict:
    version = item.current_version
    return {
        "id": item.pk,
        "code": item.code,
        "department": item.department.code,
        "version": version.number,
        "version_id": version.pk,
        "category": version.category,
        "name": version.name,
        "inspection_object": version.inspection_object,
        "legal_basis": version.legal_basis,
        "inspecting_body": version.inspecting_body,
        "content": version.content,
        "methods": list(version.methods),
        "kind": version.kind,
        "ratio_cap": version.ratio_cap,
        "frequency": version.frequency,
        "level": version.level,
        "expertise": version.expertise,
    }


@router.get("/items", response={200: cursor_page(ItemOut), **ERRORS})
@audited_list("items")
def list_items(request, filters: Query[ItemFilters], page: Query[CursorIn]):
    """The current items of the caller's department (all for the office)."""
    queryset = selectors.item_list(user=request.user, filters=filters.dict()).select_related(
        "department", "current_version"
    )
    return keyset_page(queryset, page, _item_out)


@router.get("/items/{item_id}", response={200: ItemOut, **ERRORS})
def get_item(request, item_id: Id):
    return _item_out(selectors.access_item_by_id(request.user, item_id))


@router.get("/joint-items", response={200: cursor_page(JointItemOut), **ERRORS})
@audited_list("joint_items")
def list_joint_items(request, page: Query[CursorIn]):
    """Joint items the caller's department takes part in (all for the office)."""
    joint_items = selectors.joint_item_list(user=request.user).select_related("lead_department")
    return keyset_page(joint_items, page, _joint_item_out)


def _joint_item_out(joint_item) -> dict:
    return {
        "id": joint_item.pk,
        "code": joint_item.code,
        "name": joint_item.name,
        "inspection_object": joint_item.inspection_object,
        "lead_department": joint_item.lead_department.code,
        "departments": sorted(d.code for d in joint_item.departments.all()),
        "item_ids": sorted(joint_item.items.values_list("pk", flat=True)),
    }
