"""Batches are added to a plan through an audited service, never to a submitted or published one."""

import pytest
from django.urls import reverse

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent
from spotcheck.plans.models import PlanBatch, PlanStatus
from spotcheck.plans.services import plan_create


@pytest.fixture
def plan(liaison_zhao, market_dept):
    return plan_create(actor=liaison_zhao, department=market_dept, year=2026, name="2026年度计划")


def _batch_post(item) -> dict:
    return {
        "name": "第一批",
        "items": [item.current_version.pk],
        "scope": "全区",
        "count": "10",
        "start_month": "3",
        "end_month": "5",
    }


def test_liaison_adds_a_batch_to_a_draft_plan_audited(plan, key_item, liaison_zhao, client_for):
    response = client_for(liaison_zhao).post(
        reverse("plans:plan_detail", args=[plan.pk]), _batch_post(key_item)
    )
    assert response.status_code == 302
    batch = PlanBatch.objects.get(plan=plan)
    event = AuditEvent.objects.get(event_type=AuditEventType.PLAN_BATCH_ADDED)
    assert event.actor == liaison_zhao and event.target_id == str(batch.pk)
    assert event.extra["plan"] == plan.number


@pytest.mark.parametrize("status", [PlanStatus.SUBMITTED, PlanStatus.FILED, PlanStatus.PUBLISHED])
def test_no_batch_is_added_once_the_plan_left_draft(
    plan, key_item, liaison_zhao, office_admin_wang, client_for, status
):
    plan.status = status
    plan.save()
    for user in (liaison_zhao, office_admin_wang):
        response = client_for(user).post(
            reverse("plans:plan_detail", args=[plan.pk]), _batch_post(key_item)
        )
        assert response.status_code == 200
        assert "修改已公示的计划须发布新版本并说明原因" in response.content.decode()
    assert not PlanBatch.objects.exists()
    assert not AuditEvent.objects.filter(event_type=AuditEventType.PLAN_BATCH_ADDED).exists()


def test_another_department_cannot_add_a_batch(plan, key_item, liaison_sun, client_for):
    response = client_for(liaison_sun).post(
        reverse("plans:plan_detail", args=[plan.pk]), _batch_post(key_item)
    )
    assert response.status_code in (403, 404)
    assert not PlanBatch.objects.exists()
