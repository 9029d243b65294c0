"""Benchmark of the credit-class recomputation (issue 14): `spotcheck credit recompute`.

    python bench/credit_recompute.py                     # 100,000 entities, fresh SQLite file
    python bench/credit_recompute.py --entities 20000
    SPOTCHECK_DATABASE_URL=postgres://… python bench/credit_recompute.py   # an empty database

Fills a fresh database with N entities filed as B (random ages, industries, 2% on the abnormal
list), then times two recomputations: the first changes most classes (every change writes a
history row and a class-change row), the second finds nothing new.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entities", type=int, default=100_000)
    args = parser.parse_args()
    if "SPOTCHECK_DATABASE_URL" not in os.environ:
        folder = tempfile.mkdtemp(prefix="credit-bench-")
        os.environ["SPOTCHECK_DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spotcheck.config.settings.base")
    import django

    django.setup()
    from django.core.management import call_command

    from spotcheck.credit.services import credit_recompute
    from spotcheck.directory.models import MarketEntity

    call_command("migrate", verbosity=0)
    rng = random.Random(14)
    industries = ["5212", "1431", "6210", "7210", "2710", "5123", "3011"]
    MarketEntity.objects.bulk_create(
        (
            MarketEntity(
                key=f"91110101{i:09d}X",
                uscc=f"91110101{i:09d}X",
                name=f"北京测试{i}有限公司",
                entity_type="enterprise",
                industry_code=rng.choice(industries),
                credit_class="B",
                abnormal_listed=rng.random() < 0.02,
                established_on=date(2026, 1, 1) - timedelta(days=rng.randrange(6000)),
            )
            for i in range(args.entities)
        ),
        batch_size=5_000,
    )
    for label in ("first run (classes change)", "second run (nothing new)"):
        started = time.perf_counter()
        run = credit_recompute(trigger="command")
        seconds = time.perf_counter() - started
        print(f"{label}: {run.entities} entities, {run.changed} changed in {seconds:.1f} s")
        print(f"  {run.counts_line()}")


if __name__ == "__main__":
    main()
