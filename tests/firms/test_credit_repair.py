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


def _grant(repair, liaison_zhao, client_for):
    client_for(liaison_zhao).post(
        reverse("firms:credit_repair_decide", args=[repair.pk]),
        {"decision": "grant", "reason": "整改到位，准予修复"},
    )


def test_a_granted_repair_withdraws_the_record_from_the_portal_and_the_public_api(
    joint_visit, negative_record, liaison_zhao, client_for
):
    """信用修复后停止公示: the record no longer shows as a current negative record anywhere public."""
    uscc = joint_visit.entity.uscc
    portal = Client().get(reverse("public:results"), {"q": uscc}).content.decode()
    assert negative_record.record_id in portal
    api = Client().get("/api/public/results", {"q": uscc}).json()["items"]
    assert [r["record_id"] for r in api] == [negative_record.record_id]

    ask_repair(joint_visit, negative_record)
    _grant(CreditRepairRequest.objects.get(), liaison_zhao, client_for)

    portal = Client().get(reverse("public:results"), {"q": uscc}).content.decode()
    assert negative_record.record_id not in portal
    assert Client().get("/api/public/results", {"q": uscc}).json()["count"] == 0
    detail = Client().get(reverse("public:result_detail", args=[negative_record.record_id]))
    assert detail.status_code == 404
    entity_page = Client().get(reverse("public:entity", args=[uscc])).content.decode()
    assert negative_record.record_id not in entity_page
    event = AuditEvent.objects.get(event_type=AuditEventType.CREDIT_REPAIR_WITHDRAWN)
    assert event.extra["record"] == negative_record.record_id
    # the firm still sees it on its own page, marked, and may not ask again
    page = Client().get(reverse("firms:firm", args=[format_access_code(joint_visit.access_code)]))
    assert "已信用修复，停止公示" in page.content.decode()
    again = ask_repair(joint_visit, negative_record)
    assert flashed(again) == ["只能对本企业已公示的、发现问题的检查结果申请信用修复。"]


def test_a_refused_repair_leaves_the_record_public(
    joint_visit, negative_record, liaison_zhao, client_for
):
    ask_repair(joint_visit, negative_record)
    repair = CreditRepairRequest.objects.get()
    client_for(liaison_zhao).post(
        reverse("firms:credit_repair_decide", args=[repair.pk]),
        {"decision": "refuse", "reason": "整改材料不全"},
    )
    api = Client().get("/api/public/results", {"q": joint_visit.entity.uscc}).json()["items"]
    assert [r["record_id"] for r in api] == [negative_record.record_id]


def test_the_national_export_reports_the_withdrawal_once(
    joint_visit, negative_record, liaison_zhao, market_dept, client_for
):
    import json
    from datetime import date

    from django.utils import timezone

    from spotcheck.publication.services.national_export import national_export_create

    period = {"start": date(2026, 1, 1), "end": max(date(2026, 12, 31), timezone.localdate())}
    first = national_export_create(actor=liaison_zhao, department=market_dept, fmt="json", **period)
    assert json.loads(first.content)["records"][0]["operation"] == "new"
    ask_repair(joint_visit, negative_record)
    _grant(CreditRepairRequest.objects.get(), liaison_zhao, client_for)
    second = national_export_create(
        actor=liaison_zhao, department=market_dept, fmt="json", **period
    )
    [entry] = json.loads(second.content)["records"]
    assert (entry["record_id"], entry["operation"]) == (negative_record.record_id, "withdraw")
    assert entry["withdrawn_on"] == timezone.localdate().isoformat()
    third = national_export_create(actor=liaison_zhao, department=market_dept, fmt="json", **period)
    assert json.loads(third.content)["records"] == []
