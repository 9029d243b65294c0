"""The daily job reminds each publisher of a department with results due soon or overdue."""

import pytest
import time_machine
from django.core import mail

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent
from spotcheck.publication.models import PublicationReminder
from spotcheck.publication.tasks import send_publication_reminders

from .helpers import approve, complete_visit


@pytest.fixture
def due_soon(joint_visit, reviewer_li):
    complete_visit(joint_visit, "2026-02-06")  # due 12 March 2026
    approve(joint_visit, "SCJGJ", reviewer_li)
    return joint_visit


@time_machine.travel("2026-03-09 08:00 +0800")
def test_publishers_get_one_reminder_a_day_and_email_where_configured(
    due_soon,
    liaison_zhao,
    reviewer_li,
    inspector_zhang,
    liaison_sun,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.SPOTCHECK_REMINDER_EMAILS = True
    liaison_zhao.email = "zhao@scjgj.example.gov.cn"
    liaison_zhao.save()
    with django_capture_on_commit_callbacks(execute=True):
        send_publication_reminders.call()
    send_publication_reminders.call()  # a second run the same day adds nothing
    reminders = PublicationReminder.objects.order_by("user__username")
    # The market task is due soon; the health department's is due soon too (same visit).
    by_user = {r.user.username: r.message for r in reminders}
    assert set(by_user) == {"liaison_zhao", "reviewer_li", "liaison_sun"}
    task = due_soon.tasks.get(department__code="SCJGJ")
    assert by_user["liaison_zhao"] == (
        f"任务 {task.number} 有 1 条结果须在 2026-03-12 前公示（剩余 3 个工作日）"
    )
    # Only the publisher with an address gets the email; the inspector gets nothing.
    assert [m.to for m in mail.outbox] == [["zhao@scjgj.example.gov.cn"]]
    assert mail.outbox[0].subject == "结果公示期限提醒"
    # one audited run; the second run wrote nothing and left no event
    sent = AuditEvent.objects.filter(event_type=AuditEventType.PUBLICATION_REMINDERS_SENT)
    assert [event.extra["written"] for event in sent] == [3]


@time_machine.travel("2026-12-29 08:00 +0800")
def test_a_missing_calendar_year_is_reminded_to_the_office_too(
    joint_visit, reviewer_li, liaison_zhao, office_admin_wang
):
    complete_visit(joint_visit, "2026-12-28")  # 20 working days run into 2027
    approve(joint_visit, "SCJGJ", reviewer_li)
    send_publication_reminders.call()
    office = PublicationReminder.objects.filter(user=office_admin_wang)
    assert office.count() == 2  # both departments' tasks of the visit
    assert "工作日历中没有2027年" in office.first().message
    assert PublicationReminder.objects.filter(user=liaison_zhao).exists()
