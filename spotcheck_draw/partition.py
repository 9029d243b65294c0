"""The ticket pass split by USCC range, and its exact merge (§8).

A range [lo, hi) of USCCs is independent of every other range: each entity's ticket depends only
on its USCC and the seed, and a candidate is an entity whose ticket is below its group's cut. So
the candidates of the whole population are the union of the candidates of the ranges; each range
returns them in ascending (key, USCC) and ``merge`` merges the sorted runs: it is exact. The
Django side sends ranges to queue workers; here ``run_pass`` forks one process per extra core."""

from __future__ import annotations

import multiprocessing
import os
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import islice
from operator import eq

from spotcheck_draw.population import Population
from spotcheck_draw.tickets import Cut, TicketHasher

Range = tuple[bytes | None, bytes | None]  # [lo, hi); None is open


@dataclass(frozen=True)
class PassResult:
    """Per group: candidate USCCs and their 20-digit keys, in ascending key (equal keys by
    USCC), so that selection only slices and the merge of ranges is a merge of sorted runs."""

    found: tuple[tuple[list[bytes], list[int]], ...]


def by_key(ids: Sequence[bytes], keys: Sequence[int]) -> tuple[list[bytes], list[int]]:
    """Candidates in ascending (key, USCC)."""
    order = sorted(range(len(keys)), key=keys.__getitem__)
    sorted_keys = list(map(keys.__getitem__, order))
    if any(map(eq, sorted_keys, islice(sorted_keys, 1, None))):  # equal keys: by USCC
        pairs = sorted(zip(keys, ids, strict=True))
        return [u for _, u in pairs], [k for k, _ in pairs]
    return list(map(ids.__getitem__, order)), sorted_keys


def uscc_ranges(population: Population, parts: int) -> list[Range]:
    """Split points at the quantiles of a sample of the USCCs of every group."""
    sample = sorted(u for g in population.groups for u in g.ids[:: max(1, len(g.ids) // 1000)])
    if parts <= 1 or not sample:
        return [(None, None)]
    cuts = sorted({sample[len(sample) * i // parts] for i in range(1, parts)})
    bounds: list[bytes | None] = [None, *cuts, None]
    return [(bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1)]


def _slice(ids: Sequence[bytes], rng: Range) -> Iterable[bytes]:
    """The ids of the range, without copying them: after a fork, touching an object copies
    its memory page, so each process reads only its own range (the last range backwards)."""
    lo = 0 if rng[0] is None else bisect_left(ids, rng[0])
    hi = len(ids) if rng[1] is None else bisect_left(ids, rng[1])
    if lo == 0:
        return ids if hi == len(ids) else islice(ids, hi)
    if hi == len(ids):
        return islice(reversed(ids), hi - lo)
    return ids[lo:hi]


def ticket_pass(
    population: Population, seed: str, cuts: Sequence[Cut], rng: Range = (None, None)
) -> PassResult:
    """Candidates of the USCC range ``rng``: per group, ids with ticket < cut.limit / 10^5."""
    hasher = TicketHasher(seed)
    return PassResult(
        tuple(
            by_key(*hasher.scan(_slice(g.ids, rng), cut))
            for g, cut in zip(population.groups, cuts, strict=True)
        )
    )


def merge(parts: Sequence[PassResult]) -> PassResult:
    """Merge the ranges' candidates group by group: sorted runs, merged by key (and USCC)."""
    if not parts:
        return PassResult(())
    merged = []
    for per_group in zip(*(p.found for p in parts), strict=True):
        runs = [run for run in per_group if run[1]]
        if len(runs) == 1:
            merged.append(runs[0])
            continue
        ids: list[bytes] = []
        keys: list[int] = []
        for found, found_keys in runs:
            ids.extend(found)
            keys.extend(found_keys)
        merged.append(by_key(ids, keys))
    return PassResult(tuple(merged))


def _child(
    conn: object, population: Population, seed: str, cuts: Sequence[Cut], rng: Range
) -> None:
    result = ticket_pass(population, seed, cuts, rng)
    conn.send(result)  # type: ignore[attr-defined]
    conn.close()  # type: ignore[attr-defined]


def run_pass(
    population: Population, seed: str, cuts: Sequence[Cut], workers: int = 1
) -> PassResult:
    """The ticket pass on ``workers`` processes (fork; the parent takes the first range)."""
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return ticket_pass(population, seed, cuts)
    ranges = uscc_ranges(population, workers)
    ctx = multiprocessing.get_context("fork")
    children = []
    for rng in ranges[1:]:
        receive, send = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_child, args=(send, population, seed, cuts, rng), daemon=True)
        proc.start()
        send.close()
        children.append((proc, receive))
    parts = [ticket_pass(population, seed, cuts, ranges[0])]
    for proc, receive in children:
        parts.append(receive.recv())
        proc.join()
        if proc.exitcode != 0:
            raise RuntimeError(f"ticket pass worker {proc.pid} exited with {proc.exitcode}")
    return merge(parts)


def cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
