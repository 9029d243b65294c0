# mypy: disable-error-code="import-untyped,index,arg-type,attr-defined,call-overload,unused-ignore,no-any-return,misc"
"""Inclusion frequencies over many seeds match the design; overlap of two departments is
Σ min(p1, p2). Tolerances are 5 binomial standard deviations (false alarm < 1e-6 per check)."""

import math

from spotcheck_draw.population import Population
from spotcheck_draw.selection import draw

IDS = [f"9133{i:014d}".encode() for i in range(400)]
STRATA = {"A": IDS[:200], "B": IDS[200:]}
SEEDS = 300


def within(observed: int, trials: int, p: float) -> bool:
    sd = math.sqrt(trials * p * (1 - p))
    return abs(observed - trials * p) <= 5 * sd + 1


def test_frequencies_and_overlap() -> None:
    # given a count task (20 of 200 in A), a poisson task (0.05 / 0.3) and a sequential task
    design = {
        "version": 1,
        "tasks": [
            {"id": "c", "department": "x", "mode": "count", "strata": {"A": 20}},
            {
                "id": "p",
                "department": "y",
                "mode": "poisson",
                "probabilities": {"A": "0.05", "B": "0.3"},
            },
            {"id": "r", "department": "z", "mode": "ratio", "strata": {"B": "0.1"}},
        ],
    }
    population = Population.uniform(STRATA, ["c", "p", "r"])
    hits = {t: [0] * len(IDS) for t in "cpr"}
    both_cp = both_pr = 0
    for k in range(SEEDS):
        result = draw(population, design, f"seed-{k}")
        chosen = {t: {s.uscc for s in result.selections if s.task == t} for t in "cpr"}
        for t in "cpr":
            for i, u in enumerate(IDS):
                hits[t][i] += u.decode() in chosen[t]
        both_cp += len(chosen["c"] & chosen["p"])
        both_pr += len(chosen["p"] & chosen["r"])
        assert result.visits_saved == len(result.selections) - len(result.visits)
    # then each entity's frequency matches its inclusion probability
    expect = {
        "c": [0.1] * 200 + [0.0] * 200,
        "p": [0.05] * 200 + [0.3] * 200,
        "r": [0.0] * 200 + [0.1] * 200,
    }
    for t in "cpr":
        assert all(within(h, SEEDS, p) for h, p in zip(hits[t], expect[t], strict=True)), t
        total_p = sum(expect[t])
        assert abs(sum(hits[t]) - SEEDS * total_p) <= 5 * math.sqrt(SEEDS * total_p) + 1
    # and two departments overlap by Σ min(p1, p2) per draw (the largest possible)
    for observed, expected in ((both_cp, 200 * 0.05), (both_pr, 200 * 0.1)):
        assert abs(observed / SEEDS - expected) <= 5 * math.sqrt(expected / SEEDS) + 0.05
