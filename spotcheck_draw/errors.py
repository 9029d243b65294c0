"""Error codes of the draw engine.

Messages are plain English; the Django side translates by code."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum


class DrawErrorCode(StrEnum):
    POPULATION_EMPTY = "population_empty"  # no line at all
    POPULATION_DUPLICATE = "population_duplicate"  # a (USCC, task) pair appears twice
    POPULATION_BAD_LINE = "population_bad_line"  # not three non-empty tab-separated fields
    POPULATION_BAD_USCC = "population_bad_uscc"  # lower case, space or empty USCC
    POPULATION_UNSORTED = "population_unsorted"  # lines of a file not in the order of §1
    POPULATION_COOLDOWN = "population_cooldown"  # an entity in its cooldown window (§5)
    POPULATION_CAPPED = "population_capped"  # an entity at a yearly cap for the task's department
    DESIGN_INVALID = "design_invalid"  # structure, version, unknown key or value type
    DESIGN_BAD_DECIMAL = "design_bad_decimal"  # a probability or ratio not a decimal in [0, 1]
    DESIGN_BAD_COUNT = "design_bad_count"  # a count that is not an integer >= 0
    DESIGN_UNKNOWN_TASK = "design_unknown_task"  # a population line names a task not designed
    SEED_INVALID = "seed_invalid"  # a seed part that is empty or malformed
    STAFFING_INFEASIBLE = "staffing_infeasible"  # some visit cannot be staffed (§6)
    NO_REPLACEMENT = "no_replacement"  # a recusal with no next candidate in the ranking
    KIT_INVALID = "kit_invalid"  # a kit file missing or unreadable


class DrawError(Exception):
    """A draw cannot proceed; ``code`` is stable, ``details`` lists every offending item."""

    def __init__(self, code: DrawErrorCode, message: str, details: Sequence[str] = ()) -> None:
        self.code = code
        self.message = message
        self.details = tuple(details)
        text = message if not self.details else message + "\n" + "\n".join(self.details)
        super().__init__(text)
