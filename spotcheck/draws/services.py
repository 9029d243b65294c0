"""The draw ceremony: create a batch, commit (freeze and publish), enter the public randomness,
draw in a background job, recuse and replace. Each write is one audited transaction."""

import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.services import audit_event_record
from spotcheck.plans.models import JointCheckStatus, SpotCheckTask, TaskStatus
from spotcheck.plans.numbering import next_number
from spotcheck_draw.commitments import design_hash

from .errors import BatchErrorCode
from .freeze import batch_design
from .models import BatchStatus, DrawBatch
from .proofs import write_encoded_population


def batch_folder(batch: DrawBatch) -> Path:
    return Path(settings.DRAWS_ROOT) / batch.number


def may_run_batch(actor, batch: DrawBatch) -> bool:
    """The office, or the organising (lead) department's liaison or reviewer."""
    if actor.is_office:
        return True
    return actor.department_id == batch.department_id and actor.role in (
        "department_admin",
        "reviewer",
    )


def _locked(batch: DrawBatch) -> DrawBatch:
    return DrawBatch.objects.select_for_update().get(pk=batch.pk)


def _audit(event_type, actor, batch, **extra) -> None:
    audit_event_record(
        event_type=event_type, actor=actor, department=batch.department, target=batch, extra=extra
    )


@transaction.atomic
def batch_create(
    *, actor, name: str, tasks, randomness_source: str, randomness_due, joint_check=None
) -> DrawBatch:
    """A joint check's tasks, or one department's (or, for the office, several departments')
    tasks of the same period drawn together so their overlap becomes joint visits."""
    tasks = list(tasks if joint_check is None else joint_check.tasks.all())
    if not tasks:
        raise ValidationError(_("批次中没有抽查任务"), code=BatchErrorCode.NO_TASKS)
    if joint_check is not None:
        if joint_check.status != JointCheckStatus.APPROVED:
            raise ValidationError(
                _("联合抽查尚未经办公室批准"), code=BatchErrorCode.JOINT_CHECK_NOT_APPROVED
            )
        department = joint_check.lead_department
    else:
        department = tasks[0].department
    if (
        not actor.is_office
        and any(t.department_id != actor.department_id for t in tasks)
        and (joint_check is None or joint_check.lead_department_id != actor.department_id)
    ):
        raise PermissionDenied
    locked = list(SpotCheckTask.objects.select_for_update().filter(pk__in=[t.pk for t in tasks]))
    not_ready = [t.number for t in locked if t.status != TaskStatus.READY]
    if not_ready:
        raise ValidationError(
            _("以下任务不能进入抽取（已锁定或未通过规则检查）：%(t)s")
            % {"t": "、".join(not_ready)},
            code=BatchErrorCode.TASK_NOT_READY,
        )
    batch = DrawBatch.objects.create(
        number=next_number("batch", department.region_code, timezone.localdate().year),
        name=name,
        department=department,
        joint_check=joint_check,
        planned_date=min(t.planned_start for t in locked),
        randomness_source=randomness_source,
        randomness_due=randomness_due,
        created_by=actor,
    )
    batch.tasks.set(locked)
    _audit(AuditEventType.BATCH_CREATED, actor, batch, tasks=sorted(t.number for t in locked))
    return batch


@transaction.atomic
def batch_commit(*, actor, batch: DrawBatch) -> DrawBatch:
    """Freeze population, design, inspector snapshot, conflicts and history; publish their
    commitments and the named randomness source. From here on nothing in the batch changes."""
    if not may_run_batch(actor, batch):
        raise PermissionDenied
    batch = _locked(batch)
    if batch.status != BatchStatus.DRAFT:
        raise ValidationError(_("批次已公布承诺，不能再次承诺"), code=BatchErrorCode.WRONG_STATE)
    tasks = list(
        batch.tasks.select_related("department").prefetch_related("items__item").order_by("number")
    )
    design, population = batch_design(batch, tasks)
    if population is None:
        raise ValidationError(
            _("抽查对象范围内没有符合条件的市场主体"), code=BatchErrorCode.POPULATION_EMPTY
        )
    folder = batch_folder(batch)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "design.json").write_text(
        json.dumps(design, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8"
    )
    batch.population_root = write_encoded_population(folder, population.lines)
    batch.design_hash = design_hash(design)
    batch.population_lines = len(population.lines)
    batch.status = BatchStatus.COMMITTED
    batch.committed_at = timezone.now()
    batch.save()
    SpotCheckTask.objects.filter(pk__in=[t.pk for t in tasks]).update(status=TaskStatus.COMMITTED)
    if batch.joint_check_id:
        batch.joint_check.status = JointCheckStatus.IN_BATCH
        batch.joint_check.save(update_fields=["status"])
    _audit(
        AuditEventType.BATCH_COMMITTED,
        actor,
        batch,
        population_root=batch.population_root,
        design_hash=batch.design_hash,
        randomness_source=batch.randomness_source,
    )
    return batch


@transaction.atomic
def batch_request_draw(
    *, actor, batch: DrawBatch, randomness: str, witnesses: str = ""
) -> DrawBatch:
    """Record the public randomness as entered and queue the draw. A batch is drawn once:
    a second request (even a simultaneous one) finds it no longer committed."""
    from .tasks import run_draw

    if not may_run_batch(actor, batch):
        raise PermissionDenied
    randomness = randomness.strip()
    if not randomness:
        raise ValidationError(_("请填写公开随机数"), code=BatchErrorCode.RANDOMNESS_MISSING)
    batch = _locked(batch)
    if batch.status != BatchStatus.COMMITTED:
        raise ValidationError(
            _("该批次当前为“%(s)s”，不能再次抽取；重抽须重新承诺并说明原因")
            % {"s": batch.get_status_display()},
            code=BatchErrorCode.WRONG_STATE,
        )
    now = timezone.now()
    # Randomness entered before its announced time could have been chosen after seeing the
    # commitments' effect; the spec refuses it outright (draw-spec §7).
    if now < batch.randomness_due:
        raise ValidationError(
            _("公开随机数须在公布的时间 %(due)s 之后录入，现在还不能录入")
            % {"due": timezone.localtime(batch.randomness_due).strftime("%Y-%m-%d %H:%M")},
            code=BatchErrorCode.RANDOMNESS_TOO_EARLY,
        )
    witnesses = witnesses.strip()
    if not witnesses:
        raise ValidationError(_("请填写在场见证人的姓名"), code=BatchErrorCode.WITNESSES_MISSING)
    batch.status = BatchStatus.DRAWING
    batch.randomness_value = randomness
    batch.witnesses = witnesses
    batch.randomness_entered_by = actor
    batch.randomness_entered_at = now
    batch.save()
    _audit(
        AuditEventType.RANDOMNESS_ENTERED,
        actor,
        batch,
        randomness=randomness,
        witnesses=batch.witnesses,
    )
    transaction.on_commit(lambda: run_draw.enqueue(batch.pk))
    return batch


@transaction.atomic
def batch_redraw(
    *, actor, batch: DrawBatch, reason: str, randomness_source: str, randomness_due
) -> DrawBatch:
    """A committed batch whose ceremony failed, or a failed draw, gets a new commitment with a
    recorded reason; the old one stays published as superseded."""
    if not may_run_batch(actor, batch):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(_("重新承诺须说明原因"), code=BatchErrorCode.REASON_REQUIRED)
    old = _locked(batch)
    if old.status not in (BatchStatus.COMMITTED, BatchStatus.FAILED):
        raise ValidationError(
            _("只有已承诺未抽取或抽取失败的批次可以重新承诺"), code=BatchErrorCode.WRONG_STATE
        )
    old.status = BatchStatus.SUPERSEDED
    old.save(update_fields=["status"])
    tasks = list(old.tasks.all())
    SpotCheckTask.objects.filter(pk__in=[t.pk for t in tasks]).update(status=TaskStatus.READY)
    new = DrawBatch.objects.create(
        number=next_number("batch", old.department.region_code, timezone.localdate().year),
        name=old.name,
        department=old.department,
        joint_check=old.joint_check,
        planned_date=old.planned_date,
        randomness_source=randomness_source,
        randomness_due=randomness_due,
        created_by=actor,
        redraw_of=old,
        redraw_reason=reason,
    )
    new.tasks.set(tasks)
    _audit(AuditEventType.BATCH_REDRAW, actor, new, replaces=old.number, reason=reason)
    return new


def may_download_full_kit(actor) -> bool:
    """Credit classes, conflicts and history are confidential: the office and oversight only."""
    return actor.is_authenticated and (actor.is_office or actor.is_oversight)


@transaction.atomic
def batch_full_kit_download(*, actor, batch: DrawBatch) -> bytes:
    """The full verification kit for oversight; every download is an audit event."""
    from .publication import full_kit_zip

    if not may_download_full_kit(actor):
        raise PermissionDenied
    content = full_kit_zip(batch)
    _audit(AuditEventType.FULL_KIT_DOWNLOADED, actor, batch, bytes=len(content))
    return content
