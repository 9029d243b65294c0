"""Recomputation reads the record, keeps reason, rule version and history, goes through the
owner-checked directory service as the system actor, and never overwrites an owner's override."""

from datetime import date
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent
from spotcheck.credit.models import CreditAssessment, CreditChangeSource, CreditClassChange
from spotcheck.credit.services import credit_override_clear, credit_override_set, credit_recompute
from spotcheck.directory.errors import RegistrationOwnedError
from spotcheck.directory.models import MarketEntity
from spotcheck.inspections.leads import lead_register
from tests.factories import EntityFactory
from tests.inspections.test_followups import approve

OLD = date(2015, 6, 1)


@pytest.fixture
def quiet_firm(market_dept):
    return EntityFactory(credit_class="B", established_on=OLD, departments=[market_dept])


def test_recompute_classifies_from_the_record_with_reason_version_and_history(quiet_firm):
    # given a long-established firm with nothing on record, filed as B
    # when the classes are recomputed
    run = credit_recompute()
    # then it is A, with the reason and rule version kept, and the change in its history
    quiet_firm.refresh_from_db()
    assert quiet_firm.credit_class == "A"
    assessment = CreditAssessment.objects.get(entity=quiet_firm)
    assert (assessment.rule_version, assessment.reason) == ("2026.1", "无风险记录；合计0分，A类")
    change = CreditClassChange.objects.get(entity=quiet_firm)
    assert (change.old_class, change.new_class, change.source) == ("B", "A", "rules")
    assert run.counts["A"] == 1 and run.changed == 1
    # the shared record's own history names the reason, written by nobody (the system)
    latest = quiet_firm.history.first()
    assert (latest.credit_class, latest.history_user) == ("A", None)
    assert latest.history_change_reason.endswith("A类")
    types = set(AuditEvent.objects.values_list("event_type", flat=True))
    assert {AuditEventType.ENTITY_CREDIT_CLASSES_APPLIED, AuditEventType.CREDIT_RECOMPUTED} <= types


def test_a_second_run_with_nothing_new_changes_nothing(quiet_firm):
    credit_recompute()
    run = credit_recompute()
    assert run.changed == 0
    assert CreditClassChange.objects.count() == 1


def test_an_approved_problem_result_raises_the_class(joint_visit, reviewer_li):
    # given a drawn firm, long established, whose market result found a problem
    entity = joint_visit.entity
    MarketEntity.objects.filter(pk=entity.pk).update(established_on=OLD, industry_code="5212")
    approve(joint_visit, "SCJGJ", reviewer_li, "follow_up")
    # when recomputed: one problem visit (3) and its open follow-up (1) → C
    credit_recompute()
    entity.refresh_from_db()
    assert entity.credit_class == "C"
    assessment = CreditAssessment.objects.get(entity=entity)
    assert [f["rule"] for f in assessment.factors] == ["problem_visit", "open_follow_up"]


def test_a_lead_acted_on_counts_but_a_registered_one_does_not(quiet_firm, liaison_zhao):
    lead_register(actor=liaison_zhao, entity=quiet_firm, source="complaint", description="无证经营")
    credit_recompute()
    quiet_firm.refresh_from_db()
    assert quiet_firm.credit_class == "A"


def test_an_owners_override_sticks_until_cleared(quiet_firm, liaison_zhao):
    # given the registration department sets D with a reason
    credit_override_set(
        actor=liaison_zhao, entity=quiet_firm, credit_class="D", reason="法院判决认定严重违法"
    )
    # when the monthly job runs, the override stands
    run = credit_recompute()
    quiet_firm.refresh_from_db()
    assert quiet_firm.credit_class == "D"
    assert run.counts["D"] == 1
    assessment = CreditAssessment.objects.get(entity=quiet_firm)
    assert (assessment.computed_class, assessment.override_class) == ("A", "D")
    # and clearing it returns the computed class, audited with its reason
    credit_override_clear(actor=liaison_zhao, entity=quiet_firm, reason="判决撤销")
    quiet_firm.refresh_from_db()
    assert quiet_firm.credit_class == "A"
    sources = list(
        CreditClassChange.objects.filter(entity=quiet_firm)
        .order_by("pk")
        .values_list("source", flat=True)
    )
    assert sources == [CreditChangeSource.OVERRIDE, CreditChangeSource.OVERRIDE_CLEARED]
    cleared = AuditEvent.objects.get(event_type=AuditEventType.CREDIT_OVERRIDE_CLEARED)
    assert cleared.extra["reason"] == "判决撤销" and cleared.actor == liaison_zhao


def test_only_owners_override_and_always_with_a_reason(quiet_firm, liaison_sun, liaison_zhao):
    with pytest.raises(RegistrationOwnedError):
        credit_override_set(actor=liaison_sun, entity=quiet_firm, credit_class="A", reason="x")
    with pytest.raises(ValidationError, match="必须填写理由"):
        credit_override_set(actor=liaison_zhao, entity=quiet_firm, credit_class="A", reason=" ")
    quiet_firm.refresh_from_db()
    assert quiet_firm.credit_class == "B"
    assert not AuditEvent.objects.filter(event_type=AuditEventType.CREDIT_OVERRIDE_SET).exists()


def test_command_prints_the_counts_per_class(market_dept):
    EntityFactory(established_on=OLD)
    EntityFactory(established_on=None)
    EntityFactory(established_on=OLD, abnormal_listed=True)
    out = StringIO()
    call_command("credit", "recompute", stdout=out)
    assert out.getvalue().splitlines()[0] == "classes: A 1, B 1, C 1, D 0"


def test_monthly_run_is_queued_once_for_the_first_of_next_month(db):
    from datetime import datetime

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from spotcheck.credit.tasks import monthly_recompute_schedule

    now = timezone.make_aware(datetime(2026, 12, 15, 9, 0))
    when = monthly_recompute_schedule(now)
    assert timezone.localtime(when) == timezone.make_aware(datetime(2027, 1, 1, 2, 0))
    # asked again (a second deploy, the job itself): still one waiting run
    assert monthly_recompute_schedule(now) == when
    assert DBTaskResult.objects.filter(task_path__endswith="recompute_credit_classes").count() == 1


def test_the_monthly_run_queues_the_next(quiet_firm):
    from django_tasks_db.models import DBTaskResult

    from spotcheck.credit.tasks import recompute_credit_classes

    assert recompute_credit_classes.call(trigger="monthly").startswith("classes: A 1")
    assert DBTaskResult.objects.filter(status="READY").count() == 1
