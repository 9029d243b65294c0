from django.core.management.base import BaseCommand, CommandError

from spotcheck.accounts.models import TokenScope, User
from spotcheck.accounts.tokens import DEFAULT_DAYS, MAX_DAYS, api_token_create


class Command(BaseCommand):
    help = (
        "Create an API token for a user: "
        "spotcheck api_token USERNAME [--scope read|write] [--days N] [--label TEXT]"
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--label", default="command line")
        # write by default, as before scopes existed, so scripts that used the command still work
        parser.add_argument("--scope", choices=TokenScope.values, default=TokenScope.WRITE)
        parser.add_argument("--days", type=int, default=DEFAULT_DAYS)

    def handle(self, *args, username, label, scope, days, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {username}")
        if not 1 <= days <= MAX_DAYS:
            raise CommandError(f"--days must be 1 to {MAX_DAYS}")
        self.stdout.write(api_token_create(user=user, label=label, scope=scope, days=days))
