"""population.tsv read and checked column by column (§10, §11).

The rules are those of ``commitments.parse_population_lines``, checked over whole columns of
UTF-8 bytes with C-level bytes methods instead of character by character per line: three
fields per line, none empty, no carriage return, NFC, USCCs upper case without white space,
lines in strictly ascending (USCC, stratum, task) order, no (USCC, task) twice. UTF-8 byte
order is code point order, so comparing bytes orders lines as comparing their text does. When
any column check fails, or a USCC holds a character beyond ASCII, the line-by-line check runs
instead, so an invalid file gets exactly the error it always got; the column checks only ever
accept what the line-by-line check accepts.
"""

from __future__ import annotations

import functools
import unicodedata
from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from itertools import compress, islice
from operator import and_, eq, lt, ne

from spotcheck_draw.commitments import parse_population_lines
from spotcheck_draw.errors import DrawError, DrawErrorCode
from spotcheck_draw.population import Group, Population, Profile

# Deleted from the joined USCCs, these leave only what the line-by-line check refuses or this
# module does not decide: ASCII lower case and white space (str.islower, str.isspace), non-ASCII.
_FINE_IN_USCC = bytes(c for c in range(128) if not (chr(c).islower() or chr(c).isspace()))
_FINE_IN_FILE = _FINE_IN_USCC + b"\t\n"
_NOT_SEPARATOR = bytes(c for c in range(256) if c not in b"\t\n")
FEW_STRATA = 16  # up to this many, a stratum's ids are picked from the column in one C pass


@dataclass(frozen=True)
class PopulationFile:
    """The committed lines of population.tsv as UTF-8 bytes (what the Merkle root hashes) and
    their three columns, UTF-8 encoded."""

    lines: list[bytes]
    ids: list[bytes]
    strata: list[bytes]
    tasks: list[bytes]

    def rows(self) -> Iterator[tuple[str, str, str]]:
        columns = (map(bytes.decode, c) for c in (self.ids, self.strata, self.tasks))
        return zip(*columns, strict=True)

    def rows_of(self, usccs: Collection[str]) -> Iterator[tuple[str, str, str]]:
        """``rows()`` of the lines whose USCC is one of ``usccs``, in line order: the lines are
        picked in one C-level pass over the column, only those are decoded."""
        wanted = {uscc.encode() for uscc in usccs}
        if not wanted:
            return iter(())
        picked = compress(range(len(self.ids)), map(wanted.__contains__, self.ids))
        ids, strata, tasks = self.ids, self.strata, self.tasks
        return ((ids[i].decode(), strata[i].decode(), tasks[i].decode()) for i in picked)

    def population(self) -> Population:
        """The groups of ``Population.from_rows``, built without checking the lines again."""
        ids = self.ids
        if not _repeats(ids):  # one line per entity: its profile is its one pair
            return Population(_groups_of_single_pairs(ids, self.tasks, self.strata))
        # Lines are sorted by USCC, so each entity's lines are one run; a run of one line (most
        # entities) is its own profile, a longer one is sorted by (task, stratum).
        pairs = list(zip(self.tasks, self.strata, strict=True))
        ends = [*compress(range(1, len(ids)), map(ne, ids, islice(ids, 1, None))), len(ids)]
        by_profile: dict[tuple[tuple[bytes, bytes], ...], list[bytes]] = defaultdict(list)
        start = 0
        for end in ends:
            profile = (pairs[start],) if end - start == 1 else tuple(sorted(pairs[start:end]))
            by_profile[profile].append(ids[start])
            start = end
        return Population(
            tuple(Group(_decoded(p), tuple(u)) for p, u in sorted(by_profile.items()))
        )


def _decoded(profile: Sequence[tuple[bytes, bytes]]) -> Profile:
    return tuple((task.decode(), stratum.decode()) for task, stratum in profile)


def _repeats(values: Sequence[bytes]) -> bool:
    """Whether two neighbours are equal."""
    return any(map(eq, values, islice(values, 1, None)))


def _groups_of_single_pairs(
    ids: list[bytes], tasks: list[bytes], strata: list[bytes]
) -> tuple[Group, ...]:
    """Groups when every entity has one line: one group per (task, stratum), ids in line order
    (that is, sorted)."""
    names, kinds = set(tasks), set(strata)
    if len(names) == 1 and len(kinds) <= FEW_STRATA:  # the common case: one task, few strata
        (task,) = names
        return tuple(
            Group(_decoded([(task, s)]), tuple(ids) if len(kinds) == 1 else _picked(ids, strata, s))
            for s in sorted(kinds)
        )
    by_pair: dict[tuple[bytes, bytes], list[bytes]] = defaultdict(list)
    for pair, uscc in zip(zip(tasks, strata, strict=True), ids, strict=True):
        by_pair[pair].append(uscc)
    return tuple(Group(_decoded([pair]), tuple(by_pair[pair])) for pair in sorted(by_pair))


def _picked(ids: list[bytes], column: list[bytes], value: bytes) -> tuple[bytes, ...]:
    return tuple(compress(ids, map(value.__eq__, column)))


@dataclass(frozen=True)
class SplitFile:
    """population.tsv before any check: the file as read (valid UTF-8) and its lines as bytes
    without their ends (what the Merkle root hashes)."""

    data: bytes
    lines: list[bytes]

    @property
    def ends_lines(self) -> bool:
        """Whether the last line has its line end."""
        return self.data.endswith(b"\n")

    @functools.cached_property
    def text(self) -> str:
        """The lines as text, without the last line end: decoded only when a check needs it."""
        return self.data.decode("utf-8").removesuffix("\n")


def split_population_file(data: bytes) -> SplitFile:
    """population.tsv (UTF-8, ``\\n`` line ends, no header) split into lines."""
    if not data:
        raise DrawError(DrawErrorCode.POPULATION_EMPTY, "the population has no line")
    if not data.isascii():
        data.decode("utf-8")  # raises on a file that is not UTF-8
    lines = data.split(b"\n")
    if data.endswith(b"\n"):
        lines.pop()  # the empty text after the last line end is no line
    return SplitFile(data, lines)


def read_population_file(data: bytes) -> PopulationFile:
    return checked_population_file(split_population_file(data))


def committed_population_file(data: bytes) -> PopulationFile | None:
    """The lines and columns of ``data`` when it is already exactly what ``population_lines``
    makes of its own rows (committed form and order), else None; never the line-by-line check.
    For a writer that made the file some other way (the database's COPY) and falls back to
    ``population_lines`` when this says no."""
    if not data.endswith(b"\n") or b"\r" in data:  # each committed line ends with \n
        return None
    try:
        split = split_population_file(data)
    except UnicodeDecodeError:
        return None
    columns = _columns_if_committed(split)
    return None if columns is None else PopulationFile(split.lines, *columns)


def checked_population_file(split: SplitFile) -> PopulationFile:
    """The lines with their columns, or the line-by-line check's error."""
    columns = _columns_if_committed(split)
    if columns is None:
        rows = parse_population_lines(split.text.split("\n"))  # raises the line-by-line error
        columns = _encoded_columns(rows)
    return PopulationFile(split.lines, *columns)


def _encoded_columns(
    rows: Sequence[tuple[str, str, str]],
) -> tuple[list[bytes], list[bytes], list[bytes]]:
    return (
        [r[0].encode() for r in rows],
        [r[1].encode() for r in rows],
        [r[2].encode() for r in rows],
    )


def _columns_if_committed(
    split: SplitFile,
) -> tuple[list[bytes], list[bytes], list[bytes]] | None:
    """The USCC, stratum and task columns when every line is in the committed form and order;
    None when any check fails (the line-by-line check then names the line)."""
    data = split.data
    # Each line holds exactly two tabs: with everything else deleted, "\t\t\n" per line.
    separators = b"\t\t\n" * len(split.lines)
    if data.translate(None, _NOT_SEPARATOR) != (
        separators if split.ends_lines else separators[:-1]
    ):
        return None
    if b"\r" in data:
        return None
    fields = data.replace(b"\n", b"\t").split(b"\t")
    if split.ends_lines:
        fields.pop()  # the empty text after the last line end
    ids, strata, tasks = fields[0::3], fields[1::3], fields[2::3]
    del fields
    if not (all(ids) and all(strata) and all(tasks)):  # an empty field
        return None
    # Tabs and line ends compose with nothing, so the text is NFC iff every field is.
    if not data.isascii() and not unicodedata.is_normalized("NFC", split.text):
        return None
    # Most files hold no lower case nor white space at all; else the USCCs alone are checked.
    if data.translate(None, _FINE_IN_FILE) and b"".join(ids).translate(None, _FINE_IN_USCC):
        return None
    if not all(map(lt, ids, islice(ids, 1, None))):
        rows = list(zip(ids, strata, tasks, strict=True))
        if not all(map(lt, rows, islice(rows, 1, None))):  # unsorted, or a line twice
            return None
        if _task_twice(ids, tasks):
            return None
    return ids, strata, tasks


def _task_twice(ids: list[bytes], tasks: list[bytes]) -> bool:
    """Whether a (USCC, task) pair is on two lines of sorted lines. An entity's lines are one
    run, so only runs of two or more lines can hold it: in a run of two, the two lines have
    the same task (one C-level pass); runs of three or more are checked with a set."""
    same = list(map(eq, ids, islice(ids, 1, None)))  # line i and line i + 1: one entity
    if any(map(and_, same, map(eq, tasks, islice(tasks, 1, None)))):
        return True
    longer = list(compress(range(len(same)), map(and_, same, islice(same, 1, None))))
    if not longer:
        return False
    lines = sorted({i + k for i in longer for k in range(3)})  # every line of a longer run
    pairs = list(zip(map(ids.__getitem__, lines), map(tasks.__getitem__, lines), strict=True))
    return len(set(pairs)) < len(pairs)
