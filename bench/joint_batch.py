"""The demo's five-department joint check (餐饮服务单位联合抽查) committed and drawn through
Django: the same services the ceremony page calls, on a database of its own.

    .venv/bin/python bench/joint_batch.py [--database var/bench-demo.sqlite3] [--rounds 3]

The demo district is loaded into that database first when it is not there yet (100,000
entities: several minutes, once). Each round creates a batch from the approved joint check as
liaison_zhao, times ``batch_commit`` (freeze the population, design and inspector snapshot;
Merkle root) and the draw (``batch_run_draw``, what the queue worker runs: the engine draws,
staffs and writes the kit; the visits and teams are stored), then rolls everything back so the
next round starts from the same state. The draw runs on ``SPOTCHECK_DRAW_WORKERS`` processes
(default 2).

Last line: ``joint batch: commit C s, draw D s (N population lines, V visits)``.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup(database: Path) -> None:
    os.environ["SPOTCHECK_DATABASE_URL"] = f"sqlite:///{database.resolve()}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spotcheck.config.settings.base")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


class RolledBack(Exception):
    """Raised to roll a round back."""


def one_round() -> tuple[float, float, int, int]:
    from django.db import transaction
    from django.utils import timezone

    from spotcheck.accounts.models import User
    from spotcheck.draws.drawing import batch_run_draw
    from spotcheck.draws.models import BatchStatus
    from spotcheck.draws.services import batch_commit, batch_create, batch_request_draw
    from spotcheck.plans.models import JointCheck

    figures: list[float | int] = []
    try:
        with transaction.atomic():  # on_commit never fires: the draw is run here, not queued
            zhao = User.objects.get(username="liaison_zhao")
            joint = JointCheck.objects.get(name="餐饮服务单位联合抽查")
            batch = batch_create(
                actor=zhao,
                name="bench",
                tasks=[],
                randomness_source="bench",
                randomness_due=timezone.now(),  # randomness is refused before its named time
                joint_check=joint,
            )
            start = time.perf_counter()
            batch = batch_commit(actor=zhao, batch=batch)
            commit = time.perf_counter() - start
            batch = batch_request_draw(
                actor=zhao, batch=batch, randomness="3 1 4 1 5 9 2 6", witnesses="张三、李四"
            )
            start = time.perf_counter()
            batch = batch_run_draw(batch.pk)
            drawn = time.perf_counter() - start
            assert batch.status == BatchStatus.DRAWN, batch.failure
            figures = [commit, drawn, batch.population_lines, batch.visits.count()]
            raise RolledBack
    except RolledBack:
        pass
    commit, drawn, lines, visits = figures
    return float(commit), float(drawn), int(lines), int(visits)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", type=Path, default=ROOT / "var" / "bench-demo.sqlite3")
    parser.add_argument("--rounds", type=int, default=3, help="timings are the best of these")
    args = parser.parse_args()
    setup(args.database)
    from spotcheck.demo.loader import demo_is_loaded, demo_load

    if not demo_is_loaded():
        start = time.perf_counter()
        demo_load()
        print(f"demo district loaded in {time.perf_counter() - start:.0f} s")
    best_commit = best_draw = float("inf")
    for _ in range(args.rounds):
        commit, drawn, lines, visits = one_round()
        print(f"  round: commit {commit:.2f} s, draw {drawn:.2f} s")
        best_commit, best_draw = min(best_commit, commit), min(best_draw, drawn)
    print(
        f"joint batch: commit {best_commit:.2f} s, draw {best_draw:.2f} s "
        f"({lines:,} population lines, {visits:,} visits)"
    )


if __name__ == "__main__":
    main()
