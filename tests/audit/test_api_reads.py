"""Reading a whole list through the API is audited like an export."""

from django.test import Client

from spotcheck.accounts.tokens import api_token_create
from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent


def test_api_list_read_leaves_an_event(liaison_zhao):
    token = api_token_create(user=liaison_zhao, label="对接", scope="read")
    api = Client(headers={"Authorization": f"Bearer {token}"})
    assert api.get("/api/entities", {"credit_class": "D", "page": 2}).status_code in (200, 404)
    event = AuditEvent.objects.get(event_type=AuditEventType.API_LIST_READ)
    assert event.actor == liaison_zhao and event.department == liaison_zhao.department
    assert event.target_id == "entities"
    assert event.extra["query"] == {"credit_class": "D", "page": "2"}
