"""Selection (§4): per task and stratum, from the shared tickets; joint visits (§4, §6).

Every rule compares tickets exactly. The hot loop keeps only entities below a cut chosen so that
the answer lies among them (checked afterwards, with an exact fallback); keys are the first 20
ticket digits and a tie on a key is settled by the full ticket, then by USCC (§11).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, NamedTuple

from spotcheck_draw.design import ANY_STRATUM, Design, TaskDesign, parse_design, ratio_size
from spotcheck_draw.errors import DrawError, DrawErrorCode
from spotcheck_draw.partition import PassResult, run_pass
from spotcheck_draw.population import Population
from spotcheck_draw.tickets import CUT_MODULUS, KEY_MODULUS, Cut, TicketHasher, key_text

SCALE = KEY_MODULUS // CUT_MODULUS  # a cut limit L means key < L × SCALE
Item = tuple[int, bytes, str]  # (20-digit key, USCC, stratum)


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

    def __init__(self, population: Population, design: Design, seed: str, workers: int) -> None:
        self.population, self.design, self.seed = population, design, seed
        self.hasher = TicketHasher(seed)
        self.workers = workers
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

    def group_limits(self, plans: Sequence[_Plan]) -> list[int]:
        by_pair = {(p.task.id, s): lim for p in plans for s, lim in p.limits.items()}
        return [max((by_pair.get(pair, 0) for pair in g.profile), default=0) for g in self.groups]

    @property
    def groups(self) -> Sequence[Any]:
        return self.population.groups

    def run(self) -> DrawResult:
        plans = self.plans()
        limits = self.group_limits(plans)
        passed = run_pass(self.population, self.seed, [Cut.below(x) for x in limits], self.workers)
        chosen: dict[str, list[Item]] = {}
        for plan in plans:
            chosen[plan.task.id] = self.ticket_order(self.select(plan, passed, limits))
            if plan.task.mode in ("poisson", "sequential_poisson"):
                plan.sizes = defaultdict(int)
                for _, _, stratum in chosen[plan.task.id]:
                    plan.sizes[stratum] += 1
        return self.result(plans, chosen)

    def items(
        self, task: str, stratum: str, passed: PassResult, limits: list[int]
    ) -> tuple[list[Item], int]:
        """Candidates of (task, stratum) and the cut under which they are complete."""
        items: list[Item] = []
        complete = CUT_MODULUS
        for group, (ids, keys), limit in zip(self.groups, passed.found, limits, strict=True):
            if (task, stratum) in group.profile:
                items.extend(zip(keys, ids, [stratum] * len(ids), strict=True))
                complete = min(complete, limit)
        return items, complete

    def everyone(self, task: str, stratum: str) -> list[Item]:
        """Exact fallback: the keys of every entity of (task, stratum)."""
        everything = Cut.below(CUT_MODULUS)
        items: list[Item] = []
        for group in self.groups:
            if (task, stratum) in group.profile:
                ids, keys = self.hasher.scan(group.ids, everything)
                items.extend(zip(keys, ids, [stratum] * len(ids), strict=True))
        return items

    def select(self, plan: _Plan, passed: PassResult, limits: list[int]) -> list[Item]:
        task = plan.task
        if task.mode == "sequential_poisson":
            return self.sequential(plan, passed, limits)
        chosen: list[Item] = []
        for stratum in sorted(plan.strata):
            items, complete = self.items(task.id, stratum, passed, limits)
            if task.mode == "poisson":
                chosen.extend(self.below(items, Fraction(task.value(stratum) or 0)))
                continue
            n = plan.sizes[stratum]
            region = [it for it in items if it[0] < complete * SCALE]
            if n and len(region) < n:
                region = self.everyone(task.id, stratum)
            chosen.extend(self.smallest(region, n))
        return chosen

    def below(self, items: list[Item], p: Fraction) -> list[Item]:
        """Poisson: ticket < p exactly. If p·10^20 is whole, key < p·10^20 decides; else only
        key = floor(p·10^20) needs the full ticket."""
        bound = p * KEY_MODULUS
        whole = math.floor(bound)
        if bound == whole:
            return [it for it in items if it[0] < whole]
        return [it for it in items if it[0] < whole or (it[0] == whole and self.exact(it[1]) < p)]

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

    def sequential(self, plan: _Plan, passed: PassResult, limits: list[int]) -> list[Item]:
        """Sequential Poisson: the n smallest ticket / p_s over all strata, exactly.

        With p_s = a_s/b_s and A = lcm(a_s), ticket/p_s·A·10^20 lies in [key·w_s, (key+1)·w_s)
        where w_s = b_s·A/a_s; intervals settle the order, full tickets settle overlaps."""
        task = plan.task
        probs = {s: Fraction(task.value(s) or 0) for s in plan.strata}
        live = [s for s in sorted(plan.strata) if probs[s] > 0 and plan.strata[s] > 0]
        if not live or task.n == 0:
            return []
        big_a = math.lcm(*(probs[s].numerator for s in live))
        weight = {s: probs[s].denominator * big_a // probs[s].numerator for s in live}
        items: list[Item] = []
        reach = None
        for s in live:
            found, complete = self.items(task.id, s, passed, limits)
            items.extend(found)
            edge = complete * SCALE * weight[s]
            reach = edge if reach is None else min(reach, edge)
        if task.n >= sum(plan.strata[s] for s in live):
            return items
        sure = sum(1 for k, _, s in items if (k + 1) * weight[s] <= (reach or 0))
        if sure < task.n:
            items = [it for s in live for it in self.everyone(task.id, s)]
        return self.smallest_ratio(items, task.n, weight, probs)

    def smallest_ratio(
        self, items: list[Item], n: int, weight: Mapping[str, int], probs: Mapping[str, Fraction]
    ) -> list[Item]:
        items.sort(key=lambda it: (it[0] * weight[it[2]], it[1]))
        top, rest = items[:n], items[n:]
        if not rest:
            return top
        first_rest = rest[0][0] * weight[rest[0][2]]
        top_reach = max((k + 1) * weight[s] for k, _, s in top)
        if top_reach <= first_rest:
            return top
        unsure = [it for it in top if (it[0] + 1) * weight[it[2]] > first_rest]
        unsure += [it for it in rest if it[0] * weight[it[2]] < top_reach]
        keep = [it for it in top if (it[0] + 1) * weight[it[2]] <= first_rest]
        unsure.sort(
            key=lambda it: (self.exact(it[1]) / probs[it[2]], self.full_ticket(it[1]), it[1])
        )
        return keep + unsure[: n - len(keep)]

    def ticket_order(self, items: list[Item]) -> list[Item]:
        """Ascending ticket: by key, runs of equal keys by full ticket, then USCC."""
        items.sort()
        i = 0
        while i < len(items) - 1:
            j = i
            while j + 1 < len(items) and items[j + 1][0] == items[i][0]:
                j += 1
            if j > i:
                items[i : j + 1] = sorted(
                    items[i : j + 1], key=lambda it: (self.full_ticket(it[1]), it[1])
                )
            i = j + 1
        return items

    def result(self, plans: Sequence[_Plan], chosen: Mapping[str, list[Item]]) -> DrawResult:
        counts = sorted(
            StratumCount(p.task.id, s, size, p.sizes.get(s, 0))
            for p in plans
            for s, size in p.strata.items()
        )
        selections: list[Selection] = []
        per_entity: dict[bytes, list[str]] = defaultdict(list)
        first_key: dict[bytes, int] = {}
        for task_id in sorted(chosen):
            for key, uscc, stratum in chosen[task_id]:
                selections.append(Selection(task_id, uscc.decode(), stratum, key_text(key)))
                per_entity[uscc].append(task_id)
                first_key[uscc] = key
        order = self.ticket_order([(first_key[u], u, "") for u in per_entity])
        width = max(6, len(str(len(order))))
        visits = [
            Visit(f"V{i:0{width}d}", u.decode(), key_text(k), tuple(sorted(per_entity[u])))
            for i, (k, u, _) in enumerate(order, start=1)
        ]
        return DrawResult(self.seed, counts, selections, visits, len(selections) - len(visits))


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
) -> DrawResult:
    """Draw every task of a batch with one seed (§4)."""
    parsed = design if isinstance(design, Design) else parse_design(design)
    return _Engine(as_population(population), parsed, seed, workers).run()
