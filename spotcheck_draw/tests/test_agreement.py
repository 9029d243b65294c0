# mypy: disable-error-code="import-untyped,index,arg-type,attr-defined,call-overload,unused-ignore,no-any-return,misc"
"""Our fast path against consistent-sampler, on random populations and seeds."""

from fractions import Fraction

import consistent_sampler
from hypothesis import given, settings
from hypothesis import strategies as st

from spotcheck_draw.population import Population
from spotcheck_draw.selection import draw
from spotcheck_draw.tickets import Cut, TicketHasher, first_fraction, key_text

USCC = st.text(st.sampled_from("0123456789ABCDEFGHJKLMNPQRTUWXY"), min_size=1, max_size=18)
TEXT = st.characters(exclude_categories=["Cs"])  # any code point UTF-8 can carry
SEEDS = st.one_of(st.text(TEXT, min_size=1, max_size=30), st.sampled_from(["种子:骰子 3 1 4", "ü"]))


@given(st.text(TEXT, min_size=1, max_size=20), SEEDS)
def test_first_fraction_equals_reference(uscc: str, seed: str) -> None:
    assert first_fraction(uscc, seed) == consistent_sampler.first_fraction(uscc, seed)


@given(st.sets(USCC, min_size=1, max_size=60), SEEDS, st.integers(0, 70))
@settings(max_examples=60, deadline=None)
def test_count_mode_equals_sampler(ids: set[str], seed: str, take: int) -> None:
    design = {
        "version": 1,
        "tasks": [{"id": "t", "department": "d", "mode": "count", "strata": {"*": take}}],
    }
    got = draw([(u, "s", "t") for u in ids], design, seed)
    want = list(consistent_sampler.sampler(sorted(ids), seed=seed, take=take, output="id"))
    assert [s.uscc for s in got.selections] == want
    for s in got.selections:
        assert s.ticket == consistent_sampler.first_fraction(s.uscc, seed)[:22]


@given(
    st.sets(USCC, min_size=1, max_size=80),
    SEEDS,
    st.sampled_from(["0", "0.1", "0.35", "0.5", "0.999", "1", "0.12345678901234567890123"]),
)
@settings(max_examples=60, deadline=None)
def test_poisson_mode_is_exact(ids: set[str], seed: str, p: str) -> None:
    design = {
        "version": 1,
        "tasks": [{"id": "t", "department": "d", "mode": "poisson", "probabilities": {"*": p}}],
    }
    got = {s.uscc for s in draw([(u, "s", "t") for u in ids], design, seed).selections}
    want = {
        u
        for u in ids
        if Fraction(consistent_sampler.first_fraction(u, seed)[2:])
        / 10 ** len(consistent_sampler.first_fraction(u, seed)[2:])
        < Fraction(p)
    }
    assert got == want


@given(st.sets(USCC, min_size=2, max_size=60), SEEDS, st.integers(0, 30))
@settings(max_examples=40, deadline=None)
def test_sequential_poisson_is_exact(ids: set[str], seed: str, n: int) -> None:
    probs = {"A": "0.3", "B": "0.07", "C": "0"}
    rows = [(u, "ABC"[i % 3], "t") for i, u in enumerate(sorted(ids))]
    design = {
        "version": 1,
        "tasks": [
            {
                "id": "t",
                "department": "d",
                "mode": "sequential_poisson",
                "n": n,
                "probabilities": probs,
            }
        ],
    }
    got = {s.uscc for s in draw(rows, design, seed).selections}

    def ratio(u: str, s: str) -> Fraction:
        t = consistent_sampler.first_fraction(u, seed)[2:]
        return Fraction(int(t), 10 ** len(t)) / Fraction(probs[s])

    ranked = sorted((ratio(u, s), u) for u, s, _ in rows if s != "C")
    assert got == {u for _, u in ranked[:n]}


@given(st.sets(USCC, min_size=1, max_size=200), SEEDS, st.integers(0, 100000))
@settings(max_examples=40, deadline=None)
def test_scan_keeps_exactly_the_tickets_below_the_cut(ids: set[str], seed: str, limit: int) -> None:
    hasher = TicketHasher(seed)
    found, keys = hasher.scan([u.encode() for u in sorted(ids)], Cut.below(limit))
    want = [u for u in sorted(ids) if int(first_fraction(u, seed)[2:7]) < limit]
    assert [u.decode() for u in found] == want
    assert [key_text(k) for k in keys] == [first_fraction(u, seed)[:22] for u in want]


def test_population_forms_agree() -> None:
    ids = [f"91{i:016d}".encode() for i in range(3000)]
    tasks = ["a", "b"]
    design = {
        "version": 1,
        "tasks": [
            {"id": "a", "department": "x", "mode": "ratio", "strata": {"*": "0.01"}},
            {"id": "b", "department": "y", "mode": "count", "strata": {"s": 40}},
        ],
    }
    rows = [(u.decode(), "s", t) for u in ids for t in tasks]
    one = draw(Population.uniform({"s": ids}, tasks), design, "seed ü")
    two = draw(rows, design, "seed ü")
    assert one == two
