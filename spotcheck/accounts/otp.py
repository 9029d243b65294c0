"""The TOTP second factor (django-otp) that office admins sign in with."""

import base64
from binascii import unhexlify
from urllib.parse import quote

from django.conf import settings
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.services import audit_event_record


def otp_required(user) -> bool:
    return bool(settings.SPOTCHECK_OFFICE_OTP_REQUIRED and user.is_authenticated and user.is_office)


def otp_confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def otp_new_key() -> str:
    """A fresh secret (hex), kept in the session until the user proves his app has it."""
    return random_hex(20)


def otp_key_base32(key: str) -> str:
    return base64.b32encode(unhexlify(key)).decode().rstrip("=")


def otp_provisioning_uri(user, key: str) -> str:
    label = quote(f"{settings.OTP_TOTP_ISSUER}:{user.get_username()}")
    issuer = quote(settings.OTP_TOTP_ISSUER)
    return f"otpauth://totp/{label}?secret={otp_key_base32(key)}&issuer={issuer}"


def otp_code_matches_key(key: str, code: str) -> bool:
    totp = TOTP(unhexlify(key))
    return code.isdigit() and totp.verify(int(code), tolerance=1)


@transaction.atomic
def otp_device_confirm(*, user, key: str, name: str = "authenticator") -> TOTPDevice:
    """Store the secret the user's authenticator app has just proved it holds."""
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name=name, key=key, confirmed=True)
    audit_event_record(
        event_type=AuditEventType.OTP_DEVICE_CONFIRMED,
        actor=user,
        department=user.department,
        target=user,
        extra={"device": name},
    )
    return device


@transaction.atomic
def otp_failure_record(*, user, ip: str) -> None:
    """A wrong code after a right password: someone may hold the password."""
    audit_event_record(
        event_type=AuditEventType.LOGIN_FAILED,
        actor=user,
        department=user.department,
        target=user,
        extra={"factor": "totp", "ip": ip},
    )
