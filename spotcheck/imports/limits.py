"""The import limits from settings, applied to an upload before it is parsed."""

from pathlib import Path

from django.conf import settings

from .reading.guards import Limits, check_upload


def import_limits() -> Limits:
    return Limits(
        max_uncompressed_bytes=settings.SPOTCHECK_IMPORT_MAX_UNCOMPRESSED_BYTES,
        max_rows=settings.SPOTCHECK_IMPORT_MAX_ROWS,
    )


def guard_upload(path: Path) -> None:
    """Raises FileLevelError for a spreadsheet bomb or a misnamed file, before any parser."""
    if Path(path).is_file() and Path(path).stat().st_size:
        check_upload(Path(path), import_limits())
