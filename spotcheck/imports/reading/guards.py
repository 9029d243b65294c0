"""Checks on an uploaded file before any parser sees it: hostile workbooks and misnamed files.

A 4 MB .xlsx can expand to gigabytes (a zip bomb): the parser would hold it all in memory. So
the zip's members are measured first, their declared sizes and then the bytes they really
inflate to (the CRC check stops a member that lies about its size), and the worksheets' rows
are counted on the way, all before the workbook is opened.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import NamedTuple

from .errors import FileLevelError

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
_CHUNK = 1 << 20
# The sheet's root element gives the namespace prefix its rows use (usually none: "<row").
_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*:)?worksheet[\s>]")


class Limits(NamedTuple):
    max_uncompressed_bytes: int = 500 * 1024 * 1024
    max_rows: int = 2_000_000


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f} MB"


def refuse_misnamed(path: Path, detected: str) -> None:
    """A text file named .xlsx is not read as CSV (which finds no header and 0 rows)."""
    if detected == "csv" and path.suffix.lower() in EXCEL_SUFFIXES:
        raise FileLevelError(
            f"文件扩展名为{path.suffix}，但内容不是Excel文件（可能是改了扩展名的文本或CSV文件）："
            "请在Excel中打开后另存为.xlsx，或把扩展名改回.csv再导入",
            code="format",
        )


def check_workbook(path: Path, limits: Limits) -> None:
    """Refuse a zipped workbook (.xlsx, .ods) that inflates past the limits."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            declared = sum(m.file_size for m in members)
            if declared > limits.max_uncompressed_bytes:
                raise _too_large(declared, limits)
            total = 0
            for member in members:
                total = _measure(archive, member, total, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError):
        raise FileLevelError(
            "Excel文件已损坏，无法读取：请在Excel中打开后另存为.xlsx再导入", code="format"
        ) from None


def _too_large(size: int, limits: Limits) -> FileLevelError:
    return FileLevelError(
        f"Excel文件解压后超过{_megabytes(limits.max_uncompressed_bytes)}（至少{_megabytes(size)}），"
        "可能是异常文件，已停止导入：请删除多余的工作表、格式和空行，或拆分成几个文件再导入",
        code="too_large",
    )


def _measure(archive: zipfile.ZipFile, member: zipfile.ZipInfo, total: int, limits: Limits) -> int:
    """Inflate one member in chunks, counting bytes (and rows of a worksheet) against limits."""
    is_sheet = member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml")
    rows, carry, tag = 0, b"", b""
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            total += len(chunk)
            if total > limits.max_uncompressed_bytes:
                raise _too_large(total, limits)
            if is_sheet:
                if not tag:
                    root = _ROOT.search(chunk)
                    prefix = (root.group(1) or b"") if root else b""
                    tag = b"<" + prefix + b"row"
                # bytes.count is ten times faster than a regex here; a tag cut by the chunk
                # boundary is found in the carried tail, which is too short to hold a whole one.
                # (It also counts the sheet's one <rowBreaks>, if any: a row too many, harmless.)
                data = carry + chunk
                rows += data.count(tag)
                carry = data[1 - len(tag) :]
                if rows > limits.max_rows:
                    raise FileLevelError(
                        f"工作表超过{limits.max_rows:,}行，已停止导入：请拆分成几个文件再导入",
                        code="too_many_rows",
                    )
    return total


def check_upload(path: Path, limits: Limits) -> None:
    """Everything that can be refused before parsing; raises FileLevelError in Chinese."""
    from .sources import file_format

    detected = file_format(path)
    refuse_misnamed(path, detected)
    if detected in ("xlsx", "ods"):
        check_workbook(path, limits)
