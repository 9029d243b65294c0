"""How the engine starts its worker processes.

fork shares the population with the workers for free (copy on write), so it is used whenever
it is safe: in a process that runs one thread, as the CLI does. Forking a process that runs
other threads (a queue worker that loaded polars, pytest-xdist) may deadlock the child on a
lock some other thread held, and Python warns about it; there the workers come from a
forkserver instead, and their inputs are pickled to them."""

from __future__ import annotations

import multiprocessing
import os
import threading
from multiprocessing.context import ForkContext, ForkServerContext


def thread_count() -> int:
    """Threads of this process, the ones Python did not start too (Linux); else Python's."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count()


def worker_context() -> ForkContext | ForkServerContext | None:
    """fork when this process runs one thread, else forkserver; None when neither exists."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and thread_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        return multiprocessing.get_context("forkserver")
    return None
