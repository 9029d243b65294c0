"""The daily deadline reminder: each publisher of a department with a task due soon or overdue
gets one in-app reminder a day, and an email where the district turned email on."""

from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from spotcheck.accounts.models import Role
from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.services import audit_event_record

from ..deadlines import DeadlineState, task_deadline_list
from ..models import PublicationReminder
from ..rules import PUBLISHER_ROLES

WORTH_A_REMINDER = (DeadlineState.OVERDUE, DeadlineState.DUE_SOON, DeadlineState.NO_CALENDAR)


class _EveryDepartment:
    """The job reads as the office would: every department's tasks."""

    is_authenticated = True
    is_office = True


def _message(row) -> str:
    if row.state == DeadlineState.NO_CALENDAR:
        return _("任务 %(task)s：%(error)s") % {"task": row.task.number, "error": row.error}
    if row.state == DeadlineState.OVERDUE:
        return _("任务 %(task)s 有 %(n)d 条结果已超过公示期限（%(due)s），请尽快公示") % {
            "task": row.task.number,
            "n": row.open,
            "due": row.next_due,
        }
    return _("任务 %(task)s 有 %(n)d 条结果须在 %(due)s 前公示（剩余 %(left)d 个工作日）") % {
        "task": row.task.number,
        "n": row.open,
        "due": row.next_due,
        "left": row.days_left,
    }


@transaction.atomic
def reminders_send(*, today: date) -> int:
    """Reminders written today (none twice for the same user, task and day)."""
    users = get_user_model().objects.filter(is_active=True)
    publishers = users.filter(role__in=PUBLISHER_ROLES)
    office = list(users.filter(role=Role.OFFICE_ADMIN))
    written = 0
    for row in task_deadline_list(user=_EveryDepartment(), today=today):
        if row.state not in WORTH_A_REMINDER:
            continue
        message = _message(row)
        recipients = list(publishers.filter(department=row.task.department_id))
        if row.state == DeadlineState.NO_CALENDAR:
            recipients += office  # only the office can add the missing year
        for user in recipients:
            _reminder, created = PublicationReminder.objects.get_or_create(
                user=user, task=row.task, day=today, defaults={"message": message}
            )
            written += created
            if created and user.email and settings.SPOTCHECK_REMINDER_EMAILS:
                transaction.on_commit(
                    lambda to=user.email, text=message: send_mail(
                        _("结果公示期限提醒"), text, None, [to]
                    )
                )
    if written:
        audit_event_record(
            event_type=AuditEventType.PUBLICATION_REMINDERS_SENT,
            target_type="publication.reminders",
            target_id=today.isoformat(),
            extra={"written": written},
        )
    return written
