"""Evidence uploads: the type is read from the file's bytes, the size is capped, the stored name
is generated outside the web root, and downloads are scoped like the result they belong to."""

import hashlib
import struct
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent
from spotcheck.inspections.evidence import display_name, sniff
from spotcheck.inspections.models import Evidence, ItemResult, ResultCategory
from tests.draw_fixtures import flashed, team_member

TYPE_MESSAGE = "只能上传 JPG、PNG、WEBP 图片或 PDF 文件"


def _png() -> bytes:
    """A real 1×1 red PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def _stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def market_result(client_for, inspector_market, joint_visit):
    client_for(inspector_market).post(f"/inspections/visits/{joint_visit.pk}/arrive/")
    return ItemResult.objects.get(visit=joint_visit, department__code="SCJGJ")


def _upload(client, result, name, content, content_type):
    return client.post(
        f"/inspections/results/{result.pk}/evidence/",
        {"file": SimpleUploadedFile(name, content, content_type=content_type)},
        follow=True,
    )


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("现场照片.jpg", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 500, "image/jpeg"),
        ("营业执照.png", "这是一个文本文件，不是图片\n".encode() * 20, "image/png"),
        ("report.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"),
        ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', "image/svg+xml"),
    ],
    ids=["exe-renamed-jpg", "text-named-png", "html-named-pdf", "svg"],
)
def test_wrong_type_is_refused_and_nothing_is_stored(
    client_for, inspector_market, market_result, name, content, content_type
):
    # When the inspector uploads a file whose bytes are not a photo or PDF, whatever its name
    response = _upload(client_for(inspector_market), market_result, name, content, content_type)
    # Then the upload is refused with the Chinese message, and no row or file is kept
    assert TYPE_MESSAGE in flashed(response)
    assert not Evidence.objects.exists()
    assert _stored_files() == []
    assert not AuditEvent.objects.filter(event_type=AuditEventType.EVIDENCE_ADDED).exists()


def test_file_over_the_default_limit_is_refused(client_for, inspector_market, market_result):
    # Given a real PNG padded to one byte over 10 MB
    content = _png() + b"\x00" * (10 * 1024 * 1024 + 1 - len(_png()))
    # When it is uploaded
    response = _upload(client_for(inspector_market), market_result, "big.png", content, "image/png")
    # Then it is refused with the size message and nothing is stored
    assert "文件超过 10 MB" in flashed(response)
    assert not Evidence.objects.exists()
    assert _stored_files() == []


def test_size_limit_follows_the_setting(client_for, inspector_market, market_result, settings):
    settings.SPOTCHECK_EVIDENCE_MAX_BYTES = 1024 * 1024
    content = b"%PDF-1.7\n" + b"0" * (1024 * 1024)
    response = _upload(
        client_for(inspector_market), market_result, "scan.pdf", content, "application/pdf"
    )
    assert "文件超过 1 MB" in flashed(response)
    assert not Evidence.objects.exists()


def test_good_png_is_stored_outside_the_web_root_and_downloads_identical(
    client_for, inspector_market, market_result, joint_visit
):
    png = _png()
    digest = hashlib.sha256(png).hexdigest()
    client = client_for(inspector_market)
    # When the inspector uploads a PNG whose name tries to climb folders and hide its type
    response = _upload(
        client, market_result, "../../etc/现场\u202egnp.exe\x00照片.png", png, "text/plain"
    )
    assert "证据已上传" in flashed(response)
    # Then it is kept under MEDIA_ROOT (never STATIC_ROOT) with a name made from its hash
    evidence = Evidence.objects.get()
    path = Path(evidence.file.path).resolve()
    assert path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert not path.is_relative_to(Path(settings.STATIC_ROOT).resolve())
    assert evidence.file.name == f"evidence/{joint_visit.batch.number}/{digest[:2]}/{digest}.png"
    assert _stored_files() == [path]
    # And the type comes from the bytes, the name only for display, cleaned
    assert evidence.content_type == "image/png"
    assert evidence.sha256 == digest and evidence.size == len(png)
    assert evidence.original_name == "现场gnp.exe照片.png"
    # And the upload is audited on the result
    event = AuditEvent.objects.get(event_type=AuditEventType.EVIDENCE_ADDED)
    assert event.actor == inspector_market and event.extra["sha256"] == digest
    # When it is downloaded again
    download = client.get(f"/inspections/evidence/{evidence.pk}/")
    # Then the bytes are identical, as an attachment the browser must not sniff
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == png
    assert download["Content-Type"] == "image/png"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    page = client.get(f"/inspections/results/{market_result.pk}/").content.decode()
    assert f"/inspections/evidence/{evidence.pk}/" in page


def test_evidence_is_scoped_like_its_result(
    client_for, inspector_market, market_result, joint_visit
):
    client = client_for(inspector_market)
    _upload(client, market_result, "photo.png", _png(), "image/png")
    evidence = Evidence.objects.get()
    # When an inspector of the other department on the same visit asks for it
    health = client_for(team_member(joint_visit, "WJW").inspector.user)
    # Then it is missing, and they cannot add files to the market result either
    assert health.get(f"/inspections/evidence/{evidence.pk}/").status_code == 404
    response = health.post(
        f"/inspections/results/{market_result.pk}/evidence/",
        {"file": SimpleUploadedFile("x.png", _png(), content_type="image/png")},
    )
    assert response.status_code == 404
    assert Evidence.objects.count() == 1


def test_no_evidence_once_submitted(client_for, inspector_market, market_result, joint_visit):
    client = client_for(inspector_market)
    client.post(
        f"/inspections/results/{market_result.pk}/",
        {
            "categories": [ResultCategory.objects.get(code="no_problem").pk],
            "finding": "未发现问题",
            "method": "on_site",
            "confirmations": list(joint_visit.team.values_list("pk", flat=True)),
            "action": "submit",
        },
    )
    market_result.refresh_from_db()
    assert market_result.status == "submitted"
    response = _upload(client, market_result, "late.png", _png(), "image/png")
    assert "结果已提交或已审核，不能再上传证据" in flashed(response)
    assert _stored_files() == []


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01", "image/jpeg"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0d", "image/png"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3", "application/pdf"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", None),
        (b"GIF89a\x01\x00\x01\x00\x00\x00", None),
        (b"", None),
    ],
)
def test_sniff_reads_the_signature(head, kind):
    found = sniff(head)
    assert (found.content_type if found else None) == kind


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("C:\\Users\\张\\照片.jpg", "照片.jpg"),
        ("/tmp/../a/b.pdf", "b.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),
        ("a\x00b\r\nc.png", "abc.png"),
        ("..", "未命名文件"),
        ("长" * 300 + ".png", "长" * 196 + ".png"),
    ],
)
def test_display_name_is_cleaned(raw, shown):
    assert display_name(raw) == shown
