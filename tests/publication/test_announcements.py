"""The pre-check announcement: after the draw, the task's department publishes the entities to
be checked and the items; citizens read it without logging in."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent
from spotcheck.publication.services.announcements import announcement_publish
from tests.draw_fixtures import flashed


@pytest.fixture
def market_task(joint_visit):
    return joint_visit.tasks.get(department__code="SCJGJ")


def test_the_department_announces_its_drawn_task_and_the_public_reads_it(
    market_task, client_for, liaison_zhao
):
    response = client_for(liaison_zhao).post(
        reverse("publication:announcement_publish", args=[market_task.pk]), follow=True
    )
    assert flashed(response) == ["已在公开网站发布拟检查公告"]
    assert AuditEvent.objects.filter(event_type=AuditEventType.ANNOUNCEMENT_PUBLISHED).count() == 1
    index = Client().get(reverse("public:announcements")).content.decode()
    assert market_task.name in index
    page = Client().get(reverse("public:announcement_detail", args=[market_task.number]))
    text = page.content.decode()
    assert "餐饮服务提供者监督检查" in text
    visit = market_task.visits.order_by("entity__name").first()
    assert visit.entity.uscc in text
    assert "信用" not in text.replace("统一社会信用代码", "")  # no credit class
    with pytest.raises(ValidationError, match="已发布"):
        announcement_publish(actor=liaison_zhao, task=market_task)


def test_only_the_tasks_department_announces(market_task, liaison_sun, office_admin_wang):
    for outsider in (liaison_sun, office_admin_wang):
        with pytest.raises(PermissionDenied):
            announcement_publish(actor=outsider, task=market_task)
    assert (
        Client().get(reverse("public:announcement_detail", args=[market_task.number])).status_code
        == 404
    )
