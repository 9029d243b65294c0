"""What an approved result sets in motion: follow-ups for problems found, and abnormal-list
proposals for the three results the rules name; then handling both until they are decided."""

import uuid
from datetime import date
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from spotcheck.accounts.models import Department, Role
from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.services import audit_event_record

from .evidence import JPEG, PDF, PNG, sniff
from .models import (
    AbnormalListProposal,
    AbnormalProposalStatus,
    FollowUp,
    FollowUpDocument,
    FollowUpKind,
)


def after_approval(*, actor, result) -> None:
    """Runs inside the approving transaction."""
    assert transaction.get_connection().in_atomic_block
    categories = list(result.categories.all())
    entity = result.visit.entity
    if any(c.problem_found for c in categories):
        follow_up = FollowUp.objects.create(
            result=result, entity=entity, department=result.department
        )
        audit_event_record(
            event_type=AuditEventType.FOLLOW_UP_OPENED,
            actor=actor,
            department=result.department,
            target=follow_up,
            extra={"entity": entity.key},
        )
    for category in categories:
        if category.proposes_abnormal_listing:
            proposal = AbnormalListProposal.objects.create(
                entity=entity, result=result, category=category
            )
            audit_event_record(
                event_type=AuditEventType.ABNORMAL_PROPOSED,
                actor=actor,
                department=result.department,
                target=proposal,
                extra={"entity": entity.key, "category": category.code},
            )


# ---------------------------------------------------------------- follow-ups (后续处置)


class FollowUpErrorCode(StrEnum):
    CLOSED = "closed"  # a closed follow-up does not change any more
    KIND_REQUIRED = "kind_required"
    DEADLINE_REQUIRED = "deadline_required"  # 责令整改 needs a deadline
    TRANSFER_DEPARTMENT_REQUIRED = "transfer_department_required"
    RESULT_REQUIRED = "result_required"  # closing needs its result
    DOCUMENT_TYPE = "document_type"
    DOCUMENT_SIZE = "document_size"
    TITLE_REQUIRED = "title_required"


class AbnormalErrorCode(StrEnum):
    WRONG_STATE = "wrong_state"
    REASON_REQUIRED = "reason_required"
    NOT_LISTED = "not_listed"  # only a standing listing is removed (移出)


MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
# Recognised by their first bytes (evidence.sniff), never by the name or the browser's claim.
DOCUMENT_KINDS = (PDF, JPEG, PNG)


def may_handle_follow_up(actor, follow_up) -> bool:
    """The department that opened it, or the office; a receiving department only reads it."""
    return actor.is_office or actor.department_id == follow_up.department_id


def _locked_follow_up(follow_up) -> FollowUp:
    return FollowUp.objects.select_for_update().select_related("department").get(pk=follow_up.pk)


def _require_open(follow_up) -> None:
    if not follow_up.is_open:
        raise ValidationError(_("该后续处置已办结，不能再修改"), code=FollowUpErrorCode.CLOSED)


@transaction.atomic
def follow_up_set_kind(
    *,
    actor,
    follow_up,
    kind: str,
    deadline: date | None = None,
    transferred_to: Department | None = None,
    description: str = "",
) -> FollowUp:
    """责令整改 with a deadline, 跟踪检查, 立案查处, 移送 another department (which then sees it)
    or the judiciary. May change while the follow-up is open."""
    follow_up = _locked_follow_up(follow_up)
    if not may_handle_follow_up(actor, follow_up):
        raise PermissionDenied
    _require_open(follow_up)
    if kind not in FollowUpKind.values or kind == FollowUpKind.UNDECIDED:
        raise ValidationError(_("请选择处置方式"), code=FollowUpErrorCode.KIND_REQUIRED)
    if kind == FollowUpKind.RECTIFICATION and deadline is None:
        raise ValidationError(_("责令整改须填写整改期限"), code=FollowUpErrorCode.DEADLINE_REQUIRED)
    if kind == FollowUpKind.TRANSFER_DEPARTMENT and (
        transferred_to is None
        or transferred_to.pk == follow_up.department_id
        or not transferred_to.is_active
    ):
        raise ValidationError(
            _("移送其他部门须选择接收部门（不能是本部门）"),
            code=FollowUpErrorCode.TRANSFER_DEPARTMENT_REQUIRED,
        )
    follow_up.kind = kind
    follow_up.deadline = deadline if kind == FollowUpKind.RECTIFICATION else None
    follow_up.transferred_to = transferred_to if kind == FollowUpKind.TRANSFER_DEPARTMENT else None
    follow_up.description = description
    follow_up.save(update_fields=["kind", "deadline", "transferred_to", "description"])
    audit_event_record(
        event_type=AuditEventType.FOLLOW_UP_UPDATED,
        actor=actor,
        department=follow_up.department,
        target=follow_up,
        extra={
            "action": "kind_set",
            "kind": kind,
            "deadline": follow_up.deadline.isoformat() if follow_up.deadline else None,
            "transferred_to": transferred_to.code if follow_up.transferred_to else None,
        },
    )
    return follow_up


@transaction.atomic
def follow_up_document_add(*, actor, follow_up, upload, title: str) -> FollowUpDocument:
    """A rectification order, case file or transfer letter: PDF, JPEG or PNG by content, at most
    20 MB, stored under a generated name (nothing the uploader typed reaches the file system)."""
    follow_up = _locked_follow_up(follow_up)
    if not may_handle_follow_up(actor, follow_up):
        raise PermissionDenied
    _require_open(follow_up)
    if not title.strip():
        raise ValidationError(_("请填写文书名称"), code=FollowUpErrorCode.TITLE_REQUIRED)
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            _("文件超过 %(mb)s MB，不能上传") % {"mb": MAX_DOCUMENT_BYTES // (1024 * 1024)},
            code=FollowUpErrorCode.DOCUMENT_SIZE,
        )
    upload.seek(0)
    kind = sniff(upload.read(16))
    if kind not in DOCUMENT_KINDS:
        raise ValidationError(
            _("只能上传 PDF、JPEG 或 PNG 文件（按文件内容识别）"),
            code=FollowUpErrorCode.DOCUMENT_TYPE,
        )
    content_type, extension = kind.content_type, kind.extension
    upload.seek(0)
    document = FollowUpDocument(
        follow_up=follow_up, title=title.strip()[:200], content_type=content_type, uploaded_by=actor
    )
    document.file.save(f"{uuid.uuid4().hex}{extension}", ContentFile(upload.read()), save=False)
    document.save()
    audit_event_record(
        event_type=AuditEventType.FOLLOW_UP_DOCUMENT_ADDED,
        actor=actor,
        department=follow_up.department,
        target=document,
        extra={"follow_up": follow_up.pk, "title": document.title, "type": content_type},
    )
    return document


@transaction.atomic
def follow_up_close(*, actor, follow_up, closing_result: str) -> FollowUp:
    """Closed only with its result (办结结果), once the measure has been chosen."""
    follow_up = _locked_follow_up(follow_up)
    if not may_handle_follow_up(actor, follow_up):
        raise PermissionDenied
    _require_open(follow_up)
    if follow_up.kind == FollowUpKind.UNDECIDED:
        raise ValidationError(_("请先确定处置方式，再办结"), code=FollowUpErrorCode.KIND_REQUIRED)
    if not closing_result.strip():
        raise ValidationError(_("办结须填写办结结果"), code=FollowUpErrorCode.RESULT_REQUIRED)
    follow_up.closing_result = closing_result.strip()
    follow_up.closed_at, follow_up.closed_by = timezone.now(), actor
    follow_up.save(update_fields=["closing_result", "closed_at", "closed_by"])
    audit_event_record(
        event_type=AuditEventType.FOLLOW_UP_CLOSED,
        actor=actor,
        department=follow_up.department,
        target=follow_up,
        extra={"kind": follow_up.kind, "closing_result": follow_up.closing_result},
    )
    return follow_up


# ---------------------------------------------------------------- abnormal-list proposals


def registration_department_code() -> str:
    """The registration authority (登记机关) that decides on the abnormal list."""
    return getattr(settings, "SPOTCHECK_REGISTRATION_DEPARTMENT", "SCJGJ")


def may_decide_abnormal(actor) -> bool:
    if actor.is_office:
        return True
    department = actor.department
    return (
        department is not None
        and department.code == registration_department_code()
        and actor.role in (Role.DEPARTMENT_ADMIN, Role.REVIEWER)
    )


@transaction.atomic
def abnormal_proposal_decide(
    *, actor, proposal, accept: bool, reason: str = ""
) -> AbnormalListProposal:
    """Accepting lists the entity through the directory service (its history keeps the change);
    refusing needs a reason, kept in the audit trail."""
    from spotcheck.directory.services import entity_update

    if not may_decide_abnormal(actor):
        raise PermissionDenied
    proposal = (
        AbnormalListProposal.objects.select_for_update()
        .select_related("entity", "category", "result__department")
        .get(pk=proposal.pk)
    )
    if proposal.status != AbnormalProposalStatus.PROPOSED:
        raise ValidationError(_("该提请已作出决定"), code=AbnormalErrorCode.WRONG_STATE)
    if not accept and not reason.strip():
        raise ValidationError(_("不予列入须说明理由"), code=AbnormalErrorCode.REASON_REQUIRED)
    if accept and not proposal.entity.abnormal_listed:
        entity_update(
            actor=actor,
            entity=proposal.entity,
            values={"abnormal_listed": True},
            reason=_("经营异常名录提请 #%(id)s 决定列入") % {"id": proposal.pk},
        )
    proposal.status = AbnormalProposalStatus.ACCEPTED if accept else AbnormalProposalStatus.REFUSED
    proposal.decided_by, proposal.decided_at = actor, timezone.now()
    proposal.save(update_fields=["status", "decided_by", "decided_at"])
    audit_event_record(
        event_type=AuditEventType.ABNORMAL_DECIDED,
        actor=actor,
        department=actor.department,
        target=proposal,
        extra={
            "entity": proposal.entity.key,
            "category": proposal.category.code,
            "accepted": accept,
            "reason": reason.strip(),
        },
    )
    return proposal


@transaction.atomic
def abnormal_listing_remove(*, actor, proposal, reason: str) -> AbnormalListProposal:
    """移出: the firm has corrected what put it on the list. The listing stays on record with
    its removal; the entity's flag clears through the directory service once no other listing
    stands."""
    from spotcheck.directory.services import entity_update

    if not may_decide_abnormal(actor):
        raise PermissionDenied
    proposal = (
        AbnormalListProposal.objects.select_for_update()
        .select_related("entity", "category")
        .get(pk=proposal.pk)
    )
    if proposal.status != AbnormalProposalStatus.ACCEPTED or proposal.removed_at is not None:
        raise ValidationError(
            _("该检查对象未因此列入经营异常名录，或已移出"), code=AbnormalErrorCode.NOT_LISTED
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            _("移出经营异常名录须说明理由"), code=AbnormalErrorCode.REASON_REQUIRED
        )
    proposal.removed_at, proposal.removed_by, proposal.removal_reason = (
        timezone.now(),
        actor,
        reason,
    )
    proposal.save(update_fields=["removed_at", "removed_by", "removal_reason"])
    still_listed = AbnormalListProposal.objects.filter(
        entity=proposal.entity, status=AbnormalProposalStatus.ACCEPTED, removed_at__isnull=True
    ).exists()
    if proposal.entity.abnormal_listed and not still_listed:
        entity_update(
            actor=actor,
            entity=proposal.entity,
            values={"abnormal_listed": False},
            reason=_("经营异常名录 #%(id)s 移出：%(reason)s")
            % {"id": proposal.pk, "reason": reason},
        )
    audit_event_record(
        event_type=AuditEventType.ENTITY_ABNORMAL_REMOVED,
        actor=actor,
        department=actor.department,
        target=proposal,
        extra={
            "entity": proposal.entity.key,
            "category": proposal.category.code,
            "reason": reason,
            "still_listed": still_listed,
        },
    )
    return proposal
