"""A tiny BIFF8 (.xls) writer for tests: strings, numbers and merged ranges on one sheet.

Nothing on the machine writes .xls (no xlwt, no LibreOffice), so the tests build the
legacy format by hand: an OLE2 compound file holding one ``Workbook`` stream.
"""

from __future__ import annotations

import struct
from pathlib import Path

_END = 0xFFFFFFFE
_FREE = 0xFFFFFFFF
_FATSECT = 0xFFFFFFFD
_NOSTREAM = 0xFFFFFFFF


def _record(kind: int, data: bytes) -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def _bof(kind: int) -> bytes:
    return _record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 0x06))


def _unicode(text: str, length_bytes: int) -> bytes:
    head = struct.pack("<B" if length_bytes == 1 else "<H", len(text))
    return head + b"\x01" + text.encode("utf-16-le")


def _globals(sheet_offset: int) -> bytes:
    parts = [_bof(0x0005), _record(0x0042, struct.pack("<H", 1200))]  # CODEPAGE: UTF-16
    font = struct.pack("<HHHHHBBBB", 200, 0, 0x7FFF, 400, 0, 0, 0, 0, 0) + _unicode("Arial", 1)
    parts += [_record(0x0031, font)] * 5
    xf_style = struct.pack("<HHHBBBBIIH", 0, 0, 0xFFF5, 0x20, 0, 0, 0, 0, 0, 0x20C0)
    xf_cell = struct.pack("<HHHBBBBIIH", 0, 0, 0x0001, 0x20, 0, 0, 0, 0, 0, 0x20C0)
    parts += [_record(0x00E0, xf_style)] * 15 + [_record(0x00E0, xf_cell)]
    sheet = struct.pack("<IBB", sheet_offset, 0, 0) + _unicode("Sheet1", 1)
    parts.append(_record(0x0085, sheet))
    parts.append(_record(0x000A, b""))
    return b"".join(parts)


def _sheet(rows: list[list[object]], merges: list[tuple[int, int, int, int]]) -> bytes:
    width = max((len(r) for r in rows), default=0)
    parts = [_bof(0x0010), _record(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, width, 0))]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                parts.append(_record(0x0204, struct.pack("<HHH", r, c, 15) + _unicode(value, 2)))
            else:
                parts.append(_record(0x0203, struct.pack("<HHHd", r, c, 15, float(value))))
    if merges:
        data = struct.pack("<H", len(merges)) + b"".join(
            struct.pack("<HHHH", r0, r1, c0, c1) for r0, c0, r1, c1 in merges
        )
        parts.append(_record(0x00E5, data))
    parts.append(_record(0x000A, b""))
    return b"".join(parts)


def _dir_entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
    encoded = (name + "\0").encode("utf-16-le") if name else b""
    return (
        encoded.ljust(64, b"\0")
        + struct.pack("<HBB", len(encoded), kind, 1 if name else 0)
        + struct.pack("<III", _NOSTREAM, _NOSTREAM, child)
        + b"\0" * 16
        + struct.pack("<I", 0)
        + b"\0" * 16
        + struct.pack("<IQ", start, size)
    )


def write_xls(
    path: Path, rows: list[list[object]], merges: list[tuple[int, int, int, int]] = ()
) -> None:
    """Write ``rows`` to ``path``; ``merges`` are (first_row, first_col, last_row, last_col)."""
    globals_size = len(_globals(0))
    stream = _globals(globals_size) + _sheet(rows, list(merges))
    stream = stream.ljust(max(4096, -(-len(stream) // 512) * 512), b"\0")
    stream_sectors = len(stream) // 512
    fat = [_FATSECT, _END] + [2 + i + 1 for i in range(stream_sectors - 1)] + [_END]
    fat += [_FREE] * (128 - len(fat))
    header = (
        bytes.fromhex("D0CF11E0A1B11AE1")
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, _END, 0, _END, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", _FREE) * 108
    )
    directory = (
        _dir_entry("Root Entry", 5, 1, _END, 0)
        + _dir_entry("Workbook", 2, _NOSTREAM, 2, len(stream))
        + _dir_entry("", 0, _NOSTREAM, 0, 0) * 2
    )
    path.write_bytes(header + struct.pack("<128I", *fat) + directory + stream)
