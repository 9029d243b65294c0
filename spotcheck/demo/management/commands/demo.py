import sys
from binascii import unhexlify

from django.core.management.base import BaseCommand
from django_otp.oath import totp

from spotcheck.accounts.otp import otp_key_base32
from spotcheck.demo.loader import (
    DEMO_OFFICE_TOTP_KEY,
    DEMO_PASSWORD,
    FIRM_PERSONA,
    PERSONAS,
    demo_is_loaded,
    demo_load,
)


class Command(BaseCommand):
    help = "spotcheck demo load: the demo district (idempotent); prints the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["load", "otp"])
        parser.add_argument("--entities", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, action, entities, seed, **options):
        if action == "otp":
            # The demo key is public anyway; this saves installing an app to try the demo.
            self.stdout.write(f"{totp(unhexlify(DEMO_OFFICE_TOTP_KEY)):06d}")
            return
        if demo_is_loaded():
            self.stdout.write("demo district already loaded")
        else:
            self.stdout.write(f"loading the demo district ({entities} entities)…")

            def progress(done, total):
                sys.stderr.write(f"\r  entities {done}/{total}")
                sys.stderr.flush()

            demo_load(entities=entities, seed=seed, progress=progress)
            sys.stderr.write("\n")
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})")
        for persona in (*PERSONAS, FIRM_PERSONA):
            self.stdout.write(f"  {persona.username:<20} {persona.what}")
        self.stdout.write(
            f"\n{PERSONAS[0].username} also gives a TOTP code (动态口令): add the key "
            f"{otp_key_base32(DEMO_OFFICE_TOTP_KEY)} to an authenticator app, "
            "or print the current code with `spotcheck demo otp`."
        )
