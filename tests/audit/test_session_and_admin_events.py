"""Logins, logouts, failed logins and every change made in /admin/ leave an audit event."""

import pytest
from django.test import Client
from django.urls import reverse

from spotcheck.accounts.models import Department, Role
from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent
from spotcheck.audit.services import audit_chain_verify
from tests.factories import UserFactory

PASSWORD = "Spotcheck-2026-测试"


@pytest.fixture
def admin_superuser(market_dept):
    user = UserFactory(
        username="root_admin", role=Role.OFFICE_ADMIN, department=market_dept, is_superuser=True
    )
    user.is_staff = True
    user.set_password(PASSWORD)
    user.save()
    return user


def _events(event_type):
    return AuditEvent.objects.filter(event_type=event_type)


def test_login_logout_and_failure_are_audited(liaison_zhao):
    liaison_zhao.set_password(PASSWORD)
    liaison_zhao.save()
    client = Client(REMOTE_ADDR="10.1.2.3")
    login = reverse("accounts:login")
    client.post(login, {"username": "liaison_zhao", "password": "wrong"})
    failed = _events(AuditEventType.LOGIN_FAILED).get()
    assert failed.target_id == "liaison_zhao" and failed.extra["ip"] == "10.1.2.3"
    assert "wrong" not in str(failed.extra)

    assert client.post(login, {"username": "liaison_zhao", "password": PASSWORD}).status_code == 302
    success = _events(AuditEventType.LOGIN_SUCCEEDED).get()
    assert success.actor == liaison_zhao and success.department == liaison_zhao.department

    client.post(reverse("accounts:logout"))
    assert _events(AuditEventType.LOGOUT).get().actor == liaison_zhao
    assert audit_chain_verify().ok


def test_admin_changes_are_audited(admin_superuser, liaison_zhao, health_dept):
    client = Client()
    client.force_login(admin_superuser)
    # when a superuser moves liaison_zhao to another department and makes him a reviewer
    url = reverse("admin:accounts_user_change", args=[liaison_zhao.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update(
        role=Role.REVIEWER,
        department=health_dept.pk,
        groups=[],
        user_permissions=[],
        last_login_0="",
        last_login_1="",
        date_joined_0="2026-01-01",
        date_joined_1="00:00:00",
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = _events(AuditEventType.ADMIN_CHANGED).get()
    assert event.actor == admin_superuser
    assert event.target_type == "accounts.user" and event.target_id == str(liaison_zhao.pk)
    assert event.extra["action"] == "change"
    role_change = _events(AuditEventType.USER_UPDATED).get()
    assert role_change.extra["role"] == {"from": "department_admin", "to": "reviewer"}
    assert role_change.extra["department"] == {
        "from": str(liaison_zhao.department_id),
        "to": str(health_dept.pk),
    }

    # and when he adds a department
    client.post(
        reverse("admin:accounts_department_add"),
        {"code": "JYJ", "name": "东城区教育局", "region_code": "110101", "is_active": "on"},
    )
    department = Department.objects.get(code="JYJ")
    added = _events(AuditEventType.ADMIN_CHANGED).filter(target_type="accounts.department").get()
    assert added.target_id == str(department.pk) and added.extra["action"] == "add"
