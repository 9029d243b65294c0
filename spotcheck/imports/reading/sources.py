"""Raw rows out of CSV and Excel files: (0-based row index, list of cell texts)."""

from __future__ import annotations

import codecs
import csv
import io
import os
from collections.abc import Iterator
from pathlib import Path

from .cells import cell_text
from .errors import FileLevelError

RawRow = tuple[int, list[str]]

_SNIFF_BYTES = 1 << 20
_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (and other old Office files)


def file_format(path: Path) -> str:
    """``xlsx``, ``xls`` or ``csv`` from the file's first bytes; the name's suffix can lie."""
    with path.open("rb") as handle:
        head = handle.read(512)
    if head.startswith(_XLSX_MAGIC):
        return "xlsx" if path.suffix.lower() != ".ods" else "ods"
    if head.startswith(_OLE_MAGIC):
        return "xls"
    if head.lstrip().lower().startswith((b"<html", b"<!doctype", b"<?xml", b"<table")):
        raise FileLevelError(
            "文件是网页（HTML/XML）格式而不是真正的Excel文件，请在Excel中打开后另存为.xlsx再导入",
            code="format",
        )
    return "csv"


# What a GB18030 reader would turn into mojibake without an error: Big5 and Shift-JIS bytes are
# mostly valid GB18030 too. Named in the refusal so the user knows what to convert from.
_FOREIGN = {
    "big5": "Big5（繁体中文）",
    "cp950": "Big5（繁体中文）",
    "big5hkscs": "Big5-HKSCS（繁体中文）",
    "shift_jis": "Shift-JIS（日文）",
    "cp932": "Shift-JIS（日文）",
    "euc_jp": "EUC-JP（日文）",
    "euc_jis_2004": "EUC-JP（日文）",
    "euc_kr": "EUC-KR（韩文）",
    "cp949": "EUC-KR（韩文）",
}
_DETECT_BYTES = 64 * 1024


def _foreign_encoding(head: bytes) -> str | None:
    """The likely encoding when the bytes read better as Big5, Shift-JIS or EUC-KR than as
    GB18030; None whenever GB18030 is a plausible reading (valid data is never refused)."""
    from charset_normalizer import from_bytes

    sample = head[:_DETECT_BYTES]
    if len(head) > _DETECT_BYTES and b"\n" in sample:
        sample = sample[: sample.rindex(b"\n") + 1]  # never cut a character in two
    matches = from_bytes(sample, cp_isolation=["gb18030", *_FOREIGN])
    if any(m.encoding == "gb18030" for m in matches):
        return None
    best = matches.best()
    return _FOREIGN.get(best.encoding) if best is not None else None


def detect_encoding(head: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030; Big5, Shift-JIS and EUC-KR
    are refused by name rather than read as GB18030 mojibake."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    try:
        codecs.getincrementaldecoder("gb18030")().decode(head, final=False)
    except UnicodeDecodeError:
        raise FileLevelError(
            "无法识别文件编码：请另存为UTF-8或GB18030编码的CSV，或直接上传Excel文件",
            code="encoding",
        ) from None
    foreign = _foreign_encoding(head)
    if foreign is not None:
        raise FileLevelError(
            f"文件编码可能是{foreign}，不是简体中文的GB18030或UTF-8，按GB18030读取会成为乱码："
            "请在Excel或记事本中另存为UTF-8编码的CSV，或直接上传Excel文件",
            code="encoding",
        )
    return "gb18030"


def _delimiter(sample: str) -> str:
    lines = [line for line in sample.splitlines()[:30] if line.strip()]
    text = "\n".join(lines)
    counts = {d: text.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


class CsvSource:
    """Streams a CSV file record by record; ``fraction_read`` follows the bytes consumed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.size = os.path.getsize(path) or 1
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
        self.encoding = detect_encoding(head)
        sample = codecs.getincrementaldecoder(self.encoding)(errors="replace").decode(head)
        self.delimiter = _delimiter(sample)
        self._binary: io.BufferedReader | None = None
        self._finished = False

    @property
    def fraction_read(self) -> float:
        if self._finished:
            return 1.0
        if self._binary is None or self._binary.closed:
            return 0.0
        return min(self._binary.tell() / self.size, 1.0)

    def rows(self) -> Iterator[RawRow]:
        binary = self._binary = open(self.path, "rb")  # noqa: SIM115 - closed in finally
        index = -1
        try:
            text = io.TextIOWrapper(binary, encoding=self.encoding, newline="")
            reader = csv.reader(text, delimiter=self.delimiter)
            try:
                for index, cells in enumerate(reader):
                    yield index, cells
                self._finished = True
            except UnicodeDecodeError:
                raise FileLevelError(
                    f"第{index + 2}行附近的文字无法按{self.encoding}编码读取，"
                    "请检查文件是否混用了多种编码",
                    code="encoding",
                ) from None
            except csv.Error as exc:
                raise FileLevelError(
                    f"第{index + 2}行附近的CSV格式有误：{exc}", code="format"
                ) from None
        finally:
            binary.close()


class ExcelSource:
    """Rows of one worksheet (XLSX, XLS or ODS, via calamine), merged ranges filled in.

    A blank cell inside a merged range means what the range's top-left cell says, so every
    cell of the range gets that value.
    """

    def __init__(self, path: Path, sheet: object, sheet_name: str) -> None:
        self.path = path
        self.sheet = sheet
        self.sheet_name = sheet_name
        start = sheet.start  # type: ignore[attr-defined]
        self._first_column = start[1] if start else 0
        self.height = (sheet.end[0] + 1) if start else 0  # type: ignore[attr-defined]
        self._done = 0

    @property
    def first_column(self) -> int:
        """Absolute index of the sheet's first column (calamine drops empty leading columns)."""
        return self._first_column

    @property
    def fraction_read(self) -> float:
        return min(self._done / self.height, 1.0) if self.height else 0.0

    def _merges(self) -> dict[int, list[tuple[int, int, int]]]:
        """row -> [(column, top-left row, top-left column)] for the non-top-left merged cells."""
        by_row: dict[int, list[tuple[int, int, int]]] = {}
        offset = self._first_column
        for (row0, col0), (row1, col1) in self.sheet.merged_cell_ranges or ():  # type: ignore[attr-defined]
            for row in range(row0, row1 + 1):
                for col in range(col0, col1 + 1):
                    if (row, col) != (row0, col0) and col - offset >= 0:
                        by_row.setdefault(row, []).append((col - offset, row0, col0 - offset))
        return by_row

    def rows(self) -> Iterator[RawRow]:
        merges = self._merges()
        anchors: dict[int, set[int]] = {}
        for cells_of_row in merges.values():
            for _, row0, col0 in cells_of_row:
                anchors.setdefault(row0, set()).add(col0)
        anchor_values: dict[tuple[int, int], str] = {}
        for index, values in enumerate(self.sheet.iter_rows()):  # type: ignore[attr-defined]
            cells = [cell_text(value) for value in values]
            if merges:
                for col0 in anchors.get(index, ()):
                    anchor_values[index, col0] = cells[col0] if col0 < len(cells) else ""
                for col, row0, col0 in merges.get(index, ()):
                    if col >= len(cells):
                        cells.extend([""] * (col + 1 - len(cells)))
                    if not cells[col]:
                        cells[col] = anchor_values.get((row0, col0), "")
            self._done = index + 1
            yield index, cells


def open_workbook_sheets(path: Path) -> Iterator[ExcelSource]:
    """The visible worksheets of a workbook, in order."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise FileLevelError(f"无法打开Excel文件：{exc}", code="format") from None
    for meta in workbook.sheets_metadata:
        if meta.typ != SheetTypeEnum.WorkSheet or meta.visible != SheetVisibleEnum.Visible:
            continue
        yield ExcelSource(path, workbook.get_sheet_by_name(meta.name), meta.name)
