"""A whole import file as one polars DataFrame: ``_row`` (the user's row number) and one String
column per mapped field, cleaned exactly as :class:`RowStream` cleans cells, blank rows dropped.

CSV: the header is found by the streaming reader (``read_rows``); the body is then parsed by
polars from the bytes. When polars could read the file differently from Python's ``csv`` (lone
``\\r`` line ends, an encoding polars does not read, a head that does not match), or for Excel
files, the rows come from the streaming reader and are put into columns in blocks.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from . import RowStream, read_rows

#: Every character ``str.strip()`` / ``\\s`` treat as white space (a superset of Rust's).
PY_WHITESPACE = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())
_WS_CLASS = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in PY_WHITESPACE) + "]"
#: cells.clean_text's ``_BREAKS`` with Python's ``\\s`` spelled out for the Rust engine.
_BREAKS = f"{_WS_CLASS}*(?:(?:_x000[dD]_|[\\r\\n]){_WS_CLASS}*)+"
BLOCK_ROWS = 100_000
ROW = "_row"


@dataclass
class EntityTable:
    frame: pl.DataFrame  # _row + mapped fields (String, "" when empty)
    stream: RowStream  # header, labels, column letters (rows already consumed or closed)
    fields: tuple[str, ...]


def clean_expr(name: str) -> pl.Expr:
    """``clean_text`` for a cell column: null -> "", line breaks collapsed, stripped."""
    column = pl.col(name).fill_null("")
    needs = column.str.contains(r"[\n\r]|_x")
    return (
        pl.when(needs)
        .then(column.str.replace_all(_BREAKS, " "))
        .otherwise(column)
        .str.strip_chars(PY_WHITESPACE)
        .alias(name)
    )


def load_table(path: str | Path, kind: str, progress: Callable[[float], None] | None = None):
    """The file as an :class:`EntityTable`; raises FileLevelError like ``read_rows``."""
    stream = read_rows(path, kind)
    fields = stream.fields
    frame = None
    if stream.format == "csv":
        frame = _csv_frame(Path(path), stream)
    if frame is None:
        frame = _stream_frame(stream, fields, progress)
    else:
        stream.close()
        frame = frame.with_columns(clean_expr(f) for f in fields)
        blank = pl.all_horizontal(pl.col(f) == "" for f in fields) if fields else pl.lit(True)
        frame = frame.filter(~blank)
    return EntityTable(frame, stream, fields)


def _stream_frame(stream: RowStream, fields, progress) -> pl.DataFrame:
    """Rows of the streaming reader (already cleaned, blanks skipped) put into columns."""
    blocks = []
    numbers: list[int] = []
    columns: dict[str, list[str]] = {f: [] for f in fields}
    appenders = [(columns[f].append, f) for f in fields]

    def flush() -> None:
        data = {ROW: pl.Series(ROW, numbers, dtype=pl.Int64)}
        data |= {f: pl.Series(f, columns[f], dtype=pl.String) for f in fields}
        blocks.append(pl.DataFrame(data))
        numbers.clear()
        for values in columns.values():
            values.clear()

    with stream:
        for row in stream:
            numbers.append(row.number)
            values = row.values
            for append, field in appenders:
                append(values[field])
            if len(numbers) >= BLOCK_ROWS:
                flush()
                if progress:
                    progress(stream.fraction_read)
        flush()
    if hasattr(stream.source, "sheet"):
        stream.source.sheet = None  # calamine holds the whole sheet: let it go before validating
    return pl.concat(blocks, rechunk=True) if len(blocks) > 1 else blocks[0]


def _csv_frame(path: Path, stream: RowStream) -> pl.DataFrame | None:
    source = stream.source
    encoding = source.encoding
    data = path.read_bytes()
    if encoding not in ("utf-8", "utf-8-sig"):
        try:
            data = data.decode(encoding).encode("utf-8")
        except UnicodeError:
            return None  # the streaming reader names the line
    if data.count(b"\r") != data.count(b"\r\n"):
        return None  # lone CR line ends: csv splits there, polars does not
    header = stream.header
    width = max(max(header.columns.values()) + 1, 1)
    schema = {f"c{i}": pl.String for i in range(width)}
    try:
        raw = pl.read_csv(
            data,
            has_header=False,
            schema=schema,
            separator=source.delimiter,
            quote_char='"',
            truncate_ragged_lines=True,
            infer_schema=False,
            encoding="utf8",
        )
    except (pl.exceptions.PolarsError, UnicodeError):
        return None
    del data
    if not _head_matches(raw, stream, width):
        return None
    start = header.last_row + 1
    raw = raw.slice(start).with_row_index(ROW, offset=start + 1)
    return raw.select(
        pl.col(ROW).cast(pl.Int64),
        *(pl.col(f"c{index}").alias(field) for field, index in header.columns.items()),
    )


def _head_matches(raw: pl.DataFrame, stream: RowStream, width: int) -> bool:
    """The rows polars read first are the rows Python's csv read first (same record split)."""
    from itertools import islice

    from .headers import HEADER_SCAN_ROWS
    from .sources import CsvSource

    check = CsvSource(stream.source.path)
    check.encoding, check.delimiter = stream.source.encoding, stream.source.delimiter
    rows = check.rows()
    try:
        head = [cells for _, cells in islice(rows, HEADER_SCAN_ROWS + 20)]
    except Exception:
        return False
    finally:
        rows.close()
    if raw.height < len(head):
        return False
    mine = raw.head(len(head)).rows()
    for expected, got in zip(head, mine, strict=True):
        padded = [*expected[:width], *[""] * (width - len(expected))]
        if [g or "" for g in got] != padded:
            return False
    return True
