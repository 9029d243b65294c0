from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from spotcheck.operations.backup import BackupMismatch, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `spotcheck backup` over the current database and files "
        "(the current file folders are kept as *.before-restore), then compare with it."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="a folder written by `spotcheck backup`")

    def handle(self, *args, source: Path, **options):
        try:
            manifest = backup_restore(source)
        except BackupMismatch as mismatch:
            raise CommandError(f"restore does not match the backup: {mismatch}") from mismatch
        rows = sum(manifest["counts"].values())
        self.stdout.write(f"restore: {rows} rows, {len(manifest['files'])} files, all match")
