"""Evidence files (photos, PDF) on a result.

The type comes from the file's first bytes, never from its name or the browser's content type;
the stored name is generated from the content hash, and the uploader's name is kept, cleaned,
for display only.
"""

import hashlib
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.services import audit_event_record

from .errors import ResultErrorCode
from .models import Evidence, ItemResult, ResultStatus
from .rules import can_enter_result

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
NAME_MAX = 200  # Evidence.original_name


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extension: str


JPEG = FileKind("image/jpeg", ".jpg")
PNG = FileKind("image/png", ".png")
WEBP = FileKind("image/webp", ".webp")
PDF = FileKind("application/pdf", ".pdf")


def sniff(head: bytes) -> FileKind | None:
    """The accepted kind whose signature starts `head` (at least 12 bytes), else None."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    return None


def max_bytes() -> int:
    return getattr(settings, "SPOTCHECK_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g}"


def too_big_message() -> str:
    return _("文件超过 %(mb)s MB") % {"mb": _megabytes(max_bytes())}


def display_name(name: str) -> str:
    """The uploader's file name for display: no folders, no control or direction-override
    characters (which can disguise `photo‮gpj.exe` as `photoexe.jpg`)."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp"))
    name = name.strip().strip(".").strip() or _("未命名文件")
    if len(name) <= NAME_MAX:
        return name
    stem, dot, suffix = name.rpartition(".")
    if dot and 0 < len(suffix) <= 10:
        return f"{stem[: NAME_MAX - len(suffix) - 1]}.{suffix}"
    return name[:NAME_MAX]


def _read_head(upload, length: int = 16) -> bytes:
    upload.seek(0)
    head = upload.read(length)
    upload.seek(0)
    return head


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def evidence_check(upload) -> FileKind:
    """Size, then type by content; raises the Chinese message the uploader sees."""
    if upload.size > max_bytes():
        raise ValidationError(too_big_message(), code=ResultErrorCode.EVIDENCE_SIZE)
    kind = sniff(_read_head(upload))
    if kind is None:
        raise ValidationError(
            _("只能上传 JPG、PNG、WEBP 图片或 PDF 文件"), code=ResultErrorCode.EVIDENCE_TYPE
        )
    return kind


def evidence_add(*, actor, result: ItemResult, upload) -> Evidence:
    """Attach a file to a result that is still being entered. Nothing is written when the file
    is refused; a file written before a failed database write is removed again."""
    kind = evidence_check(upload)
    digest = _sha256(upload)
    evidence = None
    try:
        with transaction.atomic():
            locked = ItemResult.objects.select_for_update().select_related("visit__batch")
            result = locked.get(pk=result.pk)
            if not can_enter_result(actor, result):
                raise PermissionDenied
            if result.status not in (
                ResultStatus.NOT_ENTERED,
                ResultStatus.ENTERED,
                ResultStatus.RETURNED,
            ):
                raise ValidationError(
                    _("结果已提交或已审核，不能再上传证据"), code=ResultErrorCode.WRONG_STATE
                )
            evidence = Evidence(
                result=result,
                original_name=display_name(upload.name or ""),
                content_type=kind.content_type,
                extension=kind.extension,
                size=upload.size,
                sha256=digest,
                uploaded_by=actor,
            )
            # The name is ignored: evidence_path builds it from the batch and the hash.
            evidence.file.save(kind.extension, upload, save=False)
            evidence.save()
            audit_event_record(
                event_type=AuditEventType.EVIDENCE_ADDED,
                actor=actor,
                department=result.department,
                target=result,
                extra={
                    "evidence": evidence.pk,
                    "sha256": digest,
                    "size": upload.size,
                    "content_type": kind.content_type,
                },
            )
    except BaseException:
        if evidence is not None and evidence.file.name:
            evidence.file.storage.delete(evidence.file.name)
        raise
    return evidence
