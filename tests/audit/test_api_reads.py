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


def _list_operations():
    from spotcheck.api.main import api

    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                model = operation.response_models.get(200)
                if "GET" not in operation.methods or model is None:
                    continue
                answer = model.model_fields["response"].annotation
                paged = hasattr(operation.view_func, "_ninja_contribute_args")
                cursor_paged = "next_cursor" in getattr(answer, "model_fields", {})
                if paged or cursor_paged or getattr(answer, "__origin__", None) is list:
                    yield f"{prefix}{path}", operation.view_func


def test_every_list_operation_is_audited():
    operations = list(_list_operations())
    assert len(operations) >= 6
    # /public/… serves what is published to everyone, anonymously: nothing to account for
    internal = [(path, view) for path, view in operations if not path.startswith("/public")]
    silent = [path for path, view in internal if not hasattr(view, "audited_list")]
    assert not silent, "API lists read without an audit event: " + ", ".join(silent)
