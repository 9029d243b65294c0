from django.core.management.base import BaseCommand, CommandError

from spotcheck.audit.models import AuditHeadPublication
from spotcheck.audit.services import audit_chain_head, audit_chain_verify, audit_head_publish
from spotcheck.audit.tasks import daily_publication_schedule


class Command(BaseCommand):
    help = (
        "Audit trail tools. `verify [--against HASH]` recomputes the hash chain and checks that "
        "it still contains every published head; `head` prints the current head; `publish` "
        "publishes the head on the portal now; `schedule` queues the daily publication job."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "head", "publish", "schedule"])
        parser.add_argument(
            "--against",
            metavar="HASH",
            help="a head kept from earlier: verification fails unless the chain still has it",
        )

    def handle(self, *args, **options):
        action = options["action"]
        if action == "head":
            head = audit_chain_head()
            self.stdout.write(f"{head.last_hash} event {head.last_event_id or 0}")
        elif action == "publish":
            publication = audit_head_publish(source=AuditHeadPublication.Source.OFFICE)
            self.stdout.write(f"published {publication.head_hash} event {publication.event_id}")
        elif action == "schedule":
            when = daily_publication_schedule()
            self.stdout.write(f"daily head publication queued for {when.isoformat()}")
        else:
            self._verify(options["against"])

    def _verify(self, against: str | None) -> None:
        verdict = audit_chain_verify(against=against)
        if not verdict.ok:
            where = f"at event {verdict.first_broken_id}" if verdict.first_broken_id else ""
            raise CommandError(
                f"audit chain broken {where}: {verdict.reason} ({verdict.checked} events verified)"
            )
        suffix = f", contains {against}" if against else ""
        self.stdout.write(f"audit chain intact: {verdict.checked} events verified{suffix}")
