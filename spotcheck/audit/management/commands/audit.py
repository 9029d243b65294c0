from django.core.management.base import BaseCommand, CommandError

from spotcheck.audit.services import audit_chain_verify


class Command(BaseCommand):
    help = "Audit trail tools. `spotcheck audit verify` recomputes the hash chain."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, **options):
        verdict = audit_chain_verify()
        if not verdict.ok:
            raise CommandError(
                f"audit chain broken at event {verdict.first_broken_id}: {verdict.reason} "
                f"({verdict.checked} events verified before it)"
            )
        self.stdout.write(f"audit chain intact: {verdict.checked} events verified")
