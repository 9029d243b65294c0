"""Notice letters (联合抽查通知书), one per visit: PDF, editable DOCX, and a zip of many."""

import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO

from django.db.models import QuerySet

from spotcheck.draws.models import Visit

from .context import notice_context
from .docx import notice_docx
from .pdf import notice_pdf

__all__ = [
    "FORMATS",
    "iter_notices",
    "notice_context",
    "notice_docx",
    "notice_filename",
    "notice_pdf",
    "notices_zip",
    "write_notices_zip",
]

FORMATS = {"pdf": notice_pdf, "docx": notice_docx}
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def notice_filename(visit: Visit, fmt: str) -> str:
    """`<visit_id>-<entity name>.<fmt>`, with characters no file system accepts replaced."""
    name = _UNSAFE.sub("_", visit.entity.name).strip(" .") or visit.entity.key
    return f"{visit.visit_id}-{name[:80]}.{fmt}"


def _ordered(visits: Iterable[Visit]) -> Iterator[Visit]:
    if isinstance(visits, QuerySet):
        queryset = (
            visits.select_related(
                "batch__department", "batch__joint_check__lead_department", "entity"
            )
            .prefetch_related("tasks__department", "tasks__items")
            .order_by("batch__number", "visit_id")
        )
        return queryset.iterator(chunk_size=100)
    return iter(sorted(visits, key=lambda v: (v.batch.number, v.visit_id)))


def iter_notices(visits: Iterable[Visit], fmt: str, **options) -> Iterator[tuple[str, bytes]]:
    """(file name, bytes) per visit, in batch-number then visit-id order, rendered one at a time."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown notice format: {fmt!r}")
    render = FORMATS[fmt]
    seen: set[str] = set()
    for visit in _ordered(visits):
        name = notice_filename(visit, fmt)
        if name in seen:  # visits of several batches share visit ids
            name = f"{visit.batch.number}-{name}"
        seen.add(name)
        yield name, render(visit, **options)


def write_notices_zip(
    visits: Iterable[Visit],
    fmt: str,
    target: BinaryIO,
    *,
    written: Callable[[int], None] | None = None,
    **options,
) -> None:
    """Write the zip to `target` (a file, a temporary file, or an unseekable stream);
    `written(n)` is told after each letter, for a progress bar."""
    # PDFs and DOCX packages are compressed already: store them.
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as archive:
        for count, (name, content) in enumerate(iter_notices(visits, fmt, **options), start=1):
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
            if written is not None:
                written(count)


def notices_zip(visits: Iterable[Visit], fmt: str, **options) -> bytes:
    """One notice per visit, named `<visit_id>-<entity name>.<pdf|docx>`, in a deterministic order."""
    buffer = io.BytesIO()
    write_notices_zip(visits, fmt, buffer, **options)
    return buffer.getvalue()
