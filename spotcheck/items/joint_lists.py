"""Writes from the joint-item list (部门联合抽查事项清单): fields with their items and departments."""

from dataclasses import dataclass

from django.db import transaction

from spotcheck.accounts.models import Department
from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.services import audit_event_record

from .models import JointField, JointItem


@dataclass(frozen=True, slots=True)
class JointItemValues:
    field_number: int
    field_name: str
    name: str
    inspection_object: str
    leads: tuple[int, ...]  # department ids, in the list's order
    partners: tuple[int, ...]
    partners_text: str
    any_member_partners: bool


def joint_item_save(*, actor, values: JointItemValues) -> str:
    """Create or update the field and its item (the same item: same field, same name).
    Returns "created", "updated" or "unchanged"; the caller holds the import's transaction."""
    with transaction.atomic():
        field, field_created = JointField.objects.get_or_create(
            name=values.field_name, defaults={"number": values.field_number}
        )
        field_changed = _update_field(field, values) or field_created
        item = JointItem.objects.filter(field=field, name=values.name).first()
        outcome = "unchanged"
        if item is None:
            item = JointItem.objects.create(
                field=field,
                code=_next_code(field),
                name=values.name,
                inspection_object=values.inspection_object,
                lead_department_id=values.leads[0],
            )
            outcome = "created"
        elif (item.inspection_object, item.lead_department_id) != (
            values.inspection_object,
            values.leads[0],
        ) or set(item.lead_departments.values_list("pk", flat=True)) != set(values.leads):
            item.inspection_object = values.inspection_object
            item.lead_department_id = values.leads[0]
            item.save(update_fields=["inspection_object", "lead_department"])
            outcome = "updated"
        item.lead_departments.set(values.leads)
        item.departments.set({*values.leads, *field.partners.values_list("pk", flat=True)})
        if outcome != "unchanged" or field_changed:
            audit_event_record(
                event_type=AuditEventType.JOINT_ITEM_SAVED,
                actor=actor,
                target=item,
                extra={
                    "field": field.name,
                    "leads": list(
                        Department.objects.filter(pk__in=values.leads).values_list(
                            "code", flat=True
                        )
                    ),
                    "partners": values.partners_text,
                },
            )
    return "updated" if outcome == "unchanged" and field_changed else outcome


def _update_field(field: JointField, values: JointItemValues) -> bool:
    """Partners are named once per field: a row that names none keeps the field's."""
    if not values.partners_text:
        return False
    changed = (
        field.partners_text != values.partners_text
        or field.any_member_partners != values.any_member_partners
        or set(field.partners.values_list("pk", flat=True)) != set(values.partners)
    )
    if changed:
        field.partners_text = values.partners_text
        field.any_member_partners = values.any_member_partners
        field.save(update_fields=["partners_text", "any_member_partners"])
        field.partners.set(values.partners)
    return changed


def _next_code(field: JointField) -> str:
    count = JointItem.objects.filter(field=field).count()
    code = f"LH{field.pk:03d}-{count + 1:02d}"
    while JointItem.objects.filter(code=code).exists():
        count += 1
        code = f"LH{field.pk:03d}-{count + 1:02d}"
    return code
