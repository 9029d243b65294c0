from pathlib import Path

from django.core.management.base import BaseCommand

from spotcheck.operations.backup import backup_create


class Command(BaseCommand):
    help = "Back up the database and the evidence and draw files into a new folder."

    def add_arguments(self, parser):
        parser.add_argument("target", type=Path, help="a folder that does not exist yet")

    def handle(self, *args, target: Path, **options):
        manifest = backup_create(target)
        rows = sum(manifest["counts"].values())
        self.stdout.write(f"backup: {rows} rows, {len(manifest['files'])} files in {target}")
