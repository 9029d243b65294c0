"""The firm's own page (through its code) and credit repair (信用修复) of a negative record."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent
from spotcheck.draws.publication import format_access_code
from spotcheck.firms.models import CreditRepairRequest, CreditRepairStatus
from tests.draw_fixtures import flashed
from tests.firms.printed import printed_pin
from tests.publication.helpers import record_for


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()


def market_task(visit):
    return next(t for t in visit.tasks.all() if t.department.code == "SCJGJ")


@pytest.fixture
def negative_record(joint_visit, liaison_zhao):
    return record_for(
        joint_visit,
        market_task(joint_visit),
        liaison_zhao,
        published_on="2026-06-01",
        codes=("corrected",),
    )


def ask_repair(visit, record, correction="已按要求整改并提交整改报告"):
    return Client().post(
        reverse("firms:credit_repair", args=[format_access_code(visit.access_code)]),
        {"pin": printed_pin(visit), "record": record.pk, "correction": correction},
        follow=True,
    )


def test_the_firm_page_lists_its_checks_and_published_records(joint_visit, negative_record):
    page = Client().get(reverse("firms:firm", args=[format_access_code(joint_visit.access_code)]))
    text = page.content.decode()
    assert joint_visit.visit_id in text
    assert "发现问题已责令改正" in text
    assert "整改后申请信用修复" in text


def test_a_repair_request_reaches_the_department_which_decides_with_a_reason(
    joint_visit, negative_record, liaison_zhao, client_for
):
    response = ask_repair(joint_visit, negative_record)
    assert flashed(response) == ["信用修复申请已提交，由作出公示的部门决定。"]
    repair = CreditRepairRequest.objects.get()
    client = client_for(liaison_zhao)
    assert "已按要求整改" in client.get(reverse("firms:credit_repairs")).content.decode()
    # a decision without a reason is refused
    client.post(reverse("firms:credit_repair_decide", args=[repair.pk]), {"decision": "grant"})
    repair.refresh_from_db()
    assert repair.status == CreditRepairStatus.PENDING
    client.post(
        reverse("firms:credit_repair_decide", args=[repair.pk]),
        {"decision": "grant", "reason": "整改材料齐全，经核查属实"},
    )
    repair.refresh_from_db()
    assert (repair.status, repair.decided_by) == (CreditRepairStatus.GRANTED, liaison_zhao)
    types = set(
        AuditEvent.objects.filter(
            event_type__in=[
                AuditEventType.CREDIT_REPAIR_REQUESTED,
                AuditEventType.CREDIT_REPAIR_DECIDED,
            ]
        ).values_list("event_type", flat=True)
    )
    assert types == {AuditEventType.CREDIT_REPAIR_REQUESTED, AuditEventType.CREDIT_REPAIR_DECIDED}


def test_another_department_cannot_see_or_decide_it(
    joint_visit, negative_record, liaison_sun, client_for
):
    ask_repair(joint_visit, negative_record)
    repair = CreditRepairRequest.objects.get()
    client = client_for(liaison_sun)
    assert "已按要求整改" not in client.get(reverse("firms:credit_repairs")).content.decode()
    response = client.post(
        reverse("firms:credit_repair_decide", args=[repair.pk]),
        {"decision": "grant", "reason": "x"},
    )
    assert response.status_code == 404


def test_a_record_without_a_problem_cannot_be_repaired(joint_visit, liaison_zhao):
    clean = record_for(
        joint_visit, market_task(joint_visit), liaison_zhao, published_on="2026-06-01"
    )
    response = ask_repair(joint_visit, clean)
    assert flashed(response) == ["只能对本企业已公示的、发现问题的检查结果申请信用修复。"]
    assert not CreditRepairRequest.objects.exists()


def test_one_pending_request_per_record(joint_visit, negative_record):
    ask_repair(joint_visit, negative_record)
    response = ask_repair(joint_visit, negative_record)
    assert flashed(response) == ["该检查结果已有待决定的信用修复申请。"]
    assert CreditRepairRequest.objects.count() == 1
