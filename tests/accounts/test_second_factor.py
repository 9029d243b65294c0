"""Office admins give a TOTP code after the password; others sign in with the password."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from spotcheck.accounts.otp import otp_device_confirm
from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent

PASSWORD = "Dongcheng-Office-2026"


@pytest.fixture(autouse=True)
def second_factor_on(settings):
    settings.SPOTCHECK_OFFICE_OTP_REQUIRED = True


@pytest.fixture
def wang(office_admin_wang):
    office_admin_wang.set_password(PASSWORD)
    office_admin_wang.save()
    return office_admin_wang


def _signed_in(user) -> Client:
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def _code(key_hex: str) -> str:
    return f"{totp(bytes.fromhex(key_hex)):06d}"


def test_office_admin_without_code_sees_no_data(wang):
    client = _signed_in(wang)
    response = client.get(reverse("directory:entity_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp"))


def test_first_sign_in_sets_up_the_authenticator(wang):
    client = _signed_in(wang)
    page = client.get(reverse("accounts:otp"), {"next": "/directory/entities/"})
    assert "otpauth://totp/" in page.content.decode()
    key = client.session["otp_setup_key"]
    # a wrong code is refused in Chinese, and no device is stored
    wrong_code = f"{(int(_code(key)) + 1) % 1_000_000:06d}"
    wrong = client.post(reverse("accounts:otp"), {"code": wrong_code, "next": "/"})
    assert "动态口令不正确" in wrong.content.decode()
    failure = AuditEvent.objects.get(event_type=AuditEventType.LOGIN_FAILED)
    assert failure.actor == wang and failure.extra["factor"] == "totp"
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    response = client.post(
        reverse("accounts:otp"), {"code": _code(key), "next": "/directory/entities/"}
    )
    assert response.status_code == 302 and response["Location"] == "/directory/entities/"
    assert client.get(reverse("directory:entity_list")).status_code == 200
    assert AuditEvent.objects.filter(event_type=AuditEventType.OTP_DEVICE_CONFIRMED).exists()


def test_later_sign_ins_need_the_current_code(wang):
    device = otp_device_confirm(user=wang, key="3132333435363738393031323334353637383930")
    client = _signed_in(wang)
    assert "otpauth" not in client.get(reverse("accounts:otp")).content.decode()
    client.post(reverse("accounts:otp"), {"code": _code(device.key), "next": "/"})
    assert client.get(reverse("directory:entity_list")).status_code == 200


def test_the_code_page_refuses_a_foreign_next(wang):
    device = otp_device_confirm(user=wang, key="3132333435363738393031323334353637383930")
    client = _signed_in(wang)
    response = client.post(
        reverse("accounts:otp"), {"code": _code(device.key), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_department_staff_need_no_second_factor(liaison_zhao):
    liaison_zhao.set_password(PASSWORD)
    liaison_zhao.save()
    client = _signed_in(liaison_zhao)
    assert client.get(reverse("directory:entity_list")).status_code == 200
