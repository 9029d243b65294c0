"""Where the province batch's commit and draw spend their time (issue 16).

    flock /tmp/bench.lock .venv/bin/python bench/draw_profile.py --database spotcheck_hd_province

Uses the database ``bench/province.py`` generated (run that first). Commits a new joint batch
with ``batch_commit`` under cProfile, timing every SQL statement, then draws it in this process
(the queue's immediate backend: ``run_draw``, each ``run_draw_range`` and ``merge_draw`` run one
after the other, each timed) under cProfile, and prints both breakdowns. In production the
ranges run on separate workers; here their times add up.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def top(profile: cProfile.Profile, sort: str, lines: int) -> str:
    out = io.StringIO()
    pstats.Stats(profile, stream=out).strip_dirs().sort_stats(sort).print_stats(lines)
    return out.getvalue()


class SqlTimer:
    """connection.execute_wrapper: seconds per statement (first 100 characters)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds[" ".join(sql.split())[:100]] += time.perf_counter() - start

    def report(self, lines: int = 8) -> str:
        total = sum(self.seconds.values())
        worst = sorted(self.seconds.items(), key=lambda kv: -kv[1])[:lines]
        return f"SQL {total:.2f} s in all; slowest:\n" + "\n".join(
            f"  {s:6.2f} s  {sql}" for sql, s in worst
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="h12_scale_db")
    parser.add_argument("--ranges", type=int, default=4)
    parser.add_argument("--lines", type=int, default=25, help="profile lines to print")
    parser.add_argument("--timings", action="store_true", help="no cProfile: the steps' times")
    args = parser.parse_args()
    os.environ["SPOTCHECK_DRAW_RANGES"] = str(args.ranges)
    from bench import province

    province.setup(args.database)
    from django.db import connection
    from django.test.utils import override_settings
    from django.utils import timezone

    from spotcheck.accounts.models import User
    from spotcheck.draws import drawing, ranges
    from spotcheck.draws.models import DrawBatch
    from spotcheck.draws.services import batch_commit, batch_request_draw

    province.personas()
    batch = DrawBatch.objects.get(
        pk=province.joint_batch(timezone.localdate() + timedelta(days=30))
    )
    lead = User.objects.get(username="bench_liaison")

    jobs: dict[str, float] = defaultdict(float)

    def timed(name, function):
        def run(*a, **k):
            start = time.perf_counter()
            try:
                return function(*a, **k)
            finally:
                jobs[name] += time.perf_counter() - start

        return run

    from spotcheck.draws import freeze, services

    services.batch_design = timed("  batch_design", services.batch_design)
    freeze.copied_population = timed("    copied_population", freeze.copied_population)
    services.write_encoded_population = timed(
        "  write population, tree, offsets", services.write_encoded_population
    )
    sql = SqlTimer()
    profile = cProfile.Profile()
    start = time.perf_counter()
    with connection.execute_wrapper(sql):
        if not args.timings:
            profile.enable()
        batch = batch_commit(actor=lead, batch=batch)
        profile.disable()
    commit = time.perf_counter() - start
    print(f"== commit {commit:.1f} s ({batch.population_lines:,} lines)")
    for name, seconds in jobs.items():
        print(f"  {seconds:6.2f} s  {name}")
    jobs.clear()
    print(sql.report())
    if not args.timings:
        print(top(profile, "cumulative", args.lines))
        print(top(profile, "tottime", args.lines))

    ranges.split_draw_start = timed("run_draw (plan)", ranges.split_draw_start)
    drawing.split_draw_start = ranges.split_draw_start
    ranges.batch_draw_range = timed("run_draw_range (all)", ranges.batch_draw_range)
    ranges.range_candidates = timed("  range_candidates", ranges.range_candidates)
    ranges.draw_from_files = timed("merge_draw", ranges.draw_from_files)
    drawing.run_kit = timed("  run_kit", drawing.run_kit)
    drawing._store = timed("  store visits", drawing._store)
    from spotcheck_draw import inspectors, kit

    for module, name in ((kit, "checked_population_file"), (kit, "draw"),
                         (inspectors, "assign_inspectors")):  # fmt: skip
        setattr(module, name, timed(f"    {name}", getattr(module, name)))

    sql = SqlTimer()
    profile = cProfile.Profile()
    immediate = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    start = time.perf_counter()
    with override_settings(TASKS=immediate), connection.execute_wrapper(sql):
        if not args.timings:
            profile.enable()
        batch_request_draw(
            actor=lead, batch=batch, randomness="3 1 4 1 5 9 2 6", witnesses="甲、乙"
        )
        profile.disable()
    drawn = time.perf_counter() - start
    batch.refresh_from_db()
    print(f"== draw {drawn:.1f} s in one process, status {batch.status} {batch.failure}")
    for name, seconds in jobs.items():
        print(f"  {seconds:6.2f} s  {name}")
    print(sql.report())
    if not args.timings:
        print(top(profile, "cumulative", args.lines))
        print(top(profile, "tottime", args.lines))
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
