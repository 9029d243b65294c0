# mypy: disable-error-code="import-untyped,arg-type,misc,unused-ignore"
"""Workers are forked only from a process that runs one thread; a threaded one (a queue worker
that loaded polars, pytest-xdist) gets the same draw from forkserver workers, without the
multi-threaded fork warning."""

import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from spotcheck_draw import commitments
from spotcheck_draw.commitments import MerkleRootJob, merkle_root_of_encoded
from spotcheck_draw.population import Population
from spotcheck_draw.processes import thread_count, worker_context
from spotcheck_draw.selection import draw

IDS = tuple(f"91330100{i * 7 + 100000000:09d}X".encode() for i in range(20_000))
DESIGN = {
    "version": 1,
    "tasks": [{"id": "t", "department": "d", "mode": "count", "strata": {"*": 300}}],
}


@contextmanager
def another_thread() -> Iterator[None]:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def test_a_threaded_process_starts_its_workers_from_a_forkserver() -> None:
    with another_thread():
        assert thread_count() >= 2
        context = worker_context()
        assert context is not None and context.get_start_method() == "forkserver"


def test_a_threaded_process_draws_on_two_workers_as_on_one_without_warning(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(commitments, "PARALLEL_LINES", 1)
    population = Population.uniform({"s": IDS}, ["t"])
    lines = [u + b"\ts\tt" for u in IDS]
    alone = draw(population, DESIGN, "seed", workers=1)
    with another_thread(), warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        shared = draw(population, DESIGN, "seed", workers=2)
        with MerkleRootJob(lines, workers=2) as job:
            root = job.result()
    assert shared == alone
    assert root == merkle_root_of_encoded(lines)
