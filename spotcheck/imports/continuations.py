"""Check-item rows that only continue the item above: one more legal basis, one more object.

Lists write a long item over several rows, the department, category and item merged (or left
blank, which the reader fills down) and each further row adding a legal basis or an object.
Such a row extends the item above; it is neither a new item nor a duplicate to reject.
"""

from collections.abc import Iterable, Iterator

from .reading import SourceRow

#: The fields that say which item a row belongs to.
IDENTITY = ("department", "category", "name")
#: Free text that a continuation row adds to, one entry per row.
EXTENDED = ("legal_basis", "object", "content", "inspecting_body")
SEPARATOR = "；"


def continues(previous: SourceRow, row: SourceRow) -> bool:
    """Same department, category and item, and no other item code."""
    same = all(previous.values.get(f, "") == row.values.get(f, "") for f in IDENTITY)
    code = row.values.get("code", "")
    return same and (not code or code == previous.values.get("code", ""))


def extend(previous: SourceRow, row: SourceRow) -> SourceRow:
    values = dict(previous.values)
    for field, text in row.values.items():
        if not text or field in IDENTITY:
            continue
        current = values.get(field, "")
        if field in EXTENDED:
            if text not in current.split(SEPARATOR):
                values[field] = f"{current}{SEPARATOR}{text}" if current else text
        elif not current:
            values[field] = text  # a ratio or method written only on a later row
    return SourceRow(previous.number, values)


def join_continuations(rows: Iterable[SourceRow]) -> Iterator[SourceRow]:
    """The rows with every continuation folded into the item it continues (numbered by the
    item's first row)."""
    previous: SourceRow | None = None
    for row in rows:
        if previous is not None and continues(previous, row):
            previous = extend(previous, row)
            continue
        if previous is not None:
            yield previous
        previous = row
    if previous is not None:
        yield previous
