"""population.tsv read and checked column by column (§10, §11).

The rules are those of ``commitments.parse_population_lines``, checked over whole columns with
C-level string methods instead of character by character per line: three fields per line, none
empty, no carriage return, NFC, USCCs upper case without white space, lines in strictly
ascending (USCC, stratum, task) order, no (USCC, task) twice. When any column check fails, the
line-by-line check runs instead, so an invalid file gets exactly the error it always got; the
column checks only ever accept what the line-by-line check accepts.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import compress, islice, repeat
from operator import eq, lt, ne

from spotcheck_draw.commitments import parse_population_lines
from spotcheck_draw.errors import DrawError, DrawErrorCode
from spotcheck_draw.population import Group, Population, Profile

_SPACE = re.compile(r"\s")  # on str, re's \s is str.isspace, the test of check_uscc


@dataclass(frozen=True)
class PopulationFile:
    """The committed lines of population.tsv as UTF-8 bytes (what the Merkle root hashes) and
    their three columns."""

    lines: list[bytes]
    usccs: list[str]
    strata: list[str]
    tasks: list[str]

    def rows(self) -> Iterator[tuple[str, str, str]]:
        return zip(self.usccs, self.strata, self.tasks, strict=True)

    def population(self) -> Population:
        """The groups of ``Population.from_rows``, built without checking the lines again."""
        ids = list(map(str.encode, self.usccs))
        if not _repeats(self.usccs):  # one line per entity: its profile is its one pair
            return Population(_groups_of_single_pairs(ids, self.tasks, self.strata))
        # Lines are sorted by USCC, so each entity's lines are one run; a run of one line (most
        # entities) is its own profile, a longer one is sorted by (task, stratum).
        pairs = list(zip(self.tasks, self.strata, strict=True))
        ends = [*compress(range(1, len(ids)), map(ne, ids, islice(ids, 1, None))), len(ids)]
        by_profile: dict[Profile, list[bytes]] = defaultdict(list)
        start = 0
        for end in ends:
            profile = (pairs[start],) if end - start == 1 else tuple(sorted(pairs[start:end]))
            by_profile[profile].append(ids[start])
            start = end
        return Population(tuple(Group(p, tuple(u)) for p, u in sorted(by_profile.items())))


def _repeats(values: Sequence[str]) -> bool:
    """Whether two neighbours are equal."""
    return any(map(eq, values, islice(values, 1, None)))


def _groups_of_single_pairs(
    ids: list[bytes], tasks: list[str], strata: list[str]
) -> tuple[Group, ...]:
    """Groups when every entity has one line: one group per (task, stratum), ids in line order
    (that is, sorted)."""
    names = set(tasks)
    if len(names) == 1:  # the common case: group by stratum alone, no pair per line
        (task,) = names
        by_stratum: dict[str, list[bytes]] = defaultdict(list)
        for stratum, uscc in zip(strata, ids, strict=True):
            by_stratum[stratum].append(uscc)
        return tuple(Group(((task, s),), tuple(by_stratum[s])) for s in sorted(by_stratum))
    by_pair: dict[tuple[str, str], list[bytes]] = defaultdict(list)
    for pair, uscc in zip(zip(tasks, strata, strict=True), ids, strict=True):
        by_pair[pair].append(uscc)
    return tuple(Group((pair,), tuple(by_pair[pair])) for pair in sorted(by_pair))


def split_population_file(data: bytes) -> tuple[str, list[bytes]]:
    """population.tsv (UTF-8, ``\\n`` line ends, no header) → its text without the last line
    end, and its lines as bytes: what the Merkle root hashes, before any check."""
    text = data.decode("utf-8")
    if not text:
        raise DrawError(DrawErrorCode.POPULATION_EMPTY, "the population has no line")
    if text.endswith("\n"):  # the last line's end, not an empty line after it
        text, data = text[:-1], data[:-1]
    return text, data.split(b"\n")


def read_population_file(data: bytes) -> PopulationFile:
    return checked_population_file(*split_population_file(data))


def checked_population_file(text: str, lines: list[bytes]) -> PopulationFile:
    """The lines with their columns, or the line-by-line check's error."""
    columns = _columns_if_committed(text, lines)
    if columns is None:
        rows = parse_population_lines(text.split("\n"))  # raises the line-by-line error
        columns = [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]
    return PopulationFile(lines, *columns)


def _columns_if_committed(
    text: str, lines: list[bytes]
) -> tuple[list[str], list[str], list[str]] | None:
    """The USCC, stratum and task columns when every line is in the committed form and order;
    None when any check fails (the line-by-line check then names the line)."""
    if "\r" in text or not all(map((2).__eq__, map(bytes.count, lines, repeat(b"\t")))):
        return None
    fields = text.replace("\n", "\t").split("\t")
    usccs, strata, tasks = fields[0::3], fields[1::3], fields[2::3]
    if "" in usccs or "" in strata or "" in tasks:
        return None
    # Tabs and line ends compose with nothing, so the text is NFC iff every field is.
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        return None
    joined = "".join(usccs)
    if joined.upper() != joined:
        return None
    if not joined.isalnum() and _SPACE.search(joined):  # letters and digits are never space
        return None
    if not all(map(lt, usccs, islice(usccs, 1, None))):
        rows = list(zip(usccs, strata, tasks, strict=True))
        if not all(map(lt, rows, islice(rows, 1, None))):  # unsorted, or a line twice
            return None
        if len(set(zip(usccs, tasks, strict=True))) < len(rows):  # (USCC, task) twice
            return None
    return usccs, strata, tasks
