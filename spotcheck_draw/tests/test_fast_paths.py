# mypy: disable-error-code="import-untyped,index,arg-type,attr-defined,call-overload,unused-ignore,no-any-return,misc"
"""The rarely taken paths of the fast selection, forced: equal 20-digit keys (settled by the full
ticket) and candidate cuts that turn out too small (the exact fallback)."""

import multiprocessing
from fractions import Fraction

import consistent_sampler
import pytest

from spotcheck_draw import partition, selection, tickets
from spotcheck_draw.selection import draw

IDS = [f"9133{i:014d}" for i in range(3000)]
ROWS = [(u, "AB"[i % 2], t) for i, u in enumerate(IDS) for t in ("c", "p", "q")]
DESIGN = {
    "version": 1,
    "tasks": [
        {"id": "c", "department": "x", "mode": "count", "strata": {"A": 150, "B": 40}},
        {"id": "p", "department": "y", "mode": "poisson", "probabilities": {"*": "0.03"}},
        {
            "id": "q",
            "department": "z",
            "mode": "sequential_poisson",
            "n": 90,
            "probabilities": {"A": "0.02", "B": "0.05"},
        },
    ],
}
SEED = "fast paths ü"


def exact(uscc: str) -> Fraction:
    digits = consistent_sampler.first_fraction(uscc, SEED)[2:]
    return Fraction(int(digits), 10 ** len(digits))


def expected() -> dict[str, list[str]]:
    strata = {s: [u for u, t_s, t in ROWS if t == "c" and t_s == s] for s in "AB"}
    count = sorted(
        [
            u
            for s, n in (("A", 150), ("B", 40))
            for u in consistent_sampler.sampler(sorted(strata[s]), seed=SEED, take=n, output="id")
        ],
        key=exact,
    )
    poisson = sorted((u for u in IDS if exact(u) < Fraction("0.03")), key=exact)
    probs = {"A": Fraction("0.02"), "B": Fraction("0.05")}
    ranked = sorted((exact(u) / probs[s], u) for u, s, t in ROWS if t == "q")
    sequential = sorted((u for _, u in ranked[:90]), key=exact)
    return {"c": count, "p": poisson, "q": sequential}


def check() -> None:
    result = draw(ROWS, DESIGN, SEED, workers=2)
    got: dict[str, list[str]] = {}
    for s in result.selections:
        got.setdefault(s.task, []).append(s.uscc)
    assert got == expected()
    everyone = sorted({u for us in got.values() for u in us}, key=exact)
    assert [v.uscc for v in result.visits] == everyone


def test_plain() -> None:
    check()


@pytest.fixture
def forked_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    """A patch reaches the ticket pass's workers only if they are forked (under pytest-xdist this
    process runs threads, where the engine would start them from a forkserver)."""
    monkeypatch.setattr(partition, "worker_context", lambda: multiprocessing.get_context("fork"))


@pytest.mark.filterwarnings("ignore:.*multi-threaded.*fork:DeprecationWarning")
@pytest.mark.usefixtures("forked_workers")
def test_equal_keys_are_settled_by_the_full_ticket(monkeypatch: pytest.MonkeyPatch) -> None:
    scan = tickets.TicketHasher.scan

    def coarse(
        self: object, ids: object, cut: object
    ) -> object:  # keys keep 3 digits: thousands of entities share each key
        found, keys = scan(self, ids, cut)
        return found, [k // 10**17 * 10**17 for k in keys]

    monkeypatch.setattr(tickets.TicketHasher, "scan", coarse)
    check()


@pytest.mark.filterwarnings("ignore:.*multi-threaded.*fork:DeprecationWarning")
@pytest.mark.usefixtures("forked_workers")
def test_cuts_too_small_fall_back_to_every_ticket(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selection, "margin_count", lambda n: n * 0.6 + 1)
    check()


@pytest.mark.parametrize("x", [0, 7, 10**19 + 3, 10**20 - 1, 2**255 + 12345, 2**256 - 1])
def test_keys_of_digests_are_the_first_20_ticket_digits(x: int) -> None:
    digest = x.to_bytes(32, "big")
    ticket = tickets.fraction_of(x)
    assert tickets.keys_of([digest]) == [int(ticket[2:22])] == [tickets.lead_key(x)]
