"""Writes to the directories. Each service is the outermost transaction and audits itself."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from spotcheck.accounts.models import Department
from spotcheck.accounts.scoping import require_department_access
from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.services import audit_event_record

from .errors import DirectoryErrorCode
from .fingerprint import FINGERPRINT_FIELDS, entity_fingerprint
from .models import DepartmentEntityRecord, Inspector, InspectorConflict, MarketEntity
from .ownership import RISK_FIELDS, require_shared_record_owner
from .selectors import entity_list

ENTITY_FIELDS = (*FINGERPRINT_FIELDS,)
# Entities per UPDATE in a bulk class change: below SQLite's bound-parameter limit.
CLASS_CHUNK = 5_000


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
    """Add an entity; `values` are already validated (see forms / import validators). The
    shared directory grows through its owners (department imports go through `imports`)."""
    require_shared_record_owner(actor)
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
def entity_update(
    *, actor, entity: MarketEntity, values: dict, departments=None, reason: str = ""
) -> MarketEntity:
    """Change an entity's shared record; the history table keeps the earlier version. Only its
    owners may (see `ownership`), only the office changes who supervises it, and a change of
    credit class or abnormal flag needs a `reason`, audited with the old and new values."""
    require_shared_record_owner(actor)
    entity = MarketEntity.objects.select_for_update().get(pk=entity.pk)
    changes = _changed_fields(entity, values)
    risk_changes = {name: changes[name] for name in RISK_FIELDS if name in changes}
    reason = reason.strip()
    if risk_changes and not reason:
        raise ValidationError(
            _("修改信用风险分类或经营异常标记必须填写理由"),
            code=DirectoryErrorCode.REASON_REQUIRED,
        )
    for name, value in values.items():
        setattr(entity, name, value)
    entity.key = _entity_key({f: getattr(entity, f) for f in ENTITY_FIELDS})
    entity.fingerprint = entity_fingerprint({f: getattr(entity, f) for f in ENTITY_FIELDS})
    entity._change_reason = reason
    entity.save()
    if departments is not None:
        before = sorted(entity.departments.values_list("code", flat=True))
        after = sorted(d.code for d in departments)
        if before != after:
            if actor is not None and not actor.is_office:
                raise PermissionDenied(_("只有联席会议办公室可以调整监管部门"))
            entity.departments.set(departments)
            changes["departments"] = [before, after]
    department = getattr(actor, "department", None)
    audit_event_record(
        event_type=AuditEventType.ENTITY_UPDATED,
        actor=actor,
        department=department,
        target=entity,
        extra={"changes": changes, "reason": reason},
    )
    if risk_changes:
        audit_event_record(
            event_type=AuditEventType.ENTITY_RISK_CHANGED,
            actor=actor,
            department=department,
            target=entity,
            extra={"key": entity.key, "changes": risk_changes, "reason": reason},
        )
    return entity


@transaction.atomic
def entity_department_record_save(
    *, actor, entity: MarketEntity, department: Department, tags: list[str], notes: str
) -> DepartmentEntityRecord:
    """A department's own tags and notes about an entity it supervises; the shared record is
    untouched, so no other department's draws change."""
    require_department_access(actor, department.pk)
    if not entity.departments.filter(pk=department.pk).exists():
        raise PermissionDenied(_("本部门未监管该检查对象"))
    record, _created = DepartmentEntityRecord.objects.select_for_update().get_or_create(
        entity=entity, department=department
    )
    changes = _changed_fields(record, {"tags": tags, "notes": notes})
    record.tags, record.notes = tags, notes
    record.save()
    audit_event_record(
        event_type=AuditEventType.ENTITY_DEPARTMENT_RECORD_SAVED,
        actor=actor,
        department=department,
        target=entity,
        extra={"key": entity.key, "changes": changes},
    )
    return record


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
    """Record that `inspector` must never be drawn for `entity` (回避); the entity must be one the
    declaring user can see, so the service is no oracle for the rest of the directory."""
    require_department_access(actor, inspector.department_id)
    if actor is not None and not entity_list(user=actor).filter(pk=entity.pk).exists():
        raise PermissionDenied
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


@transaction.atomic
def entity_credit_classes_apply(
    *, actor, changes: dict[int, tuple[str, str]], rule_version: str
) -> dict[str, int]:
    """Set many entities' credit class at once (the monthly recomputation); `changes` maps an
    entity's pk to (new class, reason). Owners only, like `entity_update`. Set-based, as the
    recomputation covers the whole directory: per (class, reason) and chunk one UPDATE and one
    INSERT … SELECT of the '~' history rows carrying the reason; one audit event with the count
    of each transition (the credit app keeps the per-entity history)."""
    require_shared_record_owner(actor)
    now = timezone.now()
    transitions: dict[str, int] = {}
    pks = sorted(changes)
    current: dict[int, str] = {}
    for start in range(0, len(pks), CLASS_CHUNK):  # bound parameters are limited per query
        chunk = pks[start : start + CLASS_CHUNK]
        current.update(MarketEntity.objects.filter(pk__in=chunk).values_list("pk", "credit_class"))
    groups: dict[tuple[str, str], list[int]] = {}
    for pk, (new_class, reason) in sorted(changes.items()):
        transition = f"{current[pk]}→{new_class}"
        transitions[transition] = transitions.get(transition, 0) + 1
        groups.setdefault((new_class, reason), []).append(pk)
    entity_table = connection.ops.quote_name(MarketEntity._meta.db_table)
    history_table = connection.ops.quote_name(MarketEntity.history.model._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(f.column)
        for f in MarketEntity._meta.concrete_fields
        if f.name not in ("fingerprint", "updated_at")
    )
    actor_id = getattr(actor, "pk", None)
    with connection.cursor() as cursor:
        for (new_class, reason), pks in groups.items():
            for start in range(0, len(pks), CLASS_CHUNK):
                chunk = pks[start : start + CLASS_CHUNK]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    f"UPDATE {entity_table} SET credit_class = %s, updated_at = %s "
                    f"WHERE id IN ({marks})",
                    [new_class, now, *chunk],
                )
                cursor.execute(
                    f"INSERT INTO {history_table} ({columns}, history_date, "
                    f"history_change_reason, history_type, history_user_id) "
                    f"SELECT {columns}, %s, %s, '~', %s FROM {entity_table} "
                    f"WHERE id IN ({marks}) ORDER BY id",
                    [now, reason[:100], actor_id, *chunk],
                )
    audit_event_record(
        event_type=AuditEventType.ENTITY_CREDIT_CLASSES_APPLIED,
        actor=actor,
        department=getattr(actor, "department", None),
        target_type=MarketEntity._meta.label_lower,
        extra={"rule_version": rule_version, "changed": len(changes), "transitions": transitions},
    )
    return transitions
