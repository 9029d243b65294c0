"""Selection (§4): per task and stratum, from the shared tickets; joint visits (§4, §6).

Every rule compares tickets exactly. The hot loop keeps only entities below a cut chosen so that
the answer lies among them (checked afterwards, with an exact fallback); keys are the first 20
ticket digits and a tie on a key is settled by the full ticket, then by USCC (§11).
"""

from __future__ import annotations

import gc
import math
from bisect import bisect_left, bisect_right
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from itertools import compress, islice, repeat
from multiprocessing.process import BaseProcess
from operator import add, eq, itemgetter
from typing import Any, NamedTuple, TypeVar

from spotcheck_draw.design import ANY_STRATUM, Design, TaskDesign, parse_design, ratio_size
from spotcheck_draw.errors import DrawError, DrawErrorCode
from spotcheck_draw.partition import PassResult, merge, run_pass
from spotcheck_draw.population import Population
from spotcheck_draw.tickets import (
    CUT_MODULUS,
    KEY_FORMAT,
    KEY_MODULUS,
    Cut,
    TicketHasher,
    key_text,
)

SCALE = KEY_MODULUS // CUT_MODULUS  # a cut limit L means key < L × SCALE
Item = tuple[int, bytes, str]  # (20-digit key, USCC, stratum)
# A selected entity's row, made once per entity however many tasks select it:
# (20-digit key, USCC, published ticket, USCC as UTF-8, slot: its index among the rows)
Row = tuple[int, str, str, bytes, int]
Run = tuple[str, list[Row]]  # (stratum, its selected rows in ascending key)
# Sequential Poisson: (key·w_s, the low end of ticket / p_s scaled; USCC; key; stratum)
Scored = tuple[int, bytes, int, str]
_SCORED_LOW, _SCORED_ID, _SCORED_STRATUM = itemgetter(0), itemgetter(1), itemgetter(3)
_T = TypeVar("_T")
# (population, seed, a cut per group) → the candidates of every group, as ``run_pass`` finds them
PassFunction = Callable[[Population, str, Sequence[Cut]], PassResult]
_KEY, _USCC, _TEXT, _UTF8, _SLOT = (itemgetter(i) for i in range(5))  # of a Row
_TICKET = itemgetter(3)  # of a Selection (its USCC is _USCC too)


class _Rows:
    """The rows made so far, one per entity, and their index by USCC."""

    def __init__(self) -> None:
        self.made: list[Row] = []
        self.index: dict[bytes, Row] = {}
        self.adopt = False  # set once rows may be asked for entities outside the pools

    def make(self, keys: Sequence[int], ids: Sequence[bytes]) -> list[Row]:
        if self.adopt:
            return [self.index.get(u) or self._one(k, u) for k, u in zip(keys, ids, strict=True)]
        start = len(self.made)
        texts = map(KEY_FORMAT.__mod__, keys)
        slots = range(start, start + len(keys))
        rows = list(zip(keys, map(bytes.decode, ids), texts, ids, slots, strict=True))
        self.made += rows
        self.index.update(zip(ids, rows, strict=True))
        return rows

    def _one(self, key: int, uscc: bytes) -> Row:
        row = (key, uscc.decode(), key_text(key), uscc, len(self.made))
        self.made.append(row)
        self.index[uscc] = row
        return row


class _Pool:
    """Candidates of some groups in ascending (key, USCC), complete below ``complete`` / 10^5.
    Their rows are made once, for the longest prefix any task takes; a pool of several groups
    merges its groups' rows."""

    __slots__ = ("complete", "ids", "keys", "parts", "rows", "store")

    def __init__(
        self,
        keys: list[int],
        ids: list[bytes],
        complete: int,
        store: _Rows,
        parts: Sequence[_Pool] = (),
    ) -> None:
        self.keys, self.ids, self.complete, self.store = keys, ids, complete, store
        self.parts = parts
        self.rows: list[Row] = []

    def head(self, n: int) -> list[Row]:
        """The rows of the first n candidates."""
        have = len(self.rows)
        if n > have:
            if self.parts:
                rows = [row for part in self.parts for row in part.head(len(part.keys))]
                self.rows = sorted(rows, key=itemgetter(0, 3))
            else:
                self.rows += self.store.make(self.keys[have:n], self.ids[have:n])
        return self.rows[:n]


class Selection(NamedTuple):
    task: str
    uscc: str
    stratum: str
    ticket: str  # "0." + the first 20 digits


class Visit(NamedTuple):
    visit_id: str
    uscc: str
    ticket: str
    tasks: tuple[str, ...]


class StratumCount(NamedTuple):
    task: str
    stratum: str
    population: int
    sample: int


@dataclass(frozen=True)
class DrawResult:
    seed: str
    counts: list[StratumCount]  # sorted by task, stratum
    selections: list[Selection]  # sorted by task, then ticket
    visits: list[Visit]  # ascending ticket
    visits_saved: int  # Σ department selections − visits


def margin_count(n: int) -> float:
    """n + 6√n + 10: a Binomial(N, t) falls below n with probability < 10⁻⁹ when N·t is this."""
    return n + 6 * math.sqrt(n) + 10


def cut_for_count(n: int, size: int) -> int:
    """limit = ceil(10^5 × (n + 6√n + 10) / N), or everything when n ≥ N, nothing when n = 0."""
    if n <= 0:
        return 0
    if n >= size:
        return CUT_MODULUS
    return min(CUT_MODULUS, math.ceil(CUT_MODULUS * margin_count(n) / size))


def cut_for_probability(p: Fraction) -> int:
    """limit = ceil(10^5 × p): ticket < p implies ticket < limit / 10^5."""
    return min(CUT_MODULUS, math.ceil(p * CUT_MODULUS))


def sequential_scale(sizes: Mapping[str, int], probs: Mapping[str, Fraction], n: int) -> float:
    """c with Σ_s N_s·min(1, c·p_s) ≥ n + 6√n + 10 (bisection); then cut_s = c·p_s."""
    target = margin_count(n)
    lo, hi = 0.0, 1.0 / min(float(p) for p in probs.values() if p > 0)
    for _ in range(60):
        mid = (lo + hi) / 2
        if sum(size * min(1.0, mid * float(probs[s])) for s, size in sizes.items()) >= target:
            hi = mid
        else:
            lo = mid
    return hi


@dataclass
class _Plan:
    task: TaskDesign
    strata: dict[str, int]  # stratum → N
    sizes: dict[str, int]  # stratum → n (count, ratio)
    limits: dict[str, int]  # stratum → cut limit


def _plan(task: TaskDesign, strata: dict[str, int], rounding: str) -> _Plan:
    plan = _Plan(task, strata, {}, {})
    probs: dict[str, Fraction] = {}
    for stratum, size in strata.items():
        value = task.value(stratum)
        if task.mode == "count":
            plan.sizes[stratum] = min(int(value or 0), size)
        elif task.mode == "ratio":
            plan.sizes[stratum] = ratio_size(Fraction(value or 0), size, rounding)
        else:
            probs[stratum] = Fraction(value or 0)
    if task.mode in ("count", "ratio"):
        plan.limits = {s: cut_for_count(plan.sizes[s], strata[s]) for s in strata}
    elif task.mode == "poisson":
        plan.limits = {s: cut_for_probability(p) for s, p in probs.items()}
    else:
        live = {s: strata[s] for s, p in probs.items() if p > 0 and strata[s] > 0}
        everything = task.n >= sum(live.values())
        c = 0.0 if everything or task.n == 0 else sequential_scale(live, probs, task.n)
        for s in strata:
            full = everything and s in live
            want = CUT_MODULUS if full else cut_for_probability(Fraction(c) * probs[s])
            plan.limits[s] = want if s in live and task.n > 0 else 0
        plan.sizes = {s: 0 for s in strata}
    return plan


class _Engine:
    """Runs one draw: cuts, ticket pass, then the per-task rules on the candidates."""

    def __init__(
        self,
        population: Population,
        design: Design,
        seed: str,
        workers: int,
        ticket_pass: PassFunction | None = None,
    ) -> None:
        self.population, self.design, self.seed = population, design, seed
        self.hasher = TicketHasher(seed)
        self.workers = workers
        self.ticket_pass = ticket_pass
        self._tickets: dict[bytes, str] = {}

    def full_ticket(self, uscc: bytes) -> str:
        if uscc not in self._tickets:
            self._tickets[uscc] = self.hasher.ticket(uscc)
        return self._tickets[uscc]

    def exact(self, uscc: bytes) -> Fraction:
        digits = self.full_ticket(uscc)[2:]
        return Fraction(int(digits), 10 ** len(digits))

    def plans(self) -> list[_Plan]:
        sizes = self.population.sizes()
        per_task: dict[str, dict[str, int]] = defaultdict(dict)
        for (task_id, stratum), size in sizes.items():
            per_task[task_id][stratum] = size
        unknown = set(per_task) - {t.id for t in self.design.tasks}
        if unknown:
            raise DrawError(
                DrawErrorCode.DESIGN_UNKNOWN_TASK,
                "population lines name tasks that are not in the design",
                sorted(unknown),
            )
        plans = []
        for task in self.design.tasks:
            strata = dict(per_task.get(task.id, {}))
            for named in task.per_stratum:
                if named != ANY_STRATUM:
                    strata.setdefault(named, 0)
            plans.append(_plan(task, strata, self.design.rounding))
        return plans

    def cut_limits(self) -> list[int]:
        """The ticket pass's cut limit of each group: all a range of the pass needs (§8)."""
        return self.group_limits(self.plans())

    def group_limits(self, plans: Sequence[_Plan]) -> list[int]:
        by_pair = {(p.task.id, s): lim for p in plans for s, lim in p.limits.items()}
        return [max((by_pair.get(pair, 0) for pair in g.profile), default=0) for g in self.groups]

    @property
    def groups(self) -> Sequence[Any]:
        return self.population.groups

    def run(self) -> DrawResult:
        exiting: list[BaseProcess] = []  # ticket-pass workers still exiting: joined at the end
        try:
            return self.run_with(exiting)
        finally:
            for worker in exiting:
                worker.join()

    def run_with(self, exiting: list[BaseProcess]) -> DrawResult:
        plans = self.plans()
        limits = self.group_limits(plans)
        made = {x: Cut.below(x) for x in set(limits)}  # one table per distinct limit
        cuts = [made[x] for x in limits]
        if self.ticket_pass is None:
            passed = run_pass(self.population, self.seed, cuts, self.workers, exiting)
        else:
            passed = self.ticket_pass(self.population, self.seed, cuts)
        self._passed, self._limits = passed, limits
        self._pools: dict[tuple[int, ...], _Pool] = {}
        self._rows = _Rows()
        # Each entity is in one group: equal keys among candidates mean two entities tie.
        keys = [k for _, group_keys in passed.found for k in group_keys]
        self._maybe_ties = len(set(keys)) < len(keys)
        chosen: dict[str, list[Run]] = {}
        for plan in plans:
            chosen[plan.task.id] = runs = self.select(plan)
            if plan.task.mode in ("poisson", "sequential_poisson"):
                plan.sizes = defaultdict(int)
                for stratum, rows in runs:
                    plan.sizes[stratum] += len(rows)
        return self.result(plans, chosen)

    def pool(self, task: str, stratum: str) -> _Pool:
        """Candidates of (task, stratum) in ascending (key, USCC), and the cut under which they
        are complete. Each group's candidates were sorted once; tasks share them."""
        pair = (task, stratum)
        where = tuple(i for i, g in enumerate(self.groups) if pair in g.profile)
        if where not in self._pools:
            found = self._passed.found
            complete = min((self._limits[i] for i in where), default=CUT_MODULUS)
            if len(where) == 1:
                ids, keys = found[where[0]]
                self._pools[where] = _Pool(keys, ids, complete, self._rows)
            elif where:
                ids, keys = merge([PassResult((found[i],)) for i in where]).found[0]
                parts = [self.group_pool(i) for i in where]
                self._pools[where] = _Pool(keys, ids, complete, self._rows, parts)
            else:
                self._pools[where] = _Pool([], [], complete, self._rows)
        return self._pools[where]

    def group_pool(self, i: int) -> _Pool:
        if (i,) not in self._pools:
            ids, keys = self._passed.found[i]
            self._pools[(i,)] = _Pool(keys, ids, self._limits[i], self._rows)
        return self._pools[(i,)]

    def rows_for(self, items: Sequence[Item]) -> list[Row]:
        """Rows of entities that may lie outside the pools (the exact fallbacks)."""
        self._rows.adopt = self._maybe_ties = True
        return self._rows.make([k for k, _, _ in items], [u for _, u, _ in items])

    def everyone(self, task: str, stratum: str) -> list[Item]:
        """Exact fallback: the keys of every entity of (task, stratum)."""
        everything = Cut.below(CUT_MODULUS)
        items: list[Item] = []
        for group in self.groups:
            if (task, stratum) in group.profile:
                ids, keys = self.hasher.scan(group.ids, everything)
                items.extend(zip(keys, ids, [stratum] * len(ids), strict=True))
        return items

    def select(self, plan: _Plan) -> list[Run]:
        """Per stratum, the selected candidates as rows in ascending key."""
        task = plan.task
        if task.mode == "sequential_poisson":
            return self.sequential(plan)
        runs: list[Run] = []
        for stratum in sorted(plan.strata):
            pool = self.pool(task.id, stratum)
            if task.mode == "poisson":
                runs.append((stratum, self.below(pool, Fraction(task.value(stratum) or 0))))
                continue
            n = plan.sizes[stratum]
            region = bisect_left(pool.keys, pool.complete * SCALE)  # pool.keys[:region] is complete
            if n and region < n:
                items = sorted(self.smallest(self.everyone(task.id, stratum), n))
                runs.append((stratum, self.rows_for(items)))
            else:
                runs.append((stratum, self.first(pool, n, region)))
        return runs

    def first(self, pool: _Pool, n: int, region: int) -> list[Row]:
        """The n smallest tickets of a pool; equal keys at the cut are ordered by full ticket,
        then USCC."""
        if n >= region:
            return pool.head(region)
        if n == 0:
            return []
        keys = pool.keys
        edge = keys[n]
        if keys[n - 1] != edge:
            return pool.head(n)
        lo, hi = bisect_left(keys, edge), bisect_right(keys, edge, 0, region)
        rows = pool.head(hi)
        tied = sorted(rows[lo:hi], key=lambda row: (self.full_ticket(row[3]), row[3]))
        return rows[:lo] + tied[: n - lo]

    def below(self, pool: _Pool, p: Fraction) -> list[Row]:
        """Poisson: ticket < p exactly. If p·10^20 is whole, key < p·10^20 decides; else only
        key = floor(p·10^20) needs the full ticket."""
        bound = p * KEY_MODULUS
        whole = math.floor(bound)
        lo = bisect_left(pool.keys, whole)
        if bound == whole:
            return pool.head(lo)
        rows = pool.head(bisect_right(pool.keys, whole, lo))
        return rows[:lo] + [row for row in rows[lo:] if self.exact(row[3]) < p]

    def smallest(self, items: list[Item], n: int) -> list[Item]:
        """The n smallest tickets; equal keys at the cut are ordered by full ticket, then USCC."""
        if n >= len(items):
            return items
        items.sort()
        chosen = items[:n]
        edge = items[n][0]
        if n and items[n - 1][0] == edge:
            tied = sorted(
                (it for it in items if it[0] == edge),
                key=lambda it: (self.full_ticket(it[1]), it[1]),
            )
            chosen = [it for it in chosen if it[0] < edge]
            chosen += tied[: n - len(chosen)]
        return chosen

    def sequential(self, plan: _Plan) -> list[Run]:
        """Sequential Poisson: the n smallest ticket / p_s over all strata, exactly.

        With p_s = a_s/b_s and A = lcm(a_s), ticket/p_s·A·10^20 lies in [key·w_s, (key+1)·w_s)
        where w_s = b_s·A/a_s; intervals settle the order, full tickets settle overlaps. Every
        entity with key·w_s below ``reach`` is a candidate; when at least n of them are surely
        below it, the n smallest are among them and the others are not needed."""
        task = plan.task
        probs = {s: Fraction(task.value(s) or 0) for s in plan.strata}
        live = [s for s in sorted(plan.strata) if probs[s] > 0 and plan.strata[s] > 0]
        if not live or task.n == 0:
            return []
        big_a = math.lcm(*(probs[s].numerator for s in live))
        weight = {s: probs[s].denominator * big_a // probs[s].numerator for s in live}
        pools = {s: self.pool(task.id, s) for s in live}
        if task.n >= sum(plan.strata[s] for s in live):
            return [(s, pools[s].head(len(pools[s].keys))) for s in live]
        # The task's own cuts (made for n with a margin) usually suffice; the pools are
        # complete up to their groups' cuts, which other tasks may have raised.
        reach = min(plan.limits[s] * SCALE * weight[s] for s in live)
        sure = sum(bisect_left(pools[s].keys, reach // weight[s]) for s in live)
        if sure < task.n:
            reach = min(pool.complete * SCALE * weight[s] for s, pool in pools.items())
            sure = sum(bisect_left(pools[s].keys, reach // weight[s]) for s in live)
        scored: list[Scored] = []
        if sure < task.n:
            for s in live:
                scored.extend((k * weight[s], u, k, s) for k, u, _ in self.everyone(task.id, s))
            chosen = _by_stratum(self.smallest_ratio(scored, task.n, weight, probs), live)
            return [(s, self.rows_for([(k, u, s) for _, u, k, _ in chosen[s]])) for s in live]
        for s, pool in pools.items():
            end = bisect_left(pool.keys, -(-reach // weight[s]))
            pool.head(end)  # their rows, indexed by USCC
            scored.extend(_scored(pool.keys[:end], pool.ids[:end], s, weight))
        chosen = _by_stratum(self.smallest_ratio(scored, task.n, weight, probs), live)
        rows = self._rows.index.__getitem__
        return [(s, list(map(rows, map(_SCORED_ID, chosen[s])))) for s in live]

    def smallest_ratio(
        self,
        scored: list[Scored],
        n: int,
        weight: Mapping[str, int],
        probs: Mapping[str, Fraction],
    ) -> list[Scored]:
        """The n smallest ticket / p_s: each lies in [low, low + w_s), so the intervals settle
        the order and full tickets settle the overlaps."""
        scored.sort()  # by low end, then USCC
        top, rest = scored[:n], scored[n:]
        if not rest:
            return top
        first_rest = rest[0][0]
        top_reach = max(
            map(add, map(_SCORED_LOW, top), map(weight.__getitem__, map(_SCORED_STRATUM, top)))
        )
        if top_reach <= first_rest:
            return top
        keep = [it for it in top if it[0] + weight[it[3]] <= first_rest]
        unsure = [it for it in top if it[0] + weight[it[3]] > first_rest]
        unsure += rest[: bisect_left(rest, (top_reach,))]  # rest whose low end is below top_reach
        unsure.sort(
            key=lambda it: (self.exact(it[1]) / probs[it[3]], self.full_ticket(it[1]), it[1])
        )
        return keep + unsure[: n - len(keep)]

    def ticket_order(
        self, rows: list[_T], ticket: Callable[[_T], str], uscc: Callable[[_T], str]
    ) -> list[_T]:
        """Rows already sorted by published ticket (20 digits): runs of equal tickets by full
        ticket, then USCC."""
        if not self._maybe_ties:
            return rows
        texts = list(map(ticket, rows))
        if not any(map(eq, texts, islice(texts, 1, None))):
            return rows
        i = 0
        while i < len(rows) - 1:
            j = i
            while j + 1 < len(rows) and texts[j + 1] == texts[i]:
                j += 1
            if j > i:
                rows[i : j + 1] = sorted(
                    rows[i : j + 1],
                    key=lambda row: (self.full_ticket(uscc(row).encode()), uscc(row)),
                )
            i = j + 1
        return rows

    def result(self, plans: Sequence[_Plan], chosen: Mapping[str, list[Run]]) -> DrawResult:
        counts = sorted(
            StratumCount(p.task.id, s, size, p.sizes.get(s, 0))
            for p in plans
            for s, size in p.strata.items()
        )
        selections: list[Selection] = []
        made = self._rows.made
        tasks_of: list[list[str]] = [[] for _ in made]  # per row slot
        for task_id in sorted(chosen):
            runs = [(stratum, rows) for stratum, rows in chosen[task_id] if rows]
            part: list[Selection] = []
            for stratum, rows in runs:
                fields = zip(repeat(task_id), map(_USCC, rows), repeat(stratum), map(_TEXT, rows))
                part.extend(map(tuple.__new__, repeat(Selection), fields))
                # tasks are taken in sorted order, so each entity's task list comes out sorted
                deque(
                    map(list.append, map(tasks_of.__getitem__, map(_SLOT, rows)), repeat(task_id)),
                    0,
                )
            if len(runs) > 1:
                part.sort(key=_TICKET)
            selections.extend(self.ticket_order(part, _TICKET, _USCC))
        visited = sorted(compress(made, tasks_of), key=_KEY)
        visited = self.ticket_order(visited, _TEXT, _USCC)
        width = max(6, len(str(len(visited))))
        fields = zip(
            map(f"V%0{width}d".__mod__, range(1, len(visited) + 1)),
            map(_USCC, visited),
            map(_TEXT, visited),
            map(tuple, map(tasks_of.__getitem__, map(_SLOT, visited))),
            strict=True,
        )
        visits: list[Visit] = list(map(tuple.__new__, repeat(Visit), fields))
        return DrawResult(self.seed, counts, selections, visits, len(selections) - len(visits))


def _scored(
    keys: Sequence[int], ids: Sequence[bytes], stratum: str, weight: Mapping[str, int]
) -> Iterator[Scored]:
    return zip(map(weight[stratum].__mul__, keys), ids, keys, repeat(stratum))


def _by_stratum(chosen: list[Scored], strata: Sequence[str]) -> dict[str, list[Scored]]:
    """The chosen of each stratum in ascending (key, USCC): within a stratum w_s is one number,
    so the order by (low end, USCC) is that order."""
    chosen.sort()
    names = list(map(_SCORED_STRATUM, chosen))
    return {s: list(compress(chosen, map(s.__eq__, names))) for s in strata}


def as_population(population: Population | Iterable[str] | Iterable[Sequence[str]]) -> Population:
    """A Population, committed lines (str) or rows (USCC, stratum, task)."""
    if isinstance(population, Population):
        return population
    rows = [p.split("\t") if isinstance(p, str) else p for p in population]
    return Population.from_rows(rows)


def draw(
    population: Population | Iterable[str] | Iterable[Sequence[str]],
    design: Mapping[str, Any] | Design,
    seed: str,
    *,
    workers: int = 1,
    ticket_pass: PassFunction | None = None,
) -> DrawResult:
    """Draw every task of a batch with one seed (§4). ``ticket_pass`` replaces the pass over
    ``workers`` processes, e.g. by the merge of ranges drawn by queue workers (§8)."""
    parsed = design if isinstance(design, Design) else parse_design(design)
    with gc_paused():
        return _Engine(as_population(population), parsed, seed, workers, ticket_pass).run()


def cut_limits(population: Population, design: Mapping[str, Any] | Design, seed: str) -> list[int]:
    """The cut limit of each of the population's groups in the ticket pass of ``draw``."""
    parsed = design if isinstance(design, Design) else parse_design(design)
    return _Engine(population, parsed, seed, 1).cut_limits()


@contextmanager
def gc_paused() -> Iterator[None]:
    """The draw makes no reference cycles but many tuples, and every full collection would walk
    the population's lists of USCCs (10⁷ objects): collect afterwards instead."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
