"""Same-firm merge detection (合并检查) as the draw job runs it: `merge_offers_detect` over a
district's drawn visits, through Django, on a database of its own.

    .venv/bin/python bench/merge_detect.py [--visits 20000] [--departments 4] [--rounds 3]

Builds (once per database) DEPARTMENTS routine batches, each drawn on VISITS / DEPARTMENTS firms
out of a population of VISITS / 2, planned one working day apart, so most firms are drawn by
two or more departments within the window. Each round runs the whole-district detection (what
the office's button runs; the draw job runs it limited to one batch's firms) and rolls back.

Last line: ``merge detect: D s over V visits (O offers)``.
"""

import argparse
import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

START = date(2026, 12, 1)  # a Tuesday: the batches fall on Tue, Wed, Thu, Fri …


def setup(database: Path) -> None:
    os.environ["SPOTCHECK_DATABASE_URL"] = f"sqlite:///{database.resolve()}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spotcheck.config.settings.base")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def build(visits: int, departments: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from spotcheck.accounts.models import Department, Role, User
    from spotcheck.directory.models import MarketEntity
    from spotcheck.draws.models import BatchStatus, DrawBatch, Visit
    from spotcheck.plans.models import SpotCheckTask

    if Visit.objects.exists():
        return
    firms = visits // 2
    with transaction.atomic():
        entities = MarketEntity.objects.bulk_create(
            MarketEntity(
                key=f"BENCH{n:013d}",
                name=f"基准企业{n}",
                entity_type="enterprise",
                region_code="110101",
                industry_code="5212",
            )
            for n in range(firms)
        )
        per_batch = visits // departments
        now = timezone.now()
        for d in range(departments):
            department = Department.objects.create(code=f"D{d}", name=f"部门{d}")
            user = User.objects.create(
                username=f"liaison{d}", role=Role.DEPARTMENT_ADMIN, department=department
            )
            day = START + timedelta(days=d)
            task = SpotCheckTask.objects.create(
                number=f"T{d}",
                name=f"任务{d}",
                department=department,
                design_mode="poisson",
                planned_start=day,
                planned_end=day + timedelta(days=20),
                created_by=user,
            )
            batch = DrawBatch.objects.create(
                number=f"B{d}",
                name=f"批次{d}",
                department=department,
                status=BatchStatus.DRAWN,
                planned_date=day,
                randomness_source="bench",
                randomness_due=now,
                created_by=user,
            )
            batch.tasks.set([task])
            # every department draws a different slice of the firms, overlapping its neighbours
            start = d * firms // departments
            chosen = [entities[(start + i) % firms] for i in range(per_batch)]
            created = Visit.objects.bulk_create(
                Visit(
                    batch=batch,
                    visit_id=f"V{i + 1:06d}",
                    entity=entity,
                    ticket=str(i),
                    planned_date=day,
                )
                for i, entity in enumerate(chosen)
            )
            Visit.tasks.through.objects.bulk_create(
                Visit.tasks.through(visit_id=v.pk, spotchecktask_id=task.pk) for v in created
            )
        User.objects.create(username="office", role=Role.OFFICE_ADMIN, department=department)
    print(f"built {visits:,} visits on {firms:,} firms in {departments} batches")


class RolledBack(Exception):
    """Raised to roll a round back."""


def one_round() -> tuple[float, int]:
    from django.db import transaction

    from spotcheck.accounts.models import User
    from spotcheck.inspections.merging import merge_offers_detect

    figures: tuple[float, int] = (0.0, 0)
    try:
        with transaction.atomic():
            office = User.objects.get(username="office")
            start = time.perf_counter()
            offers = merge_offers_detect(actor=office)
            figures = (time.perf_counter() - start, len(offers))
            raise RolledBack
    except RolledBack:
        pass
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", type=Path, default=ROOT / "var" / "bench-merge.sqlite3")
    parser.add_argument("--visits", type=int, default=20_000)
    parser.add_argument("--departments", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3, help="the timing is the best of these")
    args = parser.parse_args()
    setup(args.database)
    build(args.visits, args.departments)
    from spotcheck.draws.models import Visit

    best, offers = float("inf"), 0
    for _ in range(args.rounds):
        seconds, offers = one_round()
        print(f"  round: {seconds:.2f} s, {offers:,} offers")
        best = min(best, seconds)
    print(f"merge detect: {best:.2f} s over {Visit.objects.count():,} visits ({offers:,} offers)")


if __name__ == "__main__":
    main()
