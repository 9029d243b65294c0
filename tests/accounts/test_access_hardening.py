"""Lockout, password rules, idle sessions and no caching of signed-in pages."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent

PASSWORD = "Dongcheng-Liaison-2026"


@pytest.fixture
def zhao_with_password(liaison_zhao):
    liaison_zhao.set_password(PASSWORD)
    liaison_zhao.save()
    return liaison_zhao


def _login(client, password):
    return client.post(
        reverse("accounts:login"), {"username": "liaison_zhao", "password": password}
    )


def test_the_31st_correct_password_after_30_wrong_is_refused(zhao_with_password):
    # before: 30 wrong passwords were accepted and the 31st, correct, logged in
    client = Client()
    for _ in range(30):
        _login(client, "guess")
    response = _login(client, PASSWORD)
    assert response.status_code == 429
    assert "账号已暂时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(event_type=AuditEventType.LOGIN_LOCKED_OUT).exists()


def test_a_few_typos_do_not_lock(zhao_with_password):
    client = Client()
    for _ in range(3):
        _login(client, "typo")
    assert _login(client, PASSWORD).status_code == 302


@pytest.mark.parametrize("weak", ["12345678901234", "password1234", "liaison_zhao1", "短密码"])
def test_weak_passwords_are_refused(liaison_zhao, weak):
    with pytest.raises(ValidationError):
        validate_password(weak, user=liaison_zhao)


def test_session_ends_after_idle_time_and_activity_extends_it(zhao_with_password):
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _login(client, PASSWORD)
    # 25 minutes later he is still signed in, and that request restarts the 30 minutes
    with time_machine.travel(start + timedelta(minutes=25), tick=False):
        assert client.get(reverse("directory:entity_list")).status_code == 200
    with time_machine.travel(start + timedelta(minutes=50), tick=False):
        assert client.get(reverse("directory:entity_list")).status_code == 200
    # 31 idle minutes later the session is over
    with time_machine.travel(start + timedelta(minutes=81), tick=False):
        response = client.get(reverse("directory:entity_list"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_signed_in_pages_are_never_cached(liaison_zhao, client_for, client):
    response = client_for(liaison_zhao).get(reverse("directory:entity_list"))
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    # the public portal stays cacheable
    assert "no-store" not in client.get(reverse("public:plans")).get("Cache-Control", "")


def test_api_answers_to_tokens_are_never_cached(liaison_zhao):
    from spotcheck.accounts.tokens import api_token_create

    token = api_token_create(user=liaison_zhao, label="x", scope="read")
    response = Client(headers={"Authorization": f"Bearer {token}"}).get("/api/entities")
    assert "no-store" in response["Cache-Control"]
