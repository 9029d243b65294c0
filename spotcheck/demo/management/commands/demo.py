import sys

from django.core.management.base import BaseCommand

from spotcheck.demo.loader import DEMO_PASSWORD, PERSONAS, demo_is_loaded, demo_load


class Command(BaseCommand):
    help = "spotcheck demo load: the demo district (idempotent); prints the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["load"])
        parser.add_argument("--entities", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, entities, seed, **options):
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
        for persona in PERSONAS:
            self.stdout.write(f"  {persona.username:<20} {persona.what}")
