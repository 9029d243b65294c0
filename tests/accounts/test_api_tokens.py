"""API tokens have a scope and an expiry, are revocable by their owner and the office, audited."""

from datetime import timedelta

import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from spotcheck.accounts.models import ApiToken
from spotcheck.accounts.tokens import api_token_create
from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent

BATCH = {"name": "x", "task_ids": [], "randomness_source": "骰子"}


def _api(token: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {token}"})


def test_bad_token_gets_401_json_even_on_post(db):
    # before, a POST with a bad token fell through to the session check: 403 "CSRF"
    for response in (
        _api("sc_nope").get("/api/entities"),
        _api("sc_nope").post("/api/batches", BATCH, content_type="application/json"),
    ):
        assert response.status_code == 401
        assert response.json() == {
            "code": "unauthorized",
            "messages": ["API令牌无效、已过期或已吊销"],
        }


def test_anonymous_gets_401_json(client, db):
    response = client.get("/api/entities")
    assert response.status_code == 401 and response.json()["code"] == "unauthorized"


def test_read_token_reads_but_may_not_write(liaison_zhao):
    api = _api(api_token_create(user=liaison_zhao, label="报表", scope="read"))
    assert api.get("/api/entities").status_code == 200
    response = api.post("/api/batches", BATCH, content_type="application/json")
    assert response.status_code == 403
    assert response.json() == {"code": "forbidden", "messages": ["只读令牌不能执行写操作"]}


def test_expired_token_gets_401(liaison_zhao):
    token = api_token_create(user=liaison_zhao, label="短期", scope="read", days=1)
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert _api(token).get("/api/entities").status_code == 401


def test_user_creates_lists_and_revokes_own_token(liaison_zhao, client_for):
    client = client_for(liaison_zhao)
    response = client.post(
        reverse("accounts:token_list"), {"label": "数据对接", "scope": "read", "days": "30"}
    )
    page = response.content.decode()
    token = ApiToken.objects.get()
    assert token.scope == "read" and token.label == "数据对接"
    shown = page.split("<code>")[1].split("</code>")[0]
    assert _api(shown).get("/api/entities").status_code == 200
    created = AuditEvent.objects.get(event_type=AuditEventType.API_TOKEN_CREATED)
    assert created.actor == liaison_zhao and created.extra["scope"] == "read"
    assert shown not in str(created.extra)
    # when he revokes it, the token stops working at once and the revocation is audited
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert _api(shown).get("/api/entities").status_code == 401
    revoked = AuditEvent.objects.get(event_type=AuditEventType.API_TOKEN_REVOKED)
    assert revoked.actor == liaison_zhao and revoked.target_id == str(token.pk)


def test_office_sees_and_revokes_everyones_token(liaison_zhao, office_admin_wang, client_for):
    token = api_token_create(user=liaison_zhao, label="对接", scope="write")
    client = client_for(office_admin_wang)
    assert "liaison_zhao" in client.get(reverse("accounts:token_list")).content.decode()
    client.post(reverse("accounts:token_revoke", args=[ApiToken.objects.get().pk]))
    assert _api(token).get("/api/entities").status_code == 401
    event = AuditEvent.objects.get(event_type=AuditEventType.API_TOKEN_REVOKED)
    assert event.actor == office_admin_wang


def test_others_neither_see_nor_revoke_a_token(liaison_zhao, liaison_sun, client_for):
    token = api_token_create(user=liaison_zhao, label="对接")
    client = client_for(liaison_sun)
    assert "对接" not in client.get(reverse("accounts:token_list")).content.decode()
    pk = ApiToken.objects.get().pk
    assert client.post(reverse("accounts:token_revoke", args=[pk])).status_code == 404
    assert _api(token).get("/api/entities").status_code == 200


def test_command_creates_scoped_expiring_token(liaison_zhao, capsys):
    call_command("api_token", "liaison_zhao", "--scope", "read", "--days", "7")
    token = capsys.readouterr().out.strip()
    stored = ApiToken.objects.get()
    assert stored.scope == "read"
    assert timedelta(days=6) < stored.expires_at - timezone.now() <= timedelta(days=7)
    assert _api(token).get("/api/entities").status_code == 200
