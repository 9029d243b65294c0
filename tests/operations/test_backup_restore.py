"""`spotcheck backup` and `spotcheck restore`: a round trip gives back every row and every
evidence and draw file, and a restore that does not match its backup says so."""

import hashlib
import json

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent
from spotcheck.audit.services import audit_chain_verify
from spotcheck.directory.models import MarketEntity
from spotcheck.operations.backup import file_hashes, record_counts
from tests.factories import EntityFactory


def _write(root, name: str, content: bytes):
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


@pytest.mark.django_db(transaction=True)
def test_round_trip_gives_back_every_row_and_file(market_dept, tmp_path, capsys):
    # Given entities, an evidence photo and a draw kit
    EntityFactory.create_batch(3, departments=[market_dept])
    photo = _write(settings.MEDIA_ROOT, "evidence/2026/photo.jpg", b"\xff\xd8 photo")
    _write(settings.DRAWS_ROOT, "SC-2026-001/kit/record.json", '{"种子": "abc"}'.encode())
    counts, hashes = record_counts(), file_hashes()
    # When the operator backs up, then loses an entity and a photo
    call_command("backup", str(tmp_path / "backup"))
    assert "2 files" in capsys.readouterr().out
    MarketEntity.objects.first().delete()
    photo.write_bytes(b"damaged")
    # And restores
    call_command("restore", str(tmp_path / "backup"))
    # Then every table has its rows again and every file its bytes
    restored = record_counts()
    assert restored.pop("audit.AuditEvent") == counts.pop("audit.AuditEvent") + 1
    restored.pop("audit.AuditChainHead"), counts.pop("audit.AuditChainHead")
    assert restored == counts and MarketEntity.objects.count() == 3
    # And the trail, taken back to the backup, ends with the restore (the backup's own event
    # was written after the dump), its chain intact
    last = AuditEvent.objects.order_by("-pk").first()
    assert last.event_type == AuditEventType.BACKUP_RESTORED
    assert last.extra["outcome"] == "all match" and last.extra["files"] == 2
    assert not AuditEvent.objects.filter(event_type=AuditEventType.BACKUP_MADE).exists()
    assert audit_chain_verify().ok
    assert file_hashes() == hashes and len(hashes) == 2
    assert (
        hashlib.sha256(photo.read_bytes()).hexdigest()
        == hashes["MEDIA_ROOT/evidence/2026/photo.jpg"]
    )
    # And the damaged folder is kept aside, not deleted
    assert (
        settings.MEDIA_ROOT.parent / "media.before-restore" / "evidence/2026/photo.jpg"
    ).exists()


@pytest.mark.django_db(transaction=True)
def test_a_backup_whose_files_were_tampered_with_fails_the_restore(market_dept, tmp_path):
    _write(settings.MEDIA_ROOT, "evidence/a.pdf", b"%PDF original")
    call_command("backup", str(tmp_path / "backup"))
    (tmp_path / "backup" / "files" / "MEDIA_ROOT" / "evidence" / "a.pdf").write_bytes(b"forged")
    with pytest.raises(CommandError, match=r"evidence/a\.pdf: differs from the backup"):
        call_command("restore", str(tmp_path / "backup"))
    # the failed comparison is on the trail too
    last = AuditEvent.objects.order_by("-pk").first()
    assert last.event_type == AuditEventType.BACKUP_RESTORED
    assert last.extra["outcome"].startswith("mismatch: ")


def test_backup_refuses_an_existing_folder(db, tmp_path):
    (tmp_path / "backup").mkdir()
    with pytest.raises(FileExistsError):
        call_command("backup", str(tmp_path / "backup"))


@pytest.mark.django_db(transaction=True)
def test_notice_archives_with_pins_are_not_kept_in_backups(market_dept, tmp_path):
    # the batch's letters carry the firms' PINs in clear: a backup must not keep them for years
    _write(settings.MEDIA_ROOT, "notice-archives/1-B0001-pdf.zip", b"PK letters with PINs")
    _write(settings.MEDIA_ROOT, "exports/2-entities.csv", b"uscc,name")
    _write(settings.MEDIA_ROOT, "evidence/a.jpg", b"\xff\xd8")
    call_command("backup", str(tmp_path / "backup"))
    copied = {p.name for p in (tmp_path / "backup" / "files").rglob("*") if p.is_file()}
    assert copied == {"a.jpg"}
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text("utf-8"))
    assert list(manifest["files"]) == ["MEDIA_ROOT/evidence/a.jpg"]
    # and a restore over a tree that has them still matches the manifest
    call_command("restore", str(tmp_path / "backup"))
