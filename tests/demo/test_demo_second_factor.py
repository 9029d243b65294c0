"""The demo office admin can still sign in: the demo seeds his authenticator and prints it."""

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from spotcheck.demo.loader import DEMO_PASSWORD, demo_load


def test_demo_office_admin_signs_in_with_the_printed_code(db, settings, capsys):
    settings.SPOTCHECK_OFFICE_OTP_REQUIRED = True
    demo_load(entities=4000, seed=7)
    call_command("demo", "load")
    printed = capsys.readouterr().out
    assert "TOTP" in printed and "spotcheck demo otp" in printed
    client = Client()
    client.post(
        reverse("accounts:login"), {"username": "office_admin_wang", "password": DEMO_PASSWORD}
    )
    call_command("demo", "otp")
    code = capsys.readouterr().out.strip()
    response = client.post(reverse("accounts:otp"), {"code": code, "next": "/plans/"})
    assert response.status_code == 302 and response["Location"] == "/plans/"
    assert client.get("/plans/").status_code == 200
