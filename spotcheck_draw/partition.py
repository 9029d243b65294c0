"""The ticket pass split by USCC range, and its exact merge (§8).

A range [lo, hi) of USCCs is independent of every other range: each entity's ticket depends only
on its USCC and the seed, and a candidate is an entity whose ticket is below its group's cut. So
the candidates of the whole population are the union of the candidates of the ranges; each range
returns them in ascending (key, USCC) and ``merge`` merges the sorted runs: it is exact. The
Django side sends ranges to queue workers; here ``run_pass`` starts one process per extra core
and hands the ranges out one at a time."""

from __future__ import annotations

import os
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice
from multiprocessing.process import BaseProcess
from operator import eq
from typing import Any

from spotcheck_draw.population import Population
from spotcheck_draw.processes import worker_context
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


def _slice(ids: Sequence[bytes], rng: Range) -> Sequence[bytes]:
    """The ids of the range: a slice copies only pointers, and after a fork each process then
    touches (and copies, page by page) only the USCC objects of the ranges it takes."""
    lo = 0 if rng[0] is None else bisect_left(ids, rng[0])
    hi = len(ids) if rng[1] is None else bisect_left(ids, rng[1])
    return ids if (lo, hi) == (0, len(ids)) else ids[lo:hi]


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


RANGES_PER_WORKER = 8  # enough that a process slowed by its neighbours takes fewer ranges


def _take_ranges(
    population: Population, seed: str, cuts: Sequence[Cut], ranges: Sequence[Range], next_range: Any
) -> list[PassResult]:
    """Passes over ranges taken one at a time from the shared counter, until none is left."""
    done: list[PassResult] = []
    while True:
        with next_range.get_lock():
            i = next_range.value
            next_range.value = i + 1
        if i >= len(ranges):
            return done
        done.append(ticket_pass(population, seed, cuts, ranges[i]))


def _child(conn: Any, *args: Any) -> None:
    conn.send(_take_ranges(*args))
    conn.close()


def run_pass(
    population: Population,
    seed: str,
    cuts: Sequence[Cut],
    workers: int = 1,
    exiting: list[BaseProcess] | None = None,
) -> PassResult:
    """The ticket pass on ``workers`` processes (the parent is one of them; see processes.py). The USCC
    ranges are handed out from a shared counter, so both cores stay busy to the end.

    A worker's exit unmaps its copy of this process's memory, which takes a while: given
    ``exiting``, the workers that have sent their result are put there for the caller to join
    later, once it has done its own work meanwhile; else they are joined here."""
    ctx = worker_context() if workers > 1 else None
    if ctx is None:
        return ticket_pass(population, seed, cuts)
    ranges = uscc_ranges(population, workers * RANGES_PER_WORKER)
    next_range = ctx.Value("i", 0)
    args = (population, seed, cuts, ranges, next_range)
    children = []
    for _ in range(workers - 1):
        receive, send = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_child, args=(send, *args), daemon=True)
        proc.start()
        send.close()
        children.append((proc, receive))
    parts = _take_ranges(*args)
    for proc, receive in children:
        try:
            parts += receive.recv()
        except EOFError:  # it died before sending
            proc.join()
            raise RuntimeError(
                f"ticket pass worker {proc.pid} exited with {proc.exitcode}"
            ) from None
        if exiting is None:
            proc.join()
        else:
            exiting.append(proc)
    return merge(parts)


def cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
