"""Writes of the firm's side. The code and the PIN printed on the notice are the firm's
credentials, so those events carry no actor, only the visit; from a signed-in firm account
(FirmAccount, bound by a code and PIN) they carry the account's user instead."""

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from spotcheck.accounts.models import Role
from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.services import audit_event_record
from spotcheck.draws.models import Visit, VisitInspector
from spotcheck.draws.recusal import may_recuse, team_member_recuse
from spotcheck.publication.models import PublicRecord

from . import limits
from .errors import FirmSideErrorCode
from .models import (
    CodeScan,
    CreditRepairRequest,
    CreditRepairStatus,
    FirmAccount,
    RecusalRequest,
    RecusalRequestStatus,
    VisitPin,
    VisitRating,
)
from .pins import new_pin, pin_hash, pin_matches
from .selectors import (
    VisitState,
    negative_records,
    visit_for_code,
    visit_not_started,
    visit_state,
)

TEXT_LIMIT = 1000


@transaction.atomic
def code_scan_record(*, visit: Visit) -> CodeScan:
    """Every opening is kept with its time; the first one is an audit event (亮码)."""
    first = not CodeScan.objects.filter(visit=visit).exists()
    scan = CodeScan.objects.create(visit=visit)
    if first:
        audit_event_record(
            event_type=AuditEventType.VISIT_CODE_FIRST_SCANNED,
            department=visit.batch.department,
            target=visit,
        )
    return scan


@transaction.atomic
def visit_pin_issue(*, actor, visit: Visit, via: str = "letter") -> str:
    """The PIN for the visit's first printed notice, printed by `actor` (who sends the letter:
    may_send_pins), or "" when one was issued already: a later print (an inspector's copy, a
    rebuilt archive) must not void the paper the firm holds. `via`: "letter" or "archive"."""
    if not may_send_pins(actor, visit.batch):
        raise PermissionDenied
    if VisitPin.objects.filter(visit=visit).exists():
        return ""
    pin = new_pin()
    # Two first prints at once (a letter and the archive): the unique visit keeps one PIN.
    _, created = VisitPin.objects.get_or_create(visit=visit, defaults={"pin_hash": pin_hash(pin)})
    if not created:
        return ""
    audit_event_record(
        event_type=AuditEventType.VISIT_PIN_ISSUED,
        actor=actor,
        department=visit.batch.department,
        target=visit,
        extra={"via": via},
    )
    return pin


def visit_pin_issued(visit: Visit) -> bool:
    """Whether the visit's first letter (with its PIN) was printed by those who send it."""
    return VisitPin.objects.filter(visit=visit).exists()


@transaction.atomic
def visit_pin_issue_letter(*, actor, visit: Visit, fmt: str) -> bytes:
    """The first letter of the visit, with its new PIN, as `fmt` (pdf or docx): asked for by a
    button (a POST), never by opening a link, so a prefetch or a link preview issues nothing.
    A letter that fails to render issues no PIN."""
    from spotcheck.draws.notices import FORMATS

    if visit_state(visit) in (VisitState.CANCELLED, VisitState.MERGED):
        raise ValidationError(
            _("该检查已取消或已合并，不再生成PIN码。"), code=FirmSideErrorCode.VISIT_GONE
        )
    pin = visit_pin_issue(actor=actor, visit=visit)
    if not pin:
        raise ValidationError(
            _("PIN码已随首次打印的通知书发放，不能再次生成；企业遗失通知书的，请补发PIN码。"),
            code=FirmSideErrorCode.PIN_ALREADY_ISSUED,
        )
    return FORMATS[fmt](visit, pin=pin)


@transaction.atomic
def visit_pins_withdraw(*, printed: list[tuple[Visit, str]]) -> int:
    """PINs printed into letters that were never delivered (a notice archive that failed) are
    withdrawn, so the next print issues them again; one reissued meanwhile is kept."""
    withdrawn = 0
    for visit, pin in printed:
        row = VisitPin.objects.select_for_update().filter(visit=visit).first()
        if row is None or not pin_matches(row.pin_hash, pin):
            continue
        row.delete()
        audit_event_record(
            event_type=AuditEventType.VISIT_PIN_WITHDRAWN,
            department=visit.batch.department,
            target=visit,
        )
        withdrawn += 1
    return withdrawn


def may_send_pins(user, batch) -> bool:
    """The organising department's liaison, or the office: they send the notices, so only their
    prints carry a PIN (never an inspector's copy: it would let the team rate itself)."""
    if user.is_office:
        return True
    return user.role == Role.DEPARTMENT_ADMIN and user.department_id == batch.department_id


def first_print_pending(user, visit: Visit) -> bool:
    """Whether `user` sends the visit's letter and its first print (with the PIN) is still to be
    made; a cancelled or merged visit gets no PIN."""
    return (
        may_send_pins(user, visit.batch)
        and visit_state(visit) not in (VisitState.CANCELLED, VisitState.MERGED)
        and not visit_pin_issued(visit)
    )


def may_reissue_pin(user, visit: Visit) -> bool:
    return may_send_pins(user, visit.batch)


@transaction.atomic
def visit_pin_reissue(*, actor, visit: Visit) -> str:
    """补发: a new PIN for a fresh letter when the firm lost its notice; the old PIN stops working."""
    if not may_reissue_pin(actor, visit):
        raise PermissionDenied
    if visit_state(visit) in (VisitState.CANCELLED, VisitState.MERGED):
        raise ValidationError(
            _("该检查已取消或已合并，无需补发PIN码。"), code=FirmSideErrorCode.VISIT_GONE
        )
    pin = new_pin()
    VisitPin.objects.update_or_create(visit=visit, defaults={"pin_hash": pin_hash(pin)})
    # Whoever holds the lost letter may have opened an account with its PIN: accounts bound
    # through this visit end with it; the firm opens its account again with the new letter.
    bound = FirmAccount.objects.filter(bound_by_visit=visit, user__is_active=True)
    ended = sorted(bound.values_list("user__username", flat=True))
    get_user_model().objects.filter(firm_account__in=bound).update(is_active=False)
    audit_event_record(
        event_type=AuditEventType.VISIT_PIN_REISSUED,
        actor=actor,
        department=visit.batch.department,
        target=visit,
        extra={"firm_accounts_ended": ended},
    )
    return pin


@transaction.atomic
def visit_pin_reissue_letter(*, actor, visit: Visit) -> bytes:
    """The reissue and its PDF letter, the only place the new PIN exists: a letter that fails
    to render leaves the firm's old PIN in force."""
    from spotcheck.draws.notices import notice_pdf

    return notice_pdf(visit, pin=visit_pin_reissue(actor=actor, visit=visit))


def _check_pin(visit: Visit, pin: str) -> None:
    if limits.pin_locked(visit.pk):
        raise ValidationError(
            _("PIN码错误次数过多，请一小时后再试。"), code=FirmSideErrorCode.PIN_LOCKED
        )
    stored = VisitPin.objects.filter(visit=visit).values_list("pin_hash", flat=True).first()
    if not pin_matches(stored or "", pin):
        limits.pin_failed(visit.pk)
        raise ValidationError(
            _("PIN码不正确：请填写通知书上查询码旁的6位数字。"), code=FirmSideErrorCode.WRONG_PIN
        )


@transaction.atomic
def visit_rate(*, visit: Visit, pin: str, stars: int, text: str, objects_to_result: bool):
    """Once per visit, after the check took place."""
    _check_pin(visit, pin)
    return _rate(visit, stars, text, objects_to_result, actor=None)


@transaction.atomic
def firm_account_visit_rate(
    *, account: FirmAccount, visit: Visit, stars: int, text: str, objects_to_result: bool
):
    """The same rating from the firm's signed-in account: the account is the proof, no PIN."""
    _check_own_visit(account, visit)
    return _rate(visit, stars, text, objects_to_result, actor=account.user)


def _check_own_visit(account: FirmAccount, visit: Visit) -> None:
    if visit.entity_id != account.entity_id:
        raise PermissionDenied


def _rate(visit: Visit, stars: int, text: str, objects_to_result: bool, *, actor):
    visit = (
        Visit.objects.select_for_update(of=("self",))
        .select_related("batch", "field")
        .get(pk=visit.pk)
    )
    if visit_state(visit) != VisitState.FINISHED:
        raise ValidationError(_("检查完成后才能评价。"), code=FirmSideErrorCode.NOT_YET_CHECKED)
    if VisitRating.objects.filter(visit=visit).exists():
        raise ValidationError(
            _("本次检查已经评价过，每次检查只能评价一次。"), code=FirmSideErrorCode.ALREADY_RATED
        )
    if stars not in range(1, 6):
        raise ValidationError(_("评分须为1至5分。"), code=FirmSideErrorCode.STARS_OUT_OF_RANGE)
    rating = VisitRating.objects.create(
        visit=visit,
        stars=stars,
        text=text.strip()[:TEXT_LIMIT],
        objects_to_result=objects_to_result,
    )
    # The event names the visit, not the stars: the audit trail is read in the department too.
    audit_event_record(
        event_type=AuditEventType.VISIT_RATED,
        actor=actor,
        department=visit.batch.department,
        target=visit,
        extra={"objects_to_result": objects_to_result},
    )
    return rating


@transaction.atomic
def firm_recusal_request(*, visit: Visit, pin: str, member_pk: int, reason: str):
    """Before the team arrives; the member's department decides (firm_recusal_decide)."""
    _check_pin(visit, pin)
    return _recusal_request(visit, member_pk, reason, actor=None)


@transaction.atomic
def firm_account_recusal_request(
    *, account: FirmAccount, visit: Visit, member_pk: int, reason: str
):
    """The same request from the firm's signed-in account, without the PIN."""
    _check_own_visit(account, visit)
    return _recusal_request(visit, member_pk, reason, actor=account.user)


def _recusal_request(visit: Visit, member_pk: int, reason: str, *, actor):
    visit = (
        Visit.objects.select_for_update(of=("self",))
        .select_related("batch", "field")
        .get(pk=visit.pk)
    )
    if not visit_not_started(visit):
        raise ValidationError(
            _("检查开始后不能再申请回避，请向检查组当场提出。"), code=FirmSideErrorCode.TOO_LATE
        )
    member = visit.team.serving().filter(pk=member_pk).select_related("department").first()
    if member is None:
        raise ValidationError(
            _("请选择本次检查组中的一名执法人员。"), code=FirmSideErrorCode.NOT_ON_TEAM
        )
    if not reason.strip():
        raise ValidationError(_("申请回避须说明理由。"), code=FirmSideErrorCode.REASON_REQUIRED)
    request = RecusalRequest.objects.create(member=member, reason=reason.strip()[:TEXT_LIMIT])
    audit_event_record(
        event_type=AuditEventType.FIRM_RECUSAL_REQUESTED,
        actor=actor,
        department=member.department,
        target=request,
        extra={"visit": visit.visit_id, "batch": visit.batch.number},
    )
    return request


@transaction.atomic
def firm_recusal_decide(*, actor, request: RecusalRequest, grant: bool, reason: str):
    """Granting goes through the recusal service, which names the replacement."""
    request = RecusalRequest.objects.select_for_update().get(pk=request.pk)
    member = VisitInspector.objects.select_related("inspector", "department").get(
        pk=request.member_id
    )
    if not may_recuse(actor, member) or member.inspector.user_id == actor.pk:
        raise PermissionDenied
    if request.status != RecusalRequestStatus.PENDING:
        raise ValidationError(_("该申请已经决定。"), code=FirmSideErrorCode.ALREADY_DECIDED)
    if not reason.strip():
        raise ValidationError(_("决定须说明理由。"), code=FirmSideErrorCode.REASON_REQUIRED)
    if grant:
        team_member_recuse(actor=actor, member=member, reason=_("企业申请：") + reason.strip())
    request.status = RecusalRequestStatus.GRANTED if grant else RecusalRequestStatus.REFUSED
    request.decided_at = timezone.now()
    request.decided_by = actor
    request.decision_reason = reason.strip()
    request.save()
    audit_event_record(
        event_type=AuditEventType.FIRM_RECUSAL_DECIDED,
        actor=actor,
        department=member.department,
        target=request,
        extra={"granted": grant, "reason": request.decision_reason},
    )
    return request


@transaction.atomic
def credit_repair_request(*, visit: Visit, pin: str, record_pk: int, correction: str):
    """The firm, after correcting, asks the record's department to repair its credit."""
    _check_pin(visit, pin)
    return _credit_repair_create(visit.entity_id, record_pk, correction, actor=None)


@transaction.atomic
def firm_account_credit_repair_request(*, account: FirmAccount, record_pk: int, correction: str):
    """The same request from the firm's signed-in account: the account is the proof."""
    return _credit_repair_create(account.entity_id, record_pk, correction, actor=account.user)


def _credit_repair_create(entity_id: int, record_pk: int, correction: str, *, actor):
    record = negative_records(entity_id).filter(pk=record_pk).select_related("visit").first()
    if record is None:
        raise ValidationError(
            _("只能对本企业已公示的、发现问题的检查结果申请信用修复。"),
            code=FirmSideErrorCode.NOT_NEGATIVE,
        )
    if not correction.strip():
        raise ValidationError(_("请说明整改情况。"), code=FirmSideErrorCode.REASON_REQUIRED)
    pending = CreditRepairRequest.objects.select_for_update().filter(
        record=record, status=CreditRepairStatus.PENDING
    )
    if pending.exists():
        raise ValidationError(
            _("该检查结果已有待决定的信用修复申请。"), code=FirmSideErrorCode.ALREADY_REQUESTED
        )
    repair = CreditRepairRequest.objects.create(
        record=record, visit=record.visit, correction=correction.strip()[:2000]
    )
    audit_event_record(
        event_type=AuditEventType.CREDIT_REPAIR_REQUESTED,
        actor=actor,
        department=record.department,
        target=repair,
        extra={"record": record.record_id},
    )
    return repair


def _withdraw_repaired(actor, repair: CreditRepairRequest) -> None:
    """A granted repair takes the record off public display (信用修复后停止公示); the new version
    makes the next national export report the withdrawal."""
    record = PublicRecord.objects.select_for_update().get(pk=repair.record_id)
    record.repaired_at = timezone.now()
    record.version += 1
    record.save(update_fields=["repaired_at", "version"])
    audit_event_record(
        event_type=AuditEventType.CREDIT_REPAIR_WITHDRAWN,
        actor=actor,
        department=record.department,
        target=record,
        extra={"record": record.record_id, "repair": repair.pk, "version": record.version},
    )


@transaction.atomic
def credit_repair_decide(*, actor, repair: CreditRepairRequest, grant: bool, reason: str):
    """The record's department (or the office) decides, always with a reason."""
    repair = (
        CreditRepairRequest.objects.select_for_update().select_related("record").get(pk=repair.pk)
    )
    if not (actor.is_office or actor.department_id == repair.record.department_id):
        raise PermissionDenied
    if not actor.can_manage_department_data:
        raise PermissionDenied
    if repair.status != CreditRepairStatus.PENDING:
        raise ValidationError(_("该申请已经决定。"), code=FirmSideErrorCode.ALREADY_DECIDED)
    if not reason.strip():
        raise ValidationError(_("决定须说明理由。"), code=FirmSideErrorCode.REASON_REQUIRED)
    repair.status = CreditRepairStatus.GRANTED if grant else CreditRepairStatus.REFUSED
    repair.decided_at = timezone.now()
    repair.decided_by = actor
    repair.decision_reason = reason.strip()
    repair.save()
    if grant:
        _withdraw_repaired(actor, repair)
    audit_event_record(
        event_type=AuditEventType.CREDIT_REPAIR_DECIDED,
        actor=actor,
        department=repair.record.department,
        target=repair,
        extra={"record": repair.record.record_id, "granted": grant, "reason": reason.strip()},
    )
    return repair


@transaction.atomic
def firm_account_register(*, code: str, pin: str, username: str, password: str) -> FirmAccount:
    """A firm signs up with a code and the PIN of one of its notices: the new account is bound to
    that visit's entity (its USCC) and sees its own page without a code from then on."""
    visit = visit_for_code(code)
    if visit is None:
        raise ValidationError(
            _("检查码无效：请核对通知书上的16位检查码。"), code=FirmSideErrorCode.UNKNOWN_CODE
        )
    _check_pin(visit, pin)
    username = username.strip()
    User = get_user_model()
    if not username or User.objects.filter(username__iexact=username).exists():
        raise ValidationError(
            _("该用户名不可用，请换一个。"), code=FirmSideErrorCode.USERNAME_TAKEN
        )
    user = User(username=username, role=Role.FIRM, full_name=visit.entity.name[:50])
    validate_password(password, user)
    user.set_password(password)
    user.save()
    account = FirmAccount.objects.create(user=user, entity=visit.entity, bound_by_visit=visit)
    audit_event_record(
        event_type=AuditEventType.FIRM_ACCOUNT_BOUND,
        actor=user,
        department=visit.batch.department,
        target=account,
        extra={"entity": visit.entity.key, "batch": visit.batch.number, "visit": visit.visit_id},
    )
    return account
