"""The ticket pass split into jobs for separate workers (§8): plan, range, merge.

``plan_split`` reads the population once, fixes each group's cut (which depends on the whole
population's stratum sizes) and cuts population.tsv into byte ranges at USCC boundaries (the
lines are sorted by USCC, so a range is a run of whole entities). ``range_candidates`` needs only
its own bytes of the file: it groups its lines by profile and keeps the entities below their
group's cut. ``merged_pass`` gives the draw the union of the ranges, each group's candidates
merged in ascending (key, USCC): exactly what the pass over the whole population finds, so the
draw, and the kit, are those of one process. Nothing here knows of queues; the caller stores the
plan and each range's candidates as text (``encode_*`` / ``decode_*``) and runs the jobs.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate, pairwise
from typing import Any

from spotcheck_draw.design import parse_design
from spotcheck_draw.errors import DrawError, DrawErrorCode
from spotcheck_draw.partition import PassResult, by_key, ticket_pass, uscc_ranges
from spotcheck_draw.population import Population, Profile
from spotcheck_draw.population_file import checked_population_file, split_population_file
from spotcheck_draw.selection import PassFunction, cut_limits
from spotcheck_draw.tickets import Cut, TicketHasher

Candidates = dict[Profile, tuple[list[bytes], list[int]]]  # per profile: USCCs and their keys


@dataclass(frozen=True)
class SplitPlan:
    seed: str
    limits: dict[Profile, int]  # each group's cut limit
    ranges: list[tuple[int, int]]  # [start, end) byte offsets in population.tsv

    def encode(self) -> str:
        return json.dumps(
            {
                "seed": self.seed,
                "limits": [
                    [[list(p) for p in profile], lim] for profile, lim in self.limits.items()
                ],
                "ranges": self.ranges,
            },
            ensure_ascii=False,
        )

    @classmethod
    def decode(cls, text: str) -> SplitPlan:
        data = json.loads(text)
        limits = {tuple((t, s) for t, s in profile): lim for profile, lim in data["limits"]}
        return cls(data["seed"], limits, [(a, b) for a, b in data["ranges"]])


def plan_split(design: Mapping[str, Any], data: bytes, seed: str, parts: int) -> SplitPlan:
    """The cuts of the draw of ``data`` (population.tsv) with ``seed``, and ``parts`` ranges of
    about equal size (fewer when the population has fewer distinct split points)."""
    population_file = checked_population_file(split_population_file(data))
    lines = population_file.lines
    population = population_file.population()
    limits = cut_limits(population, parse_design(design), seed)
    starts = [0, *accumulate(len(line) + 1 for line in lines)]  # byte offset of each line
    usccs = population_file.ids  # UTF-8 bytes, sorted as the committed file is
    offsets = [0]
    for lo, _ in uscc_ranges(population, parts)[1:]:
        assert lo is not None  # only the first range is open below
        offsets.append(starts[bisect_left(usccs, lo)])
    offsets.append(len(data))
    ranges = [(a, b) for a, b in pairwise(offsets) if a < b]
    return SplitPlan(
        seed, {g.profile: lim for g, lim in zip(population.groups, limits, strict=True)}, ranges
    )


def range_candidates(chunk: bytes, plan: SplitPlan) -> Candidates:
    """The candidates of one range's bytes of population.tsv, per profile in ascending
    (key, USCC)."""
    if not chunk.strip(b"\n"):
        return {}
    population = checked_population_file(split_population_file(chunk)).population()
    hasher = TicketHasher(plan.seed)
    found: Candidates = {}
    for group in population.groups:
        if group.profile not in plan.limits:
            raise DrawError(
                DrawErrorCode.DESIGN_UNKNOWN_TASK,
                "a range of the population has a profile its plan does not know",
                [repr(group.profile)],
            )
        ids, keys = hasher.scan(group.ids, Cut.below(plan.limits[group.profile]))
        if ids:
            found[group.profile] = by_key(ids, keys)
    return found


def merge_candidates(population: Population, parts: Sequence[Candidates]) -> PassResult:
    """The ranges' candidates as one pass over ``population``: per group, merged by
    (key, USCC) as ``partition.merge`` does."""
    merged = []
    for group in population.groups:
        runs = [part[group.profile] for part in parts if group.profile in part]
        if len(runs) == 1:
            merged.append(runs[0])
            continue
        ids = [u for run in runs for u in run[0]]
        keys = [k for run in runs for k in run[1]]
        merged.append(by_key(ids, keys))
    return PassResult(tuple(merged))


def merged_pass(plan: SplitPlan, parts: Sequence[Candidates]) -> PassFunction:
    """The draw's ticket pass from the ranges' candidates. When the draw's seed or cuts are not
    the plan's (the files changed after planning), the pass runs here instead: the draw is then
    still exact, only not split."""

    def run(population: Population, seed: str, cuts: Sequence[Cut]) -> PassResult:
        planned = [plan.limits.get(g.profile) for g in population.groups]
        if seed != plan.seed or planned != [c.limit for c in cuts]:
            return ticket_pass(population, seed, cuts)
        return merge_candidates(population, parts)

    return run


def encode_candidates(found: Candidates) -> str:
    """One line per candidate: profile (JSON), USCC, key; profiles in their sorted order."""
    out = []
    for profile in sorted(found):
        name = json.dumps(profile, ensure_ascii=False)
        ids, keys = found[profile]
        out += [f"{name}\t{u.decode()}\t{k}\n" for u, k in zip(ids, keys, strict=True)]
    return "".join(out)


def decode_candidates(text: str) -> Candidates:
    found: Candidates = {}
    for line in text.splitlines():
        name, uscc, key = line.split("\t")
        profile = tuple((t, s) for t, s in json.loads(name))
        ids, keys = found.setdefault(profile, ([], []))
        ids.append(uscc.encode())
        keys.append(int(key))
    return found
