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


@pytest.fixture
def published_plan(plan, key_item, liaison_zhao):
    from spotcheck.plans.services import plan_batch_add

    plan_batch_add(
        actor=liaison_zhao,
        plan=plan,
        items=[key_item.current_version],
        name="第一批",
        start_month=3,
        end_month=5,
    )
    plan.status = PlanStatus.PUBLISHED
    plan.published_at = plan.created_at
    plan.save()
    return plan


def test_a_published_plan_changes_by_a_new_version_with_a_reason(
    published_plan, liaison_zhao, client_for, client
):
    url = reverse("plans:plan_revise", args=[published_plan.pk])
    # without a reason nothing happens
    page = client_for(liaison_zhao).post(url, {"reason": " "}, follow=True).content.decode()
    assert "修订已公示的计划须说明原因" in page
    assert published_plan.__class__.objects.count() == 1
    # with a reason a new draft version with the same batches starts, audited
    response = client_for(liaison_zhao).post(url, {"reason": "增加第二批次"})
    revision = published_plan.__class__.objects.get(supersedes=published_plan)
    assert response["Location"] == reverse("plans:plan_detail", args=[revision.pk])
    assert revision.status == PlanStatus.DRAFT and revision.revision_reason == "增加第二批次"
    assert [b.name for b in revision.batches.all()] == ["第一批"]
    event = AuditEvent.objects.get(event_type=AuditEventType.PLAN_REVISED)
    assert event.extra["supersedes"] == published_plan.number
    assert event.extra["reason"] == "增加第二批次"
    # the public keeps seeing the published version until the new one is published
    assert published_plan.number in client.get(reverse("public:plans")).content.decode()
    revision.status, revision.published_at = PlanStatus.PUBLISHED, revision.created_at
    revision.save()
    public = client.get(reverse("public:plans")).content.decode()
    assert revision.number in public and published_plan.number not in public


def test_another_department_cannot_revise(published_plan, liaison_sun, client_for):
    url = reverse("plans:plan_revise", args=[published_plan.pk])
    assert client_for(liaison_sun).post(url, {"reason": "x"}).status_code in (403, 404)
    assert not AuditEvent.objects.filter(event_type=AuditEventType.PLAN_REVISED).exists()
