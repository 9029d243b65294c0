"""Leads: registered on an entity, acted on at once as a targeted check (a directed task and a
batch the normal draw staffs), or grouped into one special draw task."""

import re
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent
from spotcheck.draws.models import BatchStatus, DrawBatch
from spotcheck.draws.services import batch_commit, batch_request_draw
from spotcheck.inspections.leads import lead_act, lead_group, lead_register
from spotcheck.inspections.models import Lead, LeadStatus
from spotcheck.plans.models import TaskStatus
from tests.draw_fixtures import ceremony_time
from tests.factories import EntityFactory, make_item
from tests.queue import run_queued_tasks

START, END = date(2026, 12, 1), date(2026, 12, 31)


@pytest.fixture
def key_item(market_dept):
    item = make_item(market_dept, code="SC-101", name="食品经营许可事项检查", kind="key")
    item.current_version.expertise = "食品安全"
    item.current_version.save()
    return item.current_version


@pytest.fixture
def complaint(district, liaison_zhao) -> Lead:
    return lead_register(
        actor=liaison_zhao,
        entity=district[0],
        source="complaint",
        description="群众投诉销售过期食品",
    )


def test_a_lead_is_numbered_by_region_year_and_sequence(complaint, district, inspector_zhang):
    year = timezone.localdate().year
    assert complaint.number == f"110101-{year}-L0001"
    second = lead_register(
        actor=inspector_zhang, entity=district[1], source="monitoring", description="监测异常"
    )
    assert second.number == f"110101-{year}-L0002"
    assert AuditEvent.objects.filter(event_type=AuditEventType.LEAD_REGISTERED).count() == 2


def test_a_lead_needs_its_content(district, liaison_zhao):
    with pytest.raises(ValidationError, match="请填写线索内容"):
        lead_register(actor=liaison_zhao, entity=district[0], source="referral", description="")


def test_acting_on_a_lead_makes_a_targeted_task_and_a_batch_the_draw_staffs(
    complaint, key_item, liaison_zhao, draws_root, django_capture_on_commit_callbacks
):
    # when the department acts on the lead at once
    task, batch = lead_act(
        actor=liaison_zhao,
        lead=complaint,
        items=[key_item],
        planned_start=START,
        planned_end=END,
        randomness_source="两名见证人掷骰子",
        randomness_due=ceremony_time(),
    )
    # then a directed task over the one entity (1 of 1: 100%) sits in a batch ready to commit
    assert task.directed and task.status == TaskStatus.READY
    assert task.population_filter == {"entity_keys": [complaint.entity.key]}
    assert (task.design_mode, task.design_values) == ("count", {"*": 1})
    assert list(task.items.all()) == [key_item]
    assert batch.status == BatchStatus.DRAFT and list(batch.tasks.all()) == [task]
    complaint.refresh_from_db()
    assert complaint.status == LeadStatus.IN_CHECK and complaint.task == task
    acted = AuditEvent.objects.get(event_type=AuditEventType.LEAD_ACTED)
    assert acted.extra == {"action": "targeted_check", "task": task.number, "batch": batch.number}
    # and the normal draw staffs the check with randomly drawn inspectors
    batch_commit(actor=liaison_zhao, batch=batch)
    with django_capture_on_commit_callbacks(execute=True):
        batch_request_draw(actor=liaison_zhao, batch=batch, randomness="271828", witnesses="张三")
    run_queued_tasks()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DRAWN, batch.failure
    (visit,) = batch.visits.all()
    assert visit.entity == complaint.entity
    assert visit.team.filter(department__code="SCJGJ").count() >= 2


def test_a_lead_is_acted_on_once_and_only_by_liaison_or_reviewer(
    complaint, key_item, liaison_zhao, inspector_zhang
):
    arguments = {
        "items": [key_item],
        "planned_start": START,
        "planned_end": END,
        "randomness_source": "骰子",
        "randomness_due": ceremony_time(),
    }
    with pytest.raises(PermissionDenied):
        lead_act(actor=inspector_zhang, lead=complaint, **arguments)
    lead_act(actor=liaison_zhao, lead=complaint, **arguments)
    with pytest.raises(ValidationError, match="已转检查"):
        lead_act(actor=liaison_zhao, lead=complaint, **arguments)


def test_acting_through_the_page_leads_to_the_batch(complaint, key_item, liaison_zhao, client_for):
    response = client_for(liaison_zhao).post(
        f"/inspections/leads/{complaint.pk}/act/",
        {
            "items": [key_item.pk],
            "planned_start": "2026-12-01",
            "planned_end": "2026-12-31",
            "randomness_source": "骰子",
            "randomness_due": "2026-11-30T10:00",
        },
    )
    batch = DrawBatch.objects.get()
    assert response.status_code == 302 and response.url == f"/draws/{batch.pk}/"


def test_another_department_does_not_see_the_lead(complaint, liaison_sun, client_for):
    assert client_for(liaison_sun).get(f"/inspections/leads/{complaint.pk}/").status_code == 404


def test_registering_through_the_page(district, inspector_zhang, client_for):
    client = client_for(inspector_zhang)
    page = client.get(f"/inspections/leads/new/?entity={district[2].key}")
    assert district[2].key in page.content.decode()
    response = client.post(
        "/inspections/leads/new/",
        {"entity_key": district[2].key, "source": "referral", "description": "上级交办"},
    )
    lead = Lead.objects.get()
    assert response.status_code == 302 and lead.entity == district[2]
    unknown = client.post(
        "/inspections/leads/new/",
        {"entity_key": "91110000000000000X", "source": "referral", "description": "上级交办"},
    )
    assert "本部门监管的检查对象中没有该主体" in unknown.content.decode()


@pytest.fixture
def three_leads(district, liaison_zhao) -> list[Lead]:
    return [
        lead_register(actor=liaison_zhao, entity=entity, source="complaint", description="同类投诉")
        for entity in district[:3]
    ]


def test_grouped_leads_become_one_task_over_their_entities(three_leads, key_item, liaison_zhao):
    task = lead_group(
        actor=liaison_zhao,
        leads=three_leads,
        items=[key_item],
        mode="count",
        value="2",
        name="过期食品专项抽查",
        planned_start=START,
        planned_end=END,
    )
    assert task.directed and task.design_values == {"*": 2}
    assert task.population_filter == {
        "entity_keys": sorted(lead.entity.key for lead in three_leads)
    }
    assert set(Lead.objects.values_list("status", "task")) == {(LeadStatus.IN_CHECK, task.pk)}
    assert AuditEvent.objects.filter(event_type=AuditEventType.LEAD_ACTED).count() == 3


def test_grouping_keeps_the_directed_minimum(three_leads, key_item, liaison_zhao):
    with pytest.raises(ValidationError, match=re.escape("定向抽查比例为 0.0%，低于最低比例 10.0%")):
        lead_group(
            actor=liaison_zhao,
            leads=three_leads,
            items=[key_item],
            mode="count",
            value="0",
            name="专项",
            planned_start=START,
            planned_end=END,
        )
    assert not Lead.objects.exclude(status=LeadStatus.REGISTERED).exists()


def test_grouping_needs_two_leads_of_one_department(
    three_leads, key_item, liaison_zhao, liaison_sun, health_dept, office_admin_wang
):
    arguments = {
        "items": [key_item],
        "mode": "ratio",
        "value": "0.5",
        "name": "专项",
        "planned_start": START,
        "planned_end": END,
    }
    with pytest.raises(ValidationError, match="请至少选择两条线索"):
        lead_group(actor=liaison_zhao, leads=three_leads[:1], **arguments)
    health_entity = EntityFactory(departments=[health_dept])
    other = lead_register(
        actor=liaison_sun, entity=health_entity, source="complaint", description="卫生投诉"
    )
    with pytest.raises(ValidationError, match="只能合并同一部门登记的线索"):
        lead_group(actor=office_admin_wang, leads=[three_leads[0], other], **arguments)


def test_grouping_through_the_page(three_leads, key_item, liaison_zhao, client_for):
    response = client_for(liaison_zhao).post(
        "/inspections/leads/group/",
        {
            "leads": [lead.pk for lead in three_leads[:2]],
            "name": "专项抽查",
            "items": [key_item.pk],
            "mode": "ratio",
            "value": "1",
            "planned_start": "2026-12-01",
            "planned_end": "2026-12-31",
        },
    )
    assert response.status_code == 302, response.content.decode()
    task = Lead.objects.get(pk=three_leads[0].pk).task
    assert response.url == f"/plans/tasks/{task.pk}/"
    assert len(task.population_filter["entity_keys"]) == 2


def test_the_list_offers_grouping_to_the_liaison_only(
    three_leads, liaison_zhao, inspector_zhang, client_for
):
    page = client_for(liaison_zhao).get("/inspections/leads/").content.decode()
    assert all(lead.number in page for lead in three_leads)
    assert 'id="group-form"' in page
    inspector_page = client_for(inspector_zhang).get("/inspections/leads/").content.decode()
    assert three_leads[0].number in inspector_page and 'id="group-form"' not in inspector_page
