"""Backup and restore of the database and the files beside it (evidence, imports, draw folders
with their kits): what a province needs back after losing a server.

A backup folder holds the database (pg_dump's custom format on PostgreSQL, an SQLite copy made
with SQLite's backup API otherwise), a copy of each file root, and manifest.json with the row
count of every table and the SHA-256 of every file. A restore puts both back and then checks
them against the manifest, so a restore that lost anything says so."""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.services import audit_event_record

MANIFEST = "manifest.json"
FILE_ROOTS = ("MEDIA_ROOT", "DRAWS_ROOT")  # settings naming the folders kept with the database
# Built files that are made again on request and purged after days: the notice archives carry
# the firms' PINs in clear (the letters), which must not outlive them in every backup.
NOT_BACKED_UP = ("notice-archives", "exports")


class BackupMismatch(Exception):
    """The restored database or files differ from the backup's manifest."""


def record_counts() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def file_hashes() -> dict[str, str]:
    """'<setting>/<relative path>' → SHA-256 of every file under the file roots."""
    hashes = {}
    for setting in FILE_ROOTS:
        root = Path(getattr(settings, setting))
        for path in sorted(root.rglob("*")) if root.exists() else ():
            if path.is_file() and not _not_backed_up(path.relative_to(root)):
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                hashes[f"{setting}/{path.relative_to(root).as_posix()}"] = digest
    return hashes


def _not_backed_up(relative: Path) -> bool:
    return bool(relative.parts) and relative.parts[0] in NOT_BACKED_UP


def _ignored_at_top(root: Path):
    def ignore(folder: str, names: list[str]) -> list[str]:
        return [n for n in names if Path(folder) == root and n in NOT_BACKED_UP]

    return ignore


def backup_create(target: Path) -> dict:
    """Write a backup into `target` (a new folder) and return its manifest."""
    target.mkdir(parents=True)
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor == "postgresql":
        _pg("pg_dump", "--format=custom", f"--file={target / 'database.dump'}")
    else:
        connection.ensure_connection()
        with sqlite3.connect(target / "database.sqlite3") as copy:
            connection.connection.backup(copy)
    for setting in FILE_ROOTS:
        root = Path(getattr(settings, setting))
        if root.exists():
            shutil.copytree(root, target / "files" / setting, ignore=_ignored_at_top(root))
    manifest = {"vendor": connection.vendor, "counts": record_counts(), "files": file_hashes()}
    (target / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True), "utf-8")
    # After the dump, so the backup holds exactly what its manifest counts.
    _audit(AuditEventType.BACKUP_MADE, target, manifest, outcome="written")
    return manifest


def backup_restore(source: Path) -> dict:
    """Put the backup in `source` back, then compare with its manifest (BackupMismatch)."""
    manifest = json.loads((source / MANIFEST).read_text("utf-8"))
    connection = connections[DEFAULT_DB_ALIAS]
    if manifest["vendor"] != connection.vendor:
        raise BackupMismatch(f"backup of {manifest['vendor']}, database is {connection.vendor}")
    if connection.vendor == "postgresql":
        connection.close()  # pg_restore --clean drops tables this connection may hold
        _pg("pg_restore", "--clean", "--if-exists", "--no-owner", str(source / "database.dump"))
    else:
        connection.ensure_connection()
        with sqlite3.connect(source / "database.sqlite3") as copy:
            copy.backup(connection.connection)
    for setting in FILE_ROOTS:
        root = Path(getattr(settings, setting))
        if root.exists():  # set aside, never deleted: the operator removes it once satisfied
            root.rename(root.with_name(f"{root.name}.before-restore"))
        if (source / "files" / setting).exists():
            shutil.copytree(source / "files" / setting, root)
    try:
        _compare(manifest, record_counts(), file_hashes())
    except BackupMismatch as mismatch:
        _audit(AuditEventType.BACKUP_RESTORED, source, manifest, outcome=f"mismatch: {mismatch}")
        raise
    # Appended to the restored chain: whatever happened after the backup is gone, and the trail
    # says from where and when it was put back.
    _audit(AuditEventType.BACKUP_RESTORED, source, manifest, outcome="all match")
    return manifest


def _audit(event_type: AuditEventType, folder: Path, manifest: dict, outcome: str) -> None:
    with transaction.atomic():
        audit_event_record(
            event_type=event_type,
            target_type="backup",
            target_id=folder.name[:64],
            extra={
                "folder": str(folder.resolve()),
                "rows": sum(manifest["counts"].values()),
                "files": len(manifest["files"]),
                "outcome": outcome[:500],
            },
        )


def _compare(manifest: dict, counts: dict[str, int], hashes: dict[str, str]) -> None:
    problems = [
        f"{label}: {manifest['counts'][label]} rows in the backup, {counts.get(label)} restored"
        for label in manifest["counts"]
        if counts.get(label) != manifest["counts"][label]
    ]
    problems += [
        f"{name}: differs from the backup"
        for name, digest in manifest["files"].items()
        if hashes.get(name) != digest
    ]
    if problems:
        raise BackupMismatch("; ".join(problems))


def _pg(program: str, *args: str) -> None:
    """Run pg_dump or pg_restore against the default database with its own credentials."""
    db = connections[DEFAULT_DB_ALIAS].settings_dict
    env = os.environ | ({"PGPASSWORD": db["PASSWORD"]} if db.get("PASSWORD") else {})
    target = [f"--host={db['HOST'] or 'localhost'}", f"--port={db['PORT'] or 5432}"]
    target += [f"--username={db['USER']}", f"--dbname={db['NAME']}"]
    subprocess.run([program, *target, *args], check=True, env=env)
