"""Inspector assignment (§6).

Visits are staffed in ascending ticket. For each department of a visit the candidates pass, in
order: active, certificate valid on the planned date (expiry ≥ date), qualified for every item of
the department's tasks in the visit, no declared conflict with the entity, not last time's
inspector for that entity and department (rotation), below capacity for the batch. Candidates
are ranked by first_fraction("<USCC>|<inspector id>", seed). A single-department visit takes the
``single_department`` best (default 2); a joint visit takes the best ``per_department`` (default
1) of each department, then the best remaining across departments until ``joint_total``
(default 2). One unstaffable visit fails the whole batch.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from hashlib import sha256
from itertools import compress, islice
from multiprocessing.connection import Connection
from operator import and_, eq, lt, methodcaller, not_
from typing import Any

from spotcheck_draw.design import TaskDesign
from spotcheck_draw.errors import DrawError, DrawErrorCode
from spotcheck_draw.processes import worker_context
from spotcheck_draw.selection import Visit
from spotcheck_draw.tickets import first_fraction, keys_of, seed_prefix

RULES = ("active", "certificate", "qualification", "conflict", "rotation", "capacity")


@dataclass(frozen=True)
class Inspector:
    id: str
    department: str
    active: bool
    qualifications: frozenset[str]
    certificate_expiry: date
    capacity: int


@dataclass(frozen=True)
class Rules:
    single_department: int = 2
    per_department: int = 1
    joint_total: int = 2


@dataclass(frozen=True)
class Snapshot:
    inspectors: tuple[Inspector, ...]
    conflicts: frozenset[tuple[str, str]] = frozenset()  # (inspector, USCC)
    last: Mapping[tuple[str, str], frozenset[str]] = field(default_factory=dict)  # (USCC, dept)

    @classmethod
    def from_design(cls, section: Mapping[str, Any]) -> Snapshot:
        """The design's ``inspectors`` section: directory, conflicts, last_inspectors."""
        return cls(
            tuple(
                Inspector(
                    i["id"],
                    i["department"],
                    bool(i.get("active", True)),
                    frozenset(i.get("qualifications", [])),
                    date.fromisoformat(i["certificate_expiry"]),
                    int(i["capacity"]),
                )
                for i in section.get("directory", [])
            ),
            frozenset((c["inspector"], c["uscc"]) for c in section.get("conflicts", [])),
            {
                (h["uscc"], h["department"]): frozenset(h["inspectors"])
                for h in section.get("last_inspectors", [])
            },
        )


@dataclass(frozen=True)
class Replacement:
    visit_id: str
    recused: str
    replacement: str
    reason: str


@dataclass
class Assignment:
    staff: dict[str, dict[str, list[str]]]  # visit id → department → inspector ids (rank order)
    load: dict[str, int]
    replacements: list[Replacement] = field(default_factory=list)

    def inspector_ids(self, visit_id: str) -> list[str]:
        """Departments in sorted order, each in rank order."""
        by_dept = self.staff.get(visit_id, {})
        return [i for dept in sorted(by_dept) for i in by_dept[dept]]


def rules_from_design(section: Mapping[str, Any]) -> Rules:
    return Rules(**{k: int(v) for k, v in section.get("rules", {}).items()})


def _blocks(person: Inspector, uscc: str, dept: str, items: set[str], ctx: _Context) -> str | None:
    """The first rule that keeps ``person`` off this visit, or None."""
    checks = (
        person.active,
        person.certificate_expiry >= ctx.planned_date,
        items <= person.qualifications,
        (person.id, uscc) not in ctx.snapshot.conflicts,
        person.id not in ctx.snapshot.last.get((uscc, dept), frozenset()),
        ctx.load[person.id] < person.capacity,
    )
    return next((rule for rule, ok in zip(RULES, checks, strict=True) if not ok), None)


@dataclass
class _Context:
    snapshot: Snapshot
    seed: str
    planned_date: date
    load: dict[str, int]


def ranking(uscc: str, department: str, snapshot: Snapshot, seed: str) -> list[Inspector]:
    """The department's inspectors by first_fraction("<USCC>|<id>", seed), then id."""
    people = [p for p in snapshot.inspectors if p.department == department]
    return sorted(people, key=lambda p: (first_fraction(f"{uscc}|{p.id}", seed), p.id))


def _candidates(visit: Visit, dept: str, items: set[str], ctx: _Context) -> tuple[list[str], str]:
    """Eligible ids in rank order, and which rule blocks each of the others."""
    eligible, blocked = [], []
    for person in ranking(visit.uscc, dept, ctx.snapshot, ctx.seed):
        rule = _blocks(person, visit.uscc, dept, items, ctx)
        if rule is None:
            eligible.append(person.id)
        else:
            blocked.append(f"{person.id} {rule}")
    return eligible, ", ".join(blocked) or "too few inspectors in the department"


def _staff(
    visit: Visit, tasks: Mapping[str, TaskDesign], ctx: _Context, rules: Rules
) -> dict[str, list[str]] | str:
    """Staff one visit, or explain why it cannot be staffed."""
    items: dict[str, set[str]] = defaultdict(set)
    for task_id in visit.tasks:
        items[tasks[task_id].department].update(tasks[task_id].items)
    pools = {d: _candidates(visit, d, items[d], ctx) for d in sorted(items)}
    single = len(pools) == 1
    need = rules.single_department if single else rules.per_department
    short = [
        f"{d} needs {need}, {len(ids)} eligible (blocked: {why})"
        for d, (ids, why) in pools.items()
        if len(ids) < need
    ]
    if short:
        return "; ".join(short)
    staff = {d: ids[:need] for d, (ids, _) in pools.items()}
    if not single:
        extra = sorted(
            (
                (first_fraction(f"{visit.uscc}|{i}", ctx.seed), i, d)
                for d, (ids, _) in pools.items()
                for i in ids[need:]
            ),
        )
        missing = rules.joint_total - sum(len(v) for v in staff.values())
        if missing > len(extra):
            return f"joint visit needs {rules.joint_total} inspectors in all"
        for _, i, d in extra[: max(0, missing)]:
            staff[d].append(i)
        ranks = {d: ids for d, (ids, _) in pools.items()}
        staff = {d: sorted(v, key=ranks[d].index) for d, v in staff.items()}
    return staff


Ranked = tuple[int, str]  # (the first 20 ticket digits, inspector id)
_Columns = tuple[list[str], list[bytes], list[int]]  # inspector ids, as UTF-8, capacities


class _Staffing:
    """What staffing reuses from visit to visit, so that a visit costs one hash per eligible
    candidate of its departments and nothing per other inspector: the seed's hash prefix, each department's inspectors who pass the rules
    that do not depend on the visit (active, certificate, qualification; one list per set of
    items), conflicts by entity; and the load so far."""

    def __init__(self, ctx: _Context) -> None:
        self.ctx = ctx
        self.prefix = seed_prefix(ctx.seed)
        self.departments: dict[str, list[Inspector]] = defaultdict(list)
        for person in ctx.snapshot.inspectors:
            self.departments[person.department].append(person)
        self.conflicts: dict[str, set[str]] = defaultdict(set)
        for person_id, uscc in ctx.snapshot.conflicts:
            self.conflicts[uscc].add(person_id)
        self._static: dict[tuple[str, frozenset[str]], _Columns] = {}
        self.capacity = {p.id: p.capacity for p in ctx.snapshot.inspectors}

    def qualified(self, dept: str, items: frozenset[str]) -> _Columns:
        """Active, certificate valid on the planned date, qualified: ids, ids as UTF-8,
        capacities."""
        if (dept, items) not in self._static:
            planned = self.ctx.planned_date
            people = [
                p
                for p in self.departments.get(dept, ())
                if p.active and p.certificate_expiry >= planned and items <= p.qualifications
            ]
            self._static[dept, items] = (
                [p.id for p in people],
                [p.id.encode("utf-8") for p in people],
                [p.capacity for p in people],
            )
        return self._static[dept, items]

    def best(self, uscc: str, dept: str, items: frozenset[str], m: int) -> tuple[list[Ranked], int]:
        """The m best eligible candidates in rank order with their 20-digit ticket keys, and how
        many are eligible; the keys of the first m + 1 are distinct (else the list is empty and
        the count -1: the caller ranks by full tickets).

        A visit's department has about a hundred candidates at a province: each step below is
        one C-level map over them (no bytecode per candidate); a digest is SHA-256 of the whole
        text, the same bytes the prepared state would absorb."""
        banned = self._banned(uscc, dept)
        ids, raws, capacities = self.qualified(dept, items)
        room = list(map(lt, map(self.ctx.load.__getitem__, ids), capacities))
        if banned:
            room = list(map(and_, room, map(not_, map(banned.__contains__, ids))))
        eligible = list(compress(ids, room))
        top = self._top(uscc, eligible, list(compress(raws, room)), m + 1)
        if any(map(eq, (k for k, _ in top), islice((k for k, _ in top), 1, None))):
            return [], -1
        return top[:m], len(eligible)

    def _banned(self, uscc: str, dept: str) -> frozenset[str] | set[str]:
        return self.conflicts.get(uscc, _NONE) | self.ctx.snapshot.last.get((uscc, dept), _NONE)

    def _top(self, uscc: str, ids: list[str], raws: list[bytes], k: int) -> list[Ranked]:
        """The k best of ``ids`` (UTF-8 ``raws``) for the visit of ``uscc``, by (key, id)."""
        start = self.prefix + f"{uscc}|".encode()
        digests = list(map(_DIGEST, map(sha256, map(start.__add__, raws))))
        near: Sequence[int] = range(len(ids))
        if len(ids) > k:
            # The first 5 ticket digits order the candidates up to ties, so the best k are
            # among those whose first 5 digits are at most the k-th smallest: only these need
            # 20-digit keys.
            firsts = list(map(_first_five().__getitem__, map(_MOD_5, map(int.from_bytes, digests))))
            bound = sorted(firsts)[k - 1]
            near = list(compress(near, map(bound.__ge__, firsts)))
        keys = keys_of([digests[i] for i in near])
        return sorted(zip(keys, [ids[i] for i in near], strict=True))[:k]

    def ranked(self, uscc: str, dept: str, items: frozenset[str], k: int) -> Ahead:
        """The k best of the department's qualified inspectors not banned from the visit,
        whatever their load (the ranking does not depend on it), and how many there are: the
        hashing of ``best``, done before the loads are known (by another process)."""
        ids, raws, _ = self.qualified(dept, items)
        if banned := self._banned(uscc, dept):
            keep = list(map(not_, map(banned.__contains__, ids)))
            ids, raws = list(compress(ids, keep)), list(compress(raws, keep))
        return self._top(uscc, ids, raws, k), len(ids)

    def best_ahead(
        self, ahead: Ahead, uscc: str, dept: str, items: frozenset[str], m: int
    ) -> tuple[list[Ranked], int]:
        """``best`` from the ranking made ahead: those of its candidates below capacity, in
        order, are the eligible ones in rank order; when too few of them are, ``best``."""
        top, total = ahead
        load, capacity = self.ctx.load, self.capacity
        free = [r for r in top if load[r[1]] < capacity[r[1]]]
        if len(free) < m + 1 and len(top) < total:
            return self.best(uscc, dept, items, m)
        ids, _, capacities = self.qualified(dept, items)
        room = map(lt, map(load.__getitem__, ids), capacities)
        if banned := self._banned(uscc, dept):
            room = map(and_, room, map(not_, map(banned.__contains__, ids)))
        top = free[: m + 1]
        if any(map(eq, (k for k, _ in top), islice((k for k, _ in top), 1, None))):
            return [], -1
        return top[:m], sum(room)


_DIGEST = methodcaller("digest")
_NONE: frozenset[str] = frozenset()
_MOD_5 = (10**5).__rmod__  # x ↦ x mod 10^5


@functools.cache
def _first_five() -> list[int]:
    """r ↦ reverse_5(r): the first 5 ticket digits of an x with x mod 10^5 = r."""
    return [int(f"{r:05d}"[::-1]) for r in range(10**5)]


def _needs(visit: Visit, tasks: Mapping[str, TaskDesign]) -> dict[str, set[str]]:
    """The items of each department in the visit."""
    items: dict[str, set[str]] = defaultdict(set)
    for task_id in visit.tasks:
        items[tasks[task_id].department].update(tasks[task_id].items)
    return items


def _staff_fast(
    visit: Visit,
    tasks: Mapping[str, TaskDesign],
    staffing: _Staffing,
    rules: Rules,
    ahead: Mapping[str, Ahead] | None = None,
) -> dict[str, list[str]] | None:
    """``_staff`` from the prepared lists (and the rankings made ahead, if any); None when the
    visit cannot be staffed or two tickets share their first 20 digits (``_staff`` then
    decides, and explains)."""
    items = _needs(visit, tasks)
    single = len(items) == 1
    need = rules.single_department if single else rules.per_department
    reach = need if single else max(need, rules.joint_total)  # how deep any rule looks
    best: dict[str, list[Ranked]] = {}
    spare = 0
    for dept in sorted(items):
        wanted = frozenset(items[dept])
        ranked, count = (
            staffing.best(visit.uscc, dept, wanted, reach)
            if ahead is None
            else staffing.best_ahead(ahead[dept], visit.uscc, dept, wanted, reach)
        )
        if count < need:
            return None
        best[dept], spare = ranked, spare + count - need
    staff = {d: [i for _, i in ranked[:need]] for d, ranked in best.items()}
    if single:
        return staff
    missing = rules.joint_total - need * len(best)
    if missing > spare:
        return None
    extra = sorted((k, i, d) for d, ranked in best.items() for k, i in ranked[need:])
    keys = [k for k, _, _ in extra[: max(0, missing) + 1]]
    if any(map(eq, keys, islice(keys, 1, None))):
        return None
    for _, i, d in extra[: max(0, missing)]:
        staff[d].append(i)  # the next in that department's ranking
    return staff


Ahead = tuple[list[Ranked], int]  # the best candidates whatever their load, and how many in all
RANK_SPARE = 3  # ranked ahead beyond a visit's need: room for that many of them at capacity
PARALLEL_VISITS = 2_000  # below this, a second process costs more than it saves


def _ranked_visits(
    staffing: _Staffing, visits: Sequence[Visit], tasks: Mapping[str, TaskDesign], depth: int
) -> list[dict[str, Ahead]]:
    return [
        {
            dept: staffing.ranked(visit.uscc, dept, frozenset(items), depth)
            for dept, items in _needs(visit, tasks).items()
        }
        for visit in visits
    ]


def _send_ranked(
    send: Connection,
    snapshot: Snapshot,
    seed: str,
    planned_date: date,
    visits: Sequence[Visit],
    tasks: Mapping[str, TaskDesign],
    depth: int,
) -> None:
    staffing = _Staffing(_Context(snapshot, seed, planned_date, {}))
    send.send(_ranked_visits(staffing, visits, tasks, depth))
    send.close()


def _rank_ahead(
    visits: Sequence[Visit], tasks: Mapping[str, TaskDesign], staffing: _Staffing, depth: int
) -> list[dict[str, Ahead]]:
    """The rankings of every visit's departments: the later half by a second process (see
    processes.py) while this one ranks the first half."""
    context = worker_context()
    if context is None:
        return _ranked_visits(staffing, visits, tasks, depth)
    half = len(visits) // 2
    ctx = staffing.ctx
    receive, send = context.Pipe(duplex=False)
    args = (send, ctx.snapshot, ctx.seed, ctx.planned_date, visits[half:], tasks, depth)
    child = context.Process(target=_send_ranked, args=args, daemon=True)
    child.start()
    send.close()
    try:
        first = _ranked_visits(staffing, visits[:half], tasks, depth)
        later: list[dict[str, Ahead]] = receive.recv()
    except EOFError:  # it died before sending
        raise RuntimeError(f"staffing worker {child.pid} ended without its rankings") from None
    except BaseException:
        child.terminate()
        raise
    finally:
        receive.close()
        child.join()
    return first + later


def assign_inspectors(
    visits: Sequence[Visit],
    snapshot: Snapshot,
    *,
    seed: str,
    planned_date: date,
    rules: Rules,
    tasks: Mapping[str, TaskDesign],
    workers: int = 1,
) -> Assignment:
    """Staff every visit in ascending ticket, or raise one error naming every failure. With
    ``workers`` > 1 and many visits, the candidates are ranked ahead by two processes (the
    hashing is most of the cost, and does not depend on the loads); the visits are then
    staffed in order from those rankings, with the same teams."""
    ctx = _Context(snapshot, seed, planned_date, {p.id: 0 for p in snapshot.inspectors})
    staffing = _Staffing(ctx)
    staff: dict[str, dict[str, list[str]]] = {}
    failures: list[str] = []
    ordered = sorted(visits, key=lambda v: (v.ticket, v.uscc))
    aheads: Sequence[Mapping[str, Ahead] | None] = [None] * len(ordered)
    if workers > 1 and len(ordered) >= PARALLEL_VISITS:
        depth = max(rules.single_department, rules.per_department, rules.joint_total)
        aheads = _rank_ahead(ordered, tasks, staffing, depth + 1 + RANK_SPARE)
    for visit, ahead in zip(ordered, aheads, strict=True):
        fast = _staff_fast(visit, tasks, staffing, rules, ahead)
        outcome = _staff(visit, tasks, ctx, rules) if fast is None else fast
        if isinstance(outcome, str):
            failures.append(f"{visit.visit_id} {visit.uscc}: {outcome}")
            continue
        staff[visit.visit_id] = outcome
        for ids in outcome.values():
            for i in ids:
                ctx.load[i] += 1
    if failures:
        raise DrawError(
            DrawErrorCode.STAFFING_INFEASIBLE,
            f"{len(failures)} visit(s) cannot be staffed; nothing was assigned",
            failures,
        )
    return Assignment(staff, ctx.load)


def replace_inspector(
    assignment: Assignment,
    visit: Visit,
    recused: str,
    reason: str,
    *,
    snapshot: Snapshot,
    seed: str,
    planned_date: date,
    tasks: Mapping[str, TaskDesign],
) -> Assignment:
    """递补: the next eligible candidate in the same ranking replaces ``recused``."""
    staff = {d: list(ids) for d, ids in assignment.staff[visit.visit_id].items()}
    dept = next((d for d, ids in staff.items() if recused in ids), None)
    if dept is None:
        raise DrawError(DrawErrorCode.NO_REPLACEMENT, f"{recused} is not on visit {visit.visit_id}")
    items = {i for t in visit.tasks if tasks[t].department == dept for i in tasks[t].items}
    load = dict(assignment.load)
    load[recused] -= 1
    ctx = _Context(snapshot, seed, planned_date, load)
    taken = {i for ids in staff.values() for i in ids} | {recused}
    done = {r.recused for r in assignment.replacements if r.visit_id == visit.visit_id}
    eligible, rule = _candidates(visit, dept, items, ctx)
    nxt = next((i for i in eligible if i not in taken and i not in done), None)
    if nxt is None:
        raise DrawError(
            DrawErrorCode.NO_REPLACEMENT,
            f"no next candidate for {recused} on visit {visit.visit_id} ({dept}: {rule})",
        )
    staff[dept][staff[dept].index(recused)] = nxt
    load[nxt] += 1
    new_staff = {**assignment.staff, visit.visit_id: staff}
    record = Replacement(visit.visit_id, recused, nxt, reason)
    return Assignment(new_staff, load, [*assignment.replacements, record])
