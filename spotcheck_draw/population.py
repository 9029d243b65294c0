"""The population in memory: entities grouped by their (task, stratum) profile.

A profile is the set of (task, stratum) pairs an entity belongs to. Entities with the same profile
share one ticket cut, so the hot loop runs once per group over a plain list of USCC bytes, with
no per-entity object beyond the USCC itself."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from spotcheck_draw.commitments import population_lines

Profile = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Group:
    profile: Profile  # sorted (task, stratum) pairs
    # UTF-8 USCCs, sorted, in a tuple: the collector untracks a tuple that holds only bytes at
    # its first pass, so no later collection walks the millions of USCCs again.
    ids: tuple[bytes, ...]

    def stratum_of(self, task: str) -> str | None:
        for t, s in self.profile:
            if t == task:
                return s
        return None


@dataclass(frozen=True)
class Population:
    groups: tuple[Group, ...]

    @classmethod
    def from_rows(cls, rows: Iterable[Sequence[str]]) -> Population:
        """Rows or committed lines' fields → groups (validated as in ``population_lines``)."""
        profiles: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for line in population_lines(rows):
            uscc, stratum, task = line.split("\t")
            profiles[uscc].append((task, stratum))
        by_profile: dict[Profile, list[bytes]] = defaultdict(list)
        for uscc, pairs in profiles.items():
            by_profile[tuple(sorted(pairs))].append(uscc.encode("utf-8"))
        return cls(tuple(Group(p, tuple(ids)) for p, ids in sorted(by_profile.items())))

    @classmethod
    def from_lines(cls, lines: Iterable[str]) -> Population:
        return cls.from_rows(line.split("\t") for line in lines)

    @classmethod
    def uniform(cls, strata: Mapping[str, Sequence[bytes]], tasks: Sequence[str]) -> Population:
        """Every entity of every stratum in every task (sorted, distinct USCC bytes given)."""
        return cls(
            tuple(
                Group(tuple(sorted((t, s) for t in tasks)), tuple(ids))
                for s, ids in sorted(strata.items())
            )
        )

    def sizes(self) -> dict[tuple[str, str], int]:
        """N per (task, stratum)."""
        sizes: dict[tuple[str, str], int] = defaultdict(int)
        for group in self.groups:
            for pair in group.profile:
                sizes[pair] += len(group.ids)
        return dict(sizes)

    def tasks(self) -> set[str]:
        return {t for g in self.groups for t, _ in g.profile}

    def entity_count(self) -> int:
        return sum(len(g.ids) for g in self.groups)
