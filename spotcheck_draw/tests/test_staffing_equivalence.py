# mypy: disable-error-code="import-untyped,arg-type,misc,unused-ignore,no-untyped-def,type-arg,no-untyped-call,attr-defined"
"""Staffing from prepared lists assigns exactly the teams of the implementation it replaced
(kept below as the reference, as it was), and fails with exactly its messages."""

from collections import defaultdict
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spotcheck_draw import inspectors as module
from spotcheck_draw.design import parse_design
from spotcheck_draw.errors import DrawError, DrawErrorCode
from spotcheck_draw.inspectors import Inspector, Rules, Snapshot, assign_inspectors
from spotcheck_draw.selection import Visit
from spotcheck_draw.tickets import first_fraction

# --- the reference: assign_inspectors before prepared lists, verbatim -------------------------
RULES = ("active", "certificate", "qualification", "conflict", "rotation", "capacity")


def _blocks(person, uscc, dept, items, ctx):
    checks = (
        person.active,
        person.certificate_expiry >= ctx["planned_date"],
        items <= person.qualifications,
        (person.id, uscc) not in ctx["snapshot"].conflicts,
        person.id not in ctx["snapshot"].last.get((uscc, dept), frozenset()),
        ctx["load"][person.id] < person.capacity,
    )
    return next((rule for rule, ok in zip(RULES, checks, strict=True) if not ok), None)


def reference_ranking(uscc, department, snapshot, seed):
    people = [p for p in snapshot.inspectors if p.department == department]
    return sorted(people, key=lambda p: (first_fraction(f"{uscc}|{p.id}", seed), p.id))


def _candidates(visit, dept, items, ctx):
    eligible, blocked = [], []
    for person in reference_ranking(visit.uscc, dept, ctx["snapshot"], ctx["seed"]):
        rule = _blocks(person, visit.uscc, dept, items, ctx)
        if rule is None:
            eligible.append(person.id)
        else:
            blocked.append(f"{person.id} {rule}")
    return eligible, ", ".join(blocked) or "too few inspectors in the department"


def _staff(visit, tasks, ctx, rules):
    items = defaultdict(set)
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
            (first_fraction(f"{visit.uscc}|{i}", ctx["seed"]), i, d)
            for d, (ids, _) in pools.items()
            for i in ids[need:]
        )
        missing = rules.joint_total - sum(len(v) for v in staff.values())
        if missing > len(extra):
            return f"joint visit needs {rules.joint_total} inspectors in all"
        for _, i, d in extra[: max(0, missing)]:
            staff[d].append(i)
        ranks = {d: ids for d, (ids, _) in pools.items()}
        staff = {d: sorted(v, key=ranks[d].index) for d, v in staff.items()}
    return staff


def reference_assign(visits, snapshot, *, seed, planned_date, rules, tasks):
    ctx = {
        "snapshot": snapshot,
        "seed": seed,
        "planned_date": planned_date,
        "load": {p.id: 0 for p in snapshot.inspectors},
    }
    staff = {}
    failures = []
    for visit in sorted(visits, key=lambda v: (v.ticket, v.uscc)):
        outcome = _staff(visit, tasks, ctx, rules)
        if isinstance(outcome, str):
            failures.append(f"{visit.visit_id} {visit.uscc}: {outcome}")
            continue
        staff[visit.visit_id] = outcome
        for ids in outcome.values():
            for i in ids:
                ctx["load"][i] += 1
    if failures:
        raise DrawError(
            DrawErrorCode.STAFFING_INFEASIBLE,
            f"{len(failures)} visit(s) cannot be staffed; nothing was assigned",
            failures,
        )
    return staff, ctx["load"]


# --- randomized inputs ------------------------------------------------------------------------
PLANNED = date(2026, 12, 1)
DEPARTMENTS = ("market", "health", "fire")
TASKS = parse_design(
    {
        "version": 1,
        "tasks": [
            {"id": f"t-{d}", "department": d, "mode": "count", "items": [d], "strata": {"*": 1}}
            for d in DEPARTMENTS
        ]
        + [
            {
                "id": "t-market-price",
                "department": "market",
                "mode": "count",
                "items": ["market", "price"],
                "strata": {"*": 1},
            }
        ],
    }
).tasks
TASK_IDS = [t.id for t in TASKS]
USCCS = [f"91330100{i:09d}X" for i in range(40)]

people = st.lists(
    st.builds(
        lambda n, dept, active, days, quals, capacity: Inspector(
            f"I{n}",
            dept,
            active,
            frozenset(quals),
            PLANNED + timedelta(days=days),
            capacity,
        ),
        st.integers(0, 10**6),
        st.sampled_from(DEPARTMENTS),
        st.sampled_from([True, True, True, False]),
        st.integers(-1, 6),  # most certificates valid on the planned date, some not
        st.sets(st.sampled_from(["market", "health", "fire", "price"]), max_size=1).map(
            lambda missing: {"market", "health", "fire", "price"} - missing
        ),
        st.integers(0, 8),
    ),
    min_size=3,
    max_size=30,
    unique_by=lambda p: p.id,
)


@st.composite
def cases(draw):
    directory = draw(people)
    ids = [p.id for p in directory] or ["I0"]
    conflicts = draw(st.sets(st.tuples(st.sampled_from(ids), st.sampled_from(USCCS)), max_size=8))
    last = draw(
        st.dictionaries(
            st.tuples(st.sampled_from(USCCS), st.sampled_from(DEPARTMENTS)),
            st.frozensets(st.sampled_from(ids), max_size=2),
            max_size=8,
        )
    )
    visits = [
        Visit(f"V{k:06d}", uscc, draw(st.sampled_from(["0.1", "0.5", "0.9"])), tuple(task_ids))
        for k, (uscc, task_ids) in enumerate(
            draw(
                st.lists(
                    st.tuples(
                        st.sampled_from(USCCS),
                        st.sets(st.sampled_from(TASK_IDS), min_size=1).map(sorted),
                    ),
                    max_size=20,
                    unique_by=lambda v: v[0],
                )
            )
        )
    ]
    rules = Rules(*draw(st.tuples(st.integers(1, 3), st.integers(1, 2), st.integers(1, 4))))
    return visits, Snapshot(tuple(directory), frozenset(conflicts), last), rules


def outcome(assign, visits, snapshot, rules, seed):
    try:
        result = assign(
            visits,
            snapshot,
            seed=seed,
            planned_date=PLANNED,
            rules=rules,
            tasks={t.id: t for t in TASKS},
        )
    except DrawError as exc:
        return ("fails", exc.code, exc.message, exc.details)
    if isinstance(result, tuple):
        return result
    return result.staff, result.load


@settings(max_examples=300, deadline=None)
@given(cases(), st.text(min_size=1, max_size=8))
def test_teams_and_failures_equal_the_reference(case, seed) -> None:
    visits, snapshot, rules = case
    assert outcome(assign_inspectors, visits, snapshot, rules, seed) == outcome(
        reference_assign, visits, snapshot, rules, seed
    )


@settings(max_examples=150, deadline=None)
@given(cases(), st.text(min_size=1, max_size=8))
def test_equal_leading_digits_are_ranked_by_the_full_ticket(case, seed) -> None:
    # given keys of one digit: many candidates share a key, so ties meet the full tickets
    visits, snapshot, rules = case
    keys_of = module.keys_of
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(module, "keys_of", lambda digests: [k // 10**19 for k in keys_of(digests)])
        fast = outcome(assign_inspectors, visits, snapshot, rules, seed)
    # then the teams are still the reference's
    assert fast == outcome(reference_assign, visits, snapshot, rules, seed)


def test_a_feasible_batch_of_400_visits_gets_the_reference_teams() -> None:
    # given 400 visits, a third of them joint, and 60 inspectors with conflicts and rotation
    directory = tuple(
        Inspector(
            f"I{n}",
            DEPARTMENTS[n % 3],
            n % 17 != 0,
            frozenset({"market", "health", "fire"} | ({"price"} if n % 2 else set())),
            PLANNED + timedelta(days=30 - n % 31),
            100,
        )
        for n in range(60)
    )
    usccs = [f"91330100{i:09d}X" for i in range(400)]
    visits = [
        Visit(f"V{k:06d}", uscc, f"0.{(k * 7919) % 400:03d}", tuple(TASK_IDS[: 1 + k % 3]))
        for k, uscc in enumerate(usccs)
    ]
    snapshot = Snapshot(
        directory,
        frozenset((f"I{n}", usccs[n * 5]) for n in range(60)),
        {(usccs[k], "market"): frozenset({f"I{k % 60}"}) for k in range(0, 400, 3)},
    )
    for rules in (Rules(), Rules(3, 1, 4), Rules(2, 2, 2)):
        # when both staff it, then the teams and loads are the same
        fast = outcome(assign_inspectors, visits, snapshot, rules, "seed")
        assert fast[0] != "fails"
        assert fast == outcome(reference_assign, visits, snapshot, rules, "seed")


def ranked_ahead(workers):
    """assign_inspectors ranking every batch ahead, in ``workers`` processes."""

    def assign(*args, **kwargs):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(module, "PARALLEL_VISITS", 1)
            return assign_inspectors(*args, **kwargs, workers=workers)

    return assign


@settings(max_examples=150, deadline=None)
@given(cases(), st.text(min_size=1, max_size=8))
def test_rankings_made_ahead_give_the_reference_teams_and_failures(case, seed) -> None:
    # given small capacities (0 to 8): the rankings made ahead often run out of free candidates
    visits, snapshot, rules = case
    # when the candidates are ranked before the loads are known, then the teams and failures
    # are the reference's
    assert outcome(ranked_ahead(1 << 30), visits, snapshot, rules, seed) == outcome(
        reference_assign, visits, snapshot, rules, seed
    )


def test_rankings_made_by_a_second_process_give_the_reference_teams() -> None:
    # given the batch of 400 visits below, with capacities that fill up
    directory = tuple(
        Inspector(
            f"I{n}",
            DEPARTMENTS[n % 3],
            n % 17 != 0,
            frozenset({"market", "health", "fire"}),
            PLANNED + timedelta(days=30),
            30 + n % 5,
        )
        for n in range(60)
    )
    usccs = [f"91330100{i:09d}X" for i in range(400)]
    visits = [
        Visit(f"V{k:06d}", uscc, f"0.{(k * 7919) % 400:03d}", tuple(TASK_IDS[: 1 + k % 3]))
        for k, uscc in enumerate(usccs)
    ]
    snapshot = Snapshot(directory, frozenset((f"I{n}", usccs[n * 5]) for n in range(60)), {})
    # when two processes rank the candidates ahead, then the teams and loads are the reference's
    fast = outcome(ranked_ahead(2), visits, snapshot, Rules(), "seed")
    assert fast[0] != "fails"
    assert fast == outcome(reference_assign, visits, snapshot, Rules(), "seed")
    assert max(fast[1].values()) == 34  # capacities were reached
