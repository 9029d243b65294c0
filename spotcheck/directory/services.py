"""Writes to the directories. Each service is the outermost transaction and audits itself."""

from django.db import transaction

from spotcheck.accounts.models import Department
from spotcheck.accounts.scoping import require_department_access
from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.services import audit_event_record

from .fingerprint import FINGERPRINT_FIELDS, entity_fingerprint
from .models import Inspector, InspectorConflict, MarketEntity

ENTITY_FIELDS = (*FINGERPRINT_FIELDS,)


def _entity_key(values: dict) -> str:
    return values.get("uscc") or values["registration_number"]


def _changed_fields(instance, values: dict) -> dict:
    return {
        name: [str(getattr(instance, name)), str(value)]
        for name, value in values.items()
        if getattr(instance, name) != value
    }


@transaction.atomic
def entity_create(*, actor, values: dict, departments=()) -> MarketEntity:
    """Add an entity; `values` are already validated (see forms / import validators)."""
    entity = MarketEntity(**values)
    entity.key = _entity_key(values)
    entity.fingerprint = entity_fingerprint(values)
    entity._change_reason = "created"
    entity.save()
    entity.departments.set(departments)
    audit_event_record(
        event_type=AuditEventType.ENTITY_CREATED,
        actor=actor,
        department=getattr(actor, "department", None),
        target=entity,
        extra={"key": entity.key, "name": entity.name},
    )
    return entity


@transaction.atomic
def entity_update(*, actor, entity: MarketEntity, values: dict, departments=None) -> MarketEntity:
    """Change an entity's fields; the history table keeps the earlier version."""
    entity = MarketEntity.objects.select_for_update().get(pk=entity.pk)
    changes = _changed_fields(entity, values)
    for name, value in values.items():
        setattr(entity, name, value)
    entity.key = _entity_key({f: getattr(entity, f) for f in ENTITY_FIELDS})
    entity.fingerprint = entity_fingerprint({f: getattr(entity, f) for f in ENTITY_FIELDS})
    entity.save()
    if departments is not None:
        before = sorted(entity.departments.values_list("code", flat=True))
        entity.departments.set(departments)
        after = sorted(d.code for d in departments)
        if before != after:
            changes["departments"] = [before, after]
    audit_event_record(
        event_type=AuditEventType.ENTITY_UPDATED,
        actor=actor,
        department=getattr(actor, "department", None),
        target=entity,
        extra={"changes": changes},
    )
    return entity


@transaction.atomic
def inspector_create(*, actor, department: Department, values: dict) -> Inspector:
    require_department_access(actor, department.pk)
    inspector = Inspector.objects.create(department=department, **values)
    audit_event_record(
        event_type=AuditEventType.INSPECTOR_CREATED,
        actor=actor,
        department=department,
        target=inspector,
        extra={"name": inspector.name, "certificate": inspector.certificate_number},
    )
    return inspector


@transaction.atomic
def inspector_update(*, actor, inspector: Inspector, values: dict) -> Inspector:
    require_department_access(actor, inspector.department_id)
    inspector = Inspector.objects.select_for_update().get(pk=inspector.pk)
    changes = _changed_fields(inspector, values)
    for name, value in values.items():
        setattr(inspector, name, value)
    inspector.save()
    audit_event_record(
        event_type=AuditEventType.INSPECTOR_UPDATED,
        actor=actor,
        department=inspector.department,
        target=inspector,
        extra={"changes": changes},
    )
    return inspector


@transaction.atomic
def conflict_declare(
    *, actor, inspector: Inspector, entity: MarketEntity, reason: str
) -> InspectorConflict:
    """Record that `inspector` must never be drawn for `entity` (回避)."""
    require_department_access(actor, inspector.department_id)
    conflict, _ = InspectorConflict.objects.update_or_create(
        inspector=inspector, entity=entity, defaults={"reason": reason}
    )
    audit_event_record(
        event_type=AuditEventType.CONFLICT_DECLARED,
        actor=actor,
        department=inspector.department,
        target=conflict,
        extra={"inspector": inspector.pk, "entity": entity.key, "reason": reason},
    )
    return conflict
