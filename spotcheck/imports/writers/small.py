"""Inspectors and check items: hundreds of rows, written through the domain services."""

from spotcheck.accounts.models import Department
from spotcheck.directory.models import Inspector
from spotcheck.directory.services import inspector_create, inspector_update
from spotcheck.items.joint_lists import joint_item_save
from spotcheck.items.models import CheckItem
from spotcheck.items.services import item_create, item_revise, version_differs

from ..validators.inspectors import InspectorRow
from ..validators.items import ItemRow
from ..validators.joint_items import JointRow
from .entities import ChunkCounts


def write_inspector_rows(rows: list[InspectorRow], *, actor) -> ChunkCounts:
    counts = ChunkCounts()
    departments = Department.objects.in_bulk({row.department_id for row in rows})
    existing = Inspector.objects.in_bulk(
        [row.certificate_number for row in rows], field_name="certificate_number"
    )
    for row in rows:
        inspector = existing.get(row.certificate_number)
        if inspector is None:
            inspector_create(
                actor=actor,
                department=departments[row.department_id],
                values={"certificate_number": row.certificate_number, **row.values},
            )
            counts.created += 1
        elif inspector.department_id != row.department_id or any(
            getattr(inspector, k) != v for k, v in row.values.items()
        ):
            values = dict(row.values, department=departments[row.department_id])
            inspector_update(actor=actor, inspector=inspector, values=values)
            counts.updated += 1
        else:
            counts.unchanged += 1
    return counts


def write_item_rows(rows: list[ItemRow], *, actor) -> ChunkCounts:
    """An item is the same item when department and code (or, without a code, category and
    name) match; a changed wording becomes a new version."""
    counts = ChunkCounts()
    departments = Department.objects.in_bulk({row.department_id for row in rows})
    for row in rows:
        department = departments[row.department_id]
        item = _find_item(department, row)
        if item is None:
            code = row.code or _next_code(department)
            item_create(actor=actor, department=department, code=code, values=row.values)
            counts.created += 1
        elif version_differs(item.current_version, row.values):
            item_revise(actor=actor, item=item, values=row.values)
            counts.updated += 1
        else:
            counts.unchanged += 1
    return counts


def _find_item(department: Department, row: ItemRow) -> CheckItem | None:
    items = CheckItem.objects.filter(department=department).select_related("current_version")
    if row.code:
        return items.filter(code=row.code).first()
    return items.filter(
        current_version__category=row.values["category"], current_version__name=row.values["name"]
    ).first()


def _next_code(department: Department) -> str:
    count = CheckItem.objects.filter(department=department).count()
    return f"{department.code}-{count + 1:03d}"


def write_joint_item_rows(rows: list[JointRow], *, actor) -> ChunkCounts:
    counts = ChunkCounts()
    for row in rows:
        outcome = joint_item_save(actor=actor, values=row.values)
        if outcome == "created":
            counts.created += 1
        elif outcome == "updated":
            counts.updated += 1
        else:
            counts.unchanged += 1
    return counts
