"""Spreadsheet rows for the importers, with canonical field names and the user's row numbers.

No Django here: ``read_rows(path, kind)`` turns a CSV (UTF-8, UTF-8 with BOM, GB18030),
XLS or XLSX file into a stream of :class:`SourceRow`; validation and saving happen elsewhere.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from .cells import cell_text, clean_text
from .errors import FileLevelError
from .headers import (
    ALIASES,
    ENTITIES,
    FILL_DOWN,
    HEADER_SCAN_ROWS,
    INSPECTORS,
    ITEMS,
    KINDS,
    REQUIRED,
    Header,
    field_for_header,
    find_header,
    normalise_header,
)
from .sources import CsvSource, ExcelSource, RawRow, file_format, open_workbook_sheets

__all__ = [
    "ALIASES",
    "ENTITIES",
    "FILL_DOWN",
    "INSPECTORS",
    "ITEMS",
    "KINDS",
    "REQUIRED",
    "FileLevelError",
    "RowStream",
    "SourceRow",
    "cell_text",
    "clean_text",
    "column_letter",
    "field_for_header",
    "fields",
    "normalise_header",
    "read_rows",
]


@dataclass(frozen=True, slots=True)
class SourceRow:
    number: int  # the row number the user sees in the spreadsheet (1-based, headers counted)
    values: dict[str, str]  # canonical field -> cleaned text; every mapped field is present


def fields(kind: str) -> tuple[str, ...]:
    """The canonical field names of an import kind."""
    return tuple(ALIASES[kind])


def column_letter(index: int) -> str:
    """0-based column index -> Excel letters (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


class RowStream:
    """An iterator of :class:`SourceRow` that also says where each field came from."""

    def __init__(
        self,
        kind: str,
        source: CsvSource | ExcelSource,
        header: Header,
        rows: Iterator[RawRow],
        *,
        first_column: int = 0,
    ) -> None:
        self.kind = kind
        self.source = source
        self.header = header
        self.format = "csv" if isinstance(source, CsvSource) else "excel"
        self.encoding = getattr(source, "encoding", None)
        self.sheet_name = getattr(source, "sheet_name", None)
        #: field -> the header text in the file
        self.labels = dict(header.labels)
        #: field -> the column letter in the spreadsheet (A, B, …)
        self.column_letters = {
            field: column_letter(index + first_column) for field, index in header.columns.items()
        }
        #: the user's row number of the last header row
        self.header_row_number = header.last_row + 1
        self._rows = self._generate(rows)

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(self.header.columns)

    @property
    def fraction_read(self) -> float:
        """How far through the file reading has got, 0.0–1.0, for progress bars."""
        return self.source.fraction_read

    def __iter__(self) -> RowStream:
        return self

    def __enter__(self) -> RowStream:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the file if the rows are not read to the end."""
        self._rows.close()

    def __next__(self) -> SourceRow:
        return next(self._rows)

    def _generate(self, rows: Iterator[RawRow]) -> Generator[SourceRow]:
        columns = list(self.header.columns.items())
        fill_down = [f for f in FILL_DOWN[self.kind] if f in self.header.columns]
        last_seen: dict[str, str] = {}
        breaks = ("\n", "\r", "_x")
        try:
            yield from self._rows_of(rows, columns, fill_down, last_seen, breaks)
        finally:
            close = getattr(rows, "close", None)
            if close is not None:
                close()

    @staticmethod
    def _rows_of(
        rows: Iterator[RawRow],
        columns: list[tuple[str, int]],
        fill_down: list[str],
        last_seen: dict[str, str],
        breaks: tuple[str, str, str],
    ) -> Iterator[SourceRow]:
        for index, cells in rows:
            width = len(cells)
            values: dict[str, str] = {}
            blank = True
            for field, column in columns:
                value = cells[column] if column < width else ""
                if value:
                    if breaks[0] in value or breaks[1] in value or breaks[2] in value:
                        value = clean_text(value)
                    else:
                        value = value.strip()
                    if value:
                        blank = False
                values[field] = value
            if blank:
                continue
            for field in fill_down:
                if values[field]:
                    last_seen[field] = values[field]
                else:
                    values[field] = last_seen.get(field, "")
            yield SourceRow(index + 1, values)


def _clean_cells(cells: Sequence[str]) -> list[str]:
    return [clean_text(cell) for cell in cells]


def _open_csv(path: Path, kind: str) -> RowStream:
    source = CsvSource(path)
    rows = source.rows()
    head = [cells for _, cells in islice(rows, HEADER_SCAN_ROWS)]
    header = find_header(kind, [_clean_cells(cells) for cells in head])
    # Re-use the rows already read: the ones after the header are data.
    start = header.last_row + 1
    buffered = ((index, head[index]) for index in range(start, len(head)))
    return RowStream(kind, source, header, _chain(buffered, rows))


def _chain(first: Iterator[RawRow], rest: Iterator[RawRow]) -> Iterator[RawRow]:
    yield from first
    yield from rest


def _open_excel(path: Path, kind: str) -> RowStream:
    first_error: FileLevelError | None = None
    for source in open_workbook_sheets(path):
        rows = source.rows()
        head = [cells for _, cells in islice(rows, HEADER_SCAN_ROWS)]
        try:
            header = find_header(kind, [_clean_cells(cells) for cells in head])
        except FileLevelError as exc:
            first_error = first_error or exc
            continue
        start = header.last_row + 1
        buffered = ((index, head[index]) for index in range(start, len(head)))
        return RowStream(
            kind, source, header, _chain(buffered, rows), first_column=source.first_column
        )
    raise first_error or FileLevelError("Excel文件中没有工作表", code="empty")


def read_rows(path: str | Path, kind: str) -> RowStream:
    """Stream the data rows of ``path`` for import ``kind`` (entities, inspectors, items).

    The header is found (and a :class:`FileLevelError` raised) before this returns; rows are
    read lazily. Blank rows are skipped but counted in row numbers. For a workbook, the first
    visible sheet with a usable header is read.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown import kind {kind!r}; expected one of {', '.join(KINDS)}")
    path = Path(path)
    if not path.is_file():
        raise FileLevelError(f"找不到文件：{path.name}", code="unreadable")
    if path.stat().st_size == 0:
        raise FileLevelError("文件是空的", code="empty")
    if file_format(path) == "csv":
        return _open_csv(path, kind)
    return _open_excel(path, kind)
