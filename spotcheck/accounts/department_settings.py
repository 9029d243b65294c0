"""Writes to a department's import settings: its aliases and its default ratio cap."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.services import audit_event_record

from .models import Department, DepartmentAlias


def department_alias_add(*, department: Department, alias: str, actor=None) -> DepartmentAlias:
    """Another name spreadsheets give ``department``; refused when it already names another."""
    alias = alias.strip()
    if not alias:
        raise ValidationError("别名不能为空", code="alias_empty")
    with transaction.atomic():
        taken = DepartmentAlias.objects.filter(alias=alias).exclude(department=department).first()
        other = (
            Department.objects.filter(name=alias).exclude(pk=department.pk).first()
            or Department.objects.filter(code=alias).exclude(pk=department.pk).first()
        )
        if taken or other:
            owner = taken.department if taken else other
            raise ValidationError(f"“{alias}”已是{owner.name}的名称或别名", code="alias_taken")
        record, created = DepartmentAlias.objects.get_or_create(department=department, alias=alias)
        if created:
            audit_event_record(
                event_type=AuditEventType.DEPARTMENT_ALIAS_ADDED,
                actor=actor,
                department=department,
                target_type="department",
                target_id=department.code,
                extra={"alias": alias},
            )
    return record


def department_default_cap_set(*, department: Department, cap: Decimal | None, actor=None) -> None:
    """The cap of the department's general items whose list sets none; None: the district's."""
    if cap is not None and not (0 < cap <= 1):
        raise ValidationError("默认抽查比例上限应在 0 到 100% 之间", code="cap_out_of_range")
    with transaction.atomic():
        Department.objects.filter(pk=department.pk).update(default_ratio_cap=cap)
        audit_event_record(
            event_type=AuditEventType.DEPARTMENT_DEFAULT_CAP_SET,
            actor=actor,
            department=department,
            target_type="department",
            target_id=department.code,
            extra={"default_ratio_cap": None if cap is None else str(cap)},
        )
    department.default_ratio_cap = cap
