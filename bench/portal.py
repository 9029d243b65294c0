"""Portal result search with 200,000 published results on PostgreSQL (issue 13).

    SPOTCHECK_DATABASE_URL=postgres://postgres@127.0.0.1:5432/<own db> \
        .venv/bin/python bench/portal.py [--records 200000] [--requests 60]

Fills (once; reused while the data version matches) 100,000 entities, each checked in two of
ten years by one of 20 departments, and one published record per visit, then times whole
anonymous page requests (view, queries, template) through the test client: a name fragment,
a USCC, a department and a year, a result category, the first page, an entity's page.
Shared loading and timing: bench/pages.py. Last line: ``portal: p95 X ms``.
"""

import argparse
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages import database_url, django_ready, report, time_requests, vacuum

DATA_VERSION = "portal-bench-1"
YEARS = range(2017, 2027)
DEPARTMENTS = 20
WORDS = [
    "鑫源",
    "华泰",
    "金鼎",
    "永盛",
    "恒通",
    "宏达",
    "瑞丰",
    "嘉禾",
    "天成",
    "德信",
    "新世纪",
    "汇丰",
    "长城",
    "东方",
    "海川",
    "绿源",
    "佳美",
    "福满",
    "安康",
    "百味",
]
KINDS = ["餐饮", "商贸", "食品", "科技", "酒店", "药房", "超市", "建材", "物流", "美容"]
SHANGHAI = ZoneInfo("Asia/Shanghai")


def uscc(i: int) -> str:
    return f"91110101{i:09d}{'0123456789ABCDEFGHJKLMNPQRTUWXY'[i % 31]}"


def fill(records: int) -> None:
    from django.db import transaction

    from spotcheck.accounts.models import Department, Role, User
    from spotcheck.directory.models import MarketEntity
    from spotcheck.draws.models import DrawBatch, Visit
    from spotcheck.inspections.models import ResultCategory
    from spotcheck.plans.models import SpotCheckTask
    from spotcheck.publication.models import PublicRecord

    entities_n = records // 2
    per_year = records // len(YEARS)
    started = time.perf_counter()
    with transaction.atomic():
        departments = [
            Department.objects.create(
                code=f"B{d:02d}", name=f"基准区第{d}部门", region_code="110101"
            )
            for d in range(DEPARTMENTS)
        ]
        user = User.objects.create(username=f"bench-{DATA_VERSION}", role=Role.DEPARTMENT_ADMIN)
        entities = MarketEntity.objects.bulk_create(
            [
                MarketEntity(
                    key=uscc(i),
                    uscc=uscc(i),
                    name=f"北京{WORDS[i % 20]}{WORDS[(i // 20) % 20]}{KINDS[i % 10]}有限公司{i}",
                    entity_type="enterprise",
                )
                for i in range(entities_n)
            ],
            batch_size=10_000,
        )
        categories = {c.code: c for c in ResultCategory.objects.all()}
        weights = [("no_problem", 80), ("corrected", 10), ("unreachable", 5), ("follow_up", 5)]
        pool = [categories[code] for code, weight in weights for _ in range(weight)]
        record_categories = []
        for y, year in enumerate(YEARS):
            batch = DrawBatch.objects.create(
                number=f"BENCH-{year}",
                name=f"{year}年基准批次",
                department=departments[0],
                planned_date=date(year, 5, 1),
                randomness_source="bench",
                randomness_due=datetime(year, 4, 1, tzinfo=SHANGHAI),
                created_by=user,
            )
            tasks = [
                SpotCheckTask.objects.create(
                    number=f"110101-{year}-{d:04d}",
                    name=f"{year}年{department.name}双随机抽查",
                    department=department,
                    design_mode="count",
                    planned_start=date(year, 3, 1),
                    planned_end=date(year, 11, 30),
                    created_by=user,
                )
                for d, department in enumerate(departments)
            ]
            first = y * per_year
            visits = Visit.objects.bulk_create(
                [
                    Visit(
                        batch=batch,
                        visit_id=f"V{i:06d}",
                        entity=entities[i % entities_n],
                        planned_date=batch.planned_date,
                    )
                    for i in range(first, first + per_year)
                ],
                batch_size=10_000,
            )
            rows = []
            for i, visit in zip(range(first, first + per_year), visits, strict=True):
                task = tasks[i % DEPARTMENTS]
                completed = date(year, 3, 1) + timedelta(days=i % 250)
                published = completed + timedelta(days=14 + i % 20)
                chosen = pool[(i * 7919) % len(pool)]
                entity = entities[i % entities_n]
                rows.append(
                    PublicRecord(
                        record_id=f"{task.number}-{batch.number}-{visit.visit_id}",
                        visit=visit,
                        task=task,
                        department=task.department,
                        entity=entity,
                        task_number=task.number,
                        task_name=task.name,
                        directed=False,
                        department_name=task.department.name,
                        entity_name=entity.name,
                        uscc=entity.uscc,
                        completed_on=completed,
                        items=[
                            {
                                "item": "经营行为检查",
                                "results": [chosen.name],
                                "codes": [chosen.code],
                            }
                        ],
                        due_on=completed + timedelta(days=28),
                        published_on=published,
                        on_time=i % 20 < 18,
                        published_at=datetime.combine(
                            published, datetime.min.time(), tzinfo=SHANGHAI
                        ),
                        published_by=user,
                    )
                )
                record_categories.append(chosen)
            saved = PublicRecord.objects.bulk_create(rows, batch_size=10_000)
            through = PublicRecord.categories.through
            through.objects.bulk_create(
                [
                    through(publicrecord_id=r.pk, resultcategory_id=c.pk)
                    for r, c in zip(saved, record_categories[-len(saved) :], strict=True)
                ],
                batch_size=10_000,
            )
            print(f"  {year}: {len(saved)} records", flush=True)
    vacuum()
    print(f"filled {records} records in {time.perf_counter() - started:.0f} s", flush=True)


def requests_mix(n: int, records: int):
    rng = random.Random(13)
    entities_n = records // 2
    kinds = {
        "name fragment": lambda: ("/public/results/", {"q": rng.choice(WORDS) + rng.choice(WORDS)}),
        "uscc": lambda: ("/public/results/", {"q": uscc(rng.randrange(entities_n))}),
        "department + year": lambda: (
            "/public/results/",
            {
                "department": f"B{rng.randrange(DEPARTMENTS):02d}",
                "date_from": f"{rng.choice(YEARS)}-01-01",
                "date_to": f"{rng.choice(YEARS)}-12-31",
            },
        ),
        "category": lambda: (
            "/public/results/",
            {"category": rng.choice(["unreachable", "corrected"])},
        ),
        "first page": lambda: ("/public/results/", {}),
        "entity page": lambda: (f"/public/entities/{uscc(rng.randrange(entities_n))}/", {}),
    }
    for _ in range(n):
        for kind, make in kinds.items():
            yield kind, *make()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=60, help="requests of each kind")
    args = parser.parse_args()
    database_url("spotcheck_bench_portal", "bench/portal.py")
    django_ready()
    from django.test import Client

    from spotcheck.publication.models import PublicRecord

    have = PublicRecord.objects.filter(record_id__contains="-BENCH-").count()
    if have != args.records:
        if have:
            sys.exit(
                f"database holds {have} bench records, not {args.records}: use a fresh database"
            )
        fill(args.records)
    client = Client(SERVER_NAME="localhost")
    for path, params in [("/public/results/", {})] * 3:
        client.get(path, params)  # warm the connection and the template cache
    timings = time_requests(client, requests_mix(args.requests, args.records))
    report("portal", timings, f"{args.records} published results")


if __name__ == "__main__":
    main()
