from django.core.management.base import BaseCommand, CommandError

from spotcheck.accounts.models import User
from spotcheck.accounts.tokens import api_token_create


class Command(BaseCommand):
    help = "Create an API token for a user: spotcheck api_token USERNAME [--label TEXT]"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--label", default="command line")

    def handle(self, *args, username, label, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {username}")
        self.stdout.write(api_token_create(user=user, label=label))
