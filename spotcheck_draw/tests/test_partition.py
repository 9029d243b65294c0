# mypy: disable-error-code="import-untyped,index,arg-type,attr-defined,call-overload,unused-ignore,no-any-return,misc"
import multiprocessing
import os

import pytest

from spotcheck_draw import partition
from spotcheck_draw.partition import merge, run_pass, ticket_pass, uscc_ranges
from spotcheck_draw.population import Population
from spotcheck_draw.selection import draw
from spotcheck_draw.tickets import Cut

IDS = {
    "A": [f"9133{i:014d}".encode() for i in range(0, 30000, 3)],
    "B": [f"9133{i:014d}".encode() for i in range(1, 30000, 3)],
}


def test_ranges_merge_exactly() -> None:
    population = Population.uniform(IDS, ["t"])
    cuts = [Cut.below(3000), Cut.below(777)]
    whole = ticket_pass(population, "s", cuts)
    for parts in (2, 3, 7):
        ranges = uscc_ranges(population, parts)
        assert merge([ticket_pass(population, "s", cuts, r) for r in ranges]) == whole
    assert run_pass(population, "s", cuts, workers=2) == whole


def test_partitioned_draw_equals_single_process() -> None:
    design = {
        "version": 1,
        "tasks": [
            {"id": "t", "department": "x", "mode": "count", "strata": {"A": 300, "B": 17}},
            {
                "id": "u",
                "department": "y",
                "mode": "sequential_poisson",
                "n": 200,
                "probabilities": {"A": "0.01", "B": "0.03"},
            },
        ],
    }
    population = Population.uniform(IDS, ["t", "u"])
    assert draw(population, design, "s", workers=2) == draw(population, design, "s", workers=1)


@pytest.mark.filterwarnings("ignore:.*multi-threaded.*fork:DeprecationWarning")
def test_a_worker_that_dies_fails_the_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    parent, real = os.getpid(), partition._take_ranges
    # the fault is patched in, which only a forked child inherits (under pytest-xdist this
    # process runs threads, where the engine would take a forkserver)
    monkeypatch.setattr(partition, "worker_context", lambda: multiprocessing.get_context("fork"))

    def dies_in_the_child(*args: object) -> object:
        if os.getpid() != parent:
            os._exit(3)
        return real(*args)

    monkeypatch.setattr(partition, "_take_ranges", dies_in_the_child)
    population = Population.uniform(IDS, ["t"])
    with pytest.raises(RuntimeError, match="exited with 3"):
        run_pass(population, "s", [Cut.below(3000), Cut.below(777)], workers=2)
