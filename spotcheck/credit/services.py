"""Writes of credit classes: the recomputation by the rules and the owners' overrides. The
entity's class itself changes only through the directory's owner-checked services."""

import json
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.services import audit_event_record
from spotcheck.directory.models import CreditClass, MarketEntity
from spotcheck.directory.ownership import require_shared_record_owner
from spotcheck.directory.services import entity_credit_classes_apply, entity_update

from .errors import CreditErrorCode
from .facts import entity_facts
from .models import (
    CreditAssessment,
    CreditChangeSource,
    CreditClassChange,
    CreditRun,
    CreditRunTrigger,
)
from .rules import classify, credit_rules

CHUNK = 5_000


@transaction.atomic
def credit_recompute(
    *, trigger: str = CreditRunTrigger.COMMAND, today: date | None = None, requested_by=None
):
    """Classify every entity by the current rules. The computed class, its reason and rule
    version are kept for each; the class in force changes only where no owner's override
    stands, as the system actor through the directory's owner-checked bulk service. Set-based:
    only what changed is written, in batches. `requested_by` is the office user who asked for
    an on-demand run: the trail names who caused the changes."""
    rules = credit_rules()
    version = rules["VERSION"]
    now = timezone.now()
    today = today or timezone.localdate()
    run = CreditRun.objects.create(trigger=trigger, rule_version=version)
    kept = {
        pk: (computed, score, factors, rule_version, override)
        for pk, computed, score, factors, rule_version, override in (
            CreditAssessment.objects.values_list(
                "entity_id", "computed_class", "score", "factors", "rule_version", "override_class"
            ).iterator(chunk_size=20_000)
        )
    }
    # Many entities share a combination of facts: each reason is worded once.
    reasons: dict[tuple, str] = {}
    counts = dict.fromkeys(CreditClass.values, 0)
    changes: dict[int, tuple[str, str]] = {}
    history: list[tuple] = []
    inserts: list[tuple] = []
    updates: list[tuple] = []
    total = 0
    for pk, current, facts in entity_facts(today, rules["LOOKBACK_MONTHS"]):
        total += 1
        result = classify(facts, today, rules)
        factors = [f.__dict__ for f in result.factors]
        signature = (result.credit_class, result.score, tuple(result.factors))
        reason = reasons.get(signature)
        if reason is None:
            reason = reasons[signature] = result.reason()
        row = (result.credit_class, result.score, factors, version)
        previous = kept.get(pk)
        if previous is None:
            inserts.append((pk, *row, reason))
        elif previous[:4] != row:
            updates.append((pk, *row, reason))
        override = previous[4] if previous else ""
        in_force = override or result.credit_class
        counts[in_force] += 1
        if in_force != current:
            changes[pk] = (in_force, reason)
            history.append((pk, current, in_force, reason))
    _write_assessments(inserts, updates, now)
    if changes:
        entity_credit_classes_apply(actor=None, changes=changes, rule_version=version)
        _write_history(history, version, run, now)
    run.entities, run.changed, run.counts = total, len(changes), counts
    run.finished_at = timezone.now()
    run.save()
    audit_event_record(
        event_type=AuditEventType.CREDIT_RECOMPUTED,
        actor=requested_by,
        department=getattr(requested_by, "department", None),
        target=run,
        extra={
            "trigger": trigger,
            "rule_version": version,
            "entities": total,
            "changed": run.changed,
            "counts": counts,
            "overrides_kept": sum(1 for k in kept.values() if k[4]),
        },
    )
    return run


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _insert_rows(model, columns: list[str], rows: list[tuple]) -> None:
    """Many new rows at once: COPY on PostgreSQL, batched executemany elsewhere (the ORM's
    per-value compilation would dominate at 100,000 rows)."""
    table = _table(model)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        for start in range(0, len(rows), CHUNK):
            cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({marks})", rows[start : start + CHUNK]
            )


def _write_assessments(inserts: list[tuple], updates: list[tuple], now) -> None:
    """New assessments in bulk; changed ones by batched UPDATEs, JSON through the field's own
    preparation so each backend gets what it expects."""
    _insert_rows(
        CreditAssessment,
        [
            "entity_id",
            "computed_class",
            "score",
            "factors",
            "rule_version",
            "reason",
            "computed_at",
            "override_class",
            "override_reason",
        ],
        [
            (pk, computed, score, json.dumps(factors), version, reason, now, "", "")
            for pk, computed, score, factors, version, reason in inserts
        ],
    )
    factors_field = CreditAssessment._meta.get_field("factors")
    rows = [
        (
            computed,
            score,
            factors_field.get_db_prep_save(factors, connection),
            version,
            reason,
            now,
            pk,
        )
        for pk, computed, score, factors, version, reason in updates
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            cursor.executemany(
                f"UPDATE {_table(CreditAssessment)} SET computed_class = %s, score = %s, "
                f"factors = %s, rule_version = %s, reason = %s, computed_at = %s "
                f"WHERE entity_id = %s",
                rows[start : start + CHUNK],
            )


def _write_history(history: list[tuple], version: str, run, now) -> None:
    _insert_rows(
        CreditClassChange,
        [
            "entity_id",
            "old_class",
            "new_class",
            "source",
            "reason",
            "rule_version",
            "run_id",
            "changed_at",
        ],
        [
            (pk, old, new, CreditChangeSource.RULES.value, reason, version, run.pk, now)
            for pk, old, new, reason in history
        ],
    )


def _assessment_for(entity: MarketEntity) -> CreditAssessment:
    """The entity's assessment, locked; an entity never classified yet starts from its class."""
    assessment, _created = CreditAssessment.objects.select_for_update().get_or_create(
        entity=entity,
        defaults={
            "computed_class": entity.credit_class,
            "reason": _("尚未按规则计算"),
            "rule_version": "",
            "computed_at": timezone.now(),
        },
    )
    return assessment


def _require_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            _("人工调整或取消调整信用风险分类必须填写理由"), code=CreditErrorCode.REASON_REQUIRED
        )
    return reason


@transaction.atomic
def credit_override_set(*, actor, entity: MarketEntity, credit_class: str, reason: str):
    """An owner fixes the class (e.g. a court ruling the rules cannot see); it stands, whatever
    the monthly recomputation says, until an owner clears it."""
    require_shared_record_owner(actor)
    reason = _require_reason(reason)
    if credit_class not in CreditClass.values:
        raise ValidationError(_("请选择信用风险分类"), code=CreditErrorCode.CLASS_REQUIRED)
    assessment = _assessment_for(entity)
    old_class = MarketEntity.objects.get(pk=entity.pk).credit_class
    entity_update(actor=actor, entity=entity, values={"credit_class": credit_class}, reason=reason)
    assessment.override_class, assessment.override_reason = credit_class, reason
    assessment.override_by, assessment.override_at = actor, timezone.now()
    assessment.save()
    _record_change(entity, old_class, credit_class, CreditChangeSource.OVERRIDE, reason, actor)
    audit_event_record(
        event_type=AuditEventType.CREDIT_OVERRIDE_SET,
        actor=actor,
        department=getattr(actor, "department", None),
        target=entity,
        extra={"key": entity.key, "old": old_class, "new": credit_class, "reason": reason},
    )
    return assessment


@transaction.atomic
def credit_override_clear(*, actor, entity: MarketEntity, reason: str):
    """The class goes back to what the rules computed last."""
    require_shared_record_owner(actor)
    reason = _require_reason(reason)
    assessment = _assessment_for(entity)
    if not assessment.override_class:
        raise ValidationError(_("该检查对象没有人工调整的分类"), code=CreditErrorCode.NO_OVERRIDE)
    old_class = MarketEntity.objects.get(pk=entity.pk).credit_class
    new_class = assessment.computed_class
    entity_update(actor=actor, entity=entity, values={"credit_class": new_class}, reason=reason)
    assessment.override_class, assessment.override_reason = "", ""
    assessment.override_by, assessment.override_at = None, None
    assessment.save()
    _record_change(entity, old_class, new_class, CreditChangeSource.OVERRIDE_CLEARED, reason, actor)
    audit_event_record(
        event_type=AuditEventType.CREDIT_OVERRIDE_CLEARED,
        actor=actor,
        department=getattr(actor, "department", None),
        target=entity,
        extra={"key": entity.key, "old": old_class, "new": new_class, "reason": reason},
    )
    return assessment


def _record_change(entity, old_class, new_class, source, reason, actor) -> None:
    if old_class != new_class:
        CreditClassChange.objects.create(
            entity=entity,
            old_class=old_class,
            new_class=new_class,
            source=source,
            reason=reason,
            actor=actor,
        )
