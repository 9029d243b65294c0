"""The oversight dashboard with 1,000,000 entities and 200,000 results on PostgreSQL (issue 15).

    SPOTCHECK_DATABASE_URL=postgres://postgres@127.0.0.1:5432/<own db> \
        .venv/bin/python bench/dashboard.py [--entities 1000000] [--results 200000] [--requests 20]

Fills once (reused while the counts match), set-based in SQL with generate_series, never row by
row through the ORM: 20 departments with 5 tasks each in two years, one drawn batch per task,
one visit per result (90% checked), 200 inspectors, approved results in four categories,
follow-ups for problems, and public records for most approved results. Then runs the job that
precomputes the dashboards and the industry/region cells (its time printed) and times whole
page requests of the office admin through the test client: the whole district, one department,
filtered by industry, by region, by department and industry, and the records behind figures.
Shared loading and timing: bench/pages.py. Last line: ``dashboard: p95 X ms``.
"""

import argparse
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages import database_url, django_ready, report, time_requests, vacuum

YEAR = 2026
DEPARTMENTS = 20
TASKS_PER_DEPARTMENT_YEAR = 5
INSPECTORS = 200


def fill(entities: int, results: int) -> None:
    from django.db import connection, transaction

    from spotcheck.accounts.models import Department, Role, User
    from spotcheck.directory.models import Inspector
    from spotcheck.draws.models import DrawBatch
    from spotcheck.plans.models import SpotCheckTask
    from tests.factories import make_item

    started = time.perf_counter()
    with transaction.atomic():
        office = User.objects.create(username="bench-office", role=Role.OFFICE_ADMIN)
        departments = [
            Department.objects.create(
                code=f"B{d:02d}", name=f"基准区第{d}部门", region_code="110101"
            )
            for d in range(DEPARTMENTS)
        ]
        item = make_item(departments[0], code="BENCH-1").current_version
        tasks = []
        for year in (YEAR - 1, YEAR):
            for department in departments:
                for k in range(TASKS_PER_DEPARTMENT_YEAR):
                    task = SpotCheckTask.objects.create(
                        number=f"{department.code}-{year}-{k}",
                        name=f"{department.name}{year}年第{k}项抽查",
                        department=department,
                        design_mode="count",
                        planned_start=date(year, 3, 1),
                        planned_end=date(year, 11, 30),
                        status="drawn",
                        created_by=office,
                    )
                    batch = DrawBatch.objects.create(
                        number=f"BB-{task.number}",
                        name=task.name,
                        department=department,
                        status="drawn",
                        planned_date=date(year, 4, 1),
                        randomness_source="bench",
                        randomness_due=f"{year}-03-20T10:00:00+08:00",
                        created_by=office,
                        visits_saved=k,
                    )
                    batch.tasks.add(task)
                    tasks.append((len(tasks), task.pk, batch.pk, department.pk, year))
        Inspector.objects.bulk_create(
            Inspector(
                department=departments[i % DEPARTMENTS],
                name=f"基准检查员{i}",
                certificate_number=f"BENCH{i:05d}",
                certificate_expiry=date(YEAR + 1, 12, 31),
                expertise=["综合"],
            )
            for i in range(INSPECTORS)
        )
        with connection.cursor() as c:
            c.execute(
                "CREATE TEMP TABLE bench_task (n int, task_id int, batch_id int, dept int, year int)"
            )
            c.executemany("INSERT INTO bench_task VALUES (%s, %s, %s, %s, %s)", tasks)
            c.execute(
                """
                INSERT INTO directory_marketentity (key, uscc, registration_number, name,
                    entity_type, industry_code, region_code, address, status, credit_class,
                    abnormal_listed, tags, fingerprint, updated_at)
                SELECT 'BENCH' || lpad(g::text, 13, '0'), 'BENCH' || lpad(g::text, 13, '0'), '',
                    '基准企业' || g, 'enterprise', lpad((10 + g %% 80)::text, 2, '0') || '12',
                    '1101' || lpad((1 + g %% 16)::text, 2, '0'), '', 'operating',
                    (ARRAY['A', 'B', 'C', 'D'])[1 + g %% 4], false, '[]', '', now()
                FROM generate_series(0, %s - 1) g
                """,
                [entities],
            )
            c.execute("SELECT min(id) FROM directory_marketentity WHERE key LIKE 'BENCH%%'", [])
            first_entity = c.fetchone()[0]
            n_tasks = len(tasks)
            c.execute(
                """
                INSERT INTO draws_visit (batch_id, visit_id, entity_id, ticket, planned_date,
                    access_code)
                SELECT t.batch_id, 'V' || lpad(g::text, 6, '0'),
                    %s + (g::bigint * 7919) %% %s, lpad(g::text, 24, '0'),
                    make_date(t.year, 3 + g %% 9, 1 + g %% 28), 'BENCH' || lpad(g::text, 11, '0')
                FROM generate_series(0, %s - 1) g JOIN bench_task t ON t.n = g %% %s
                """,
                [first_entity, entities, results, n_tasks],
            )
            c.execute(
                """
                CREATE TEMP TABLE bench_visit AS
                SELECT v.id, v.entity_id, substr(v.access_code, 6)::int AS g, t.task_id,
                    t.dept, t.year, v.planned_date
                FROM draws_visit v JOIN bench_task t ON t.batch_id = v.batch_id
                WHERE v.access_code LIKE 'BENCH%%'
                """,
                [],
            )
            c.execute(
                "INSERT INTO draws_visit_tasks (visit_id, spotchecktask_id) SELECT id, task_id FROM bench_visit"
            )
            c.execute(
                """
                INSERT INTO draws_visitinspector (visit_id, inspector_id, department_id, rank,
                    recusal_reason)
                SELECT b.id, i.id, i.department_id, 1, ''
                FROM bench_visit b JOIN directory_inspector i
                  ON i.certificate_number = 'BENCH' || lpad((b.g %% %s)::text, 5, '0')
                """,
                [INSPECTORS],
            )
            c.execute(
                """
                INSERT INTO inspections_fieldvisit (visit_id, outcome, completed_at,
                    not_possible_note)
                SELECT id, CASE WHEN g %% 10 = 0 THEN 'pending' ELSE 'checked' END,
                    CASE WHEN g %% 10 = 0 THEN NULL ELSE planned_date + time '16:00' END, ''
                FROM bench_visit
                """,
                [],
            )
            c.execute(
                """
                INSERT INTO inspections_itemresult (visit_id, task_id, item_id, department_id,
                    status, finding, legal_basis, measures, method, review_note)
                SELECT id, task_id, %s, dept,
                    CASE WHEN g %% 10 = 0 THEN 'not_entered' WHEN g %% 10 = 1 THEN 'submitted'
                         ELSE 'approved' END, '', '', '', 'on_site', ''
                FROM bench_visit
                """,
                [item.pk],
            )
            c.execute(
                """
                INSERT INTO inspections_itemresult_categories (itemresult_id, resultcategory_id)
                SELECT r.id, c.id
                FROM inspections_itemresult r JOIN bench_visit b ON b.id = r.visit_id
                JOIN inspections_resultcategory c ON c.code = CASE
                    WHEN b.g %% 20 < 16 THEN 'no_problem' WHEN b.g %% 20 < 18 THEN 'corrected'
                    WHEN b.g %% 20 = 18 THEN 'follow_up' ELSE 'unreachable' END
                WHERE r.status = 'approved'
                """,
                [],
            )
            c.execute(
                """
                INSERT INTO inspections_followup (result_id, entity_id, department_id, kind,
                    deadline, description, opened_at, closed_at, closing_result)
                SELECT r.id, b.entity_id, r.department_id, 'undecided', b.planned_date + 30, '',
                    now(), CASE WHEN b.g %% 3 = 0 THEN NULL ELSE now() END, ''
                FROM inspections_itemresult r JOIN bench_visit b ON b.id = r.visit_id
                WHERE r.status = 'approved' AND b.g %% 20 IN (16, 17, 18)
                """,
                [],
            )
            c.execute(
                """
                INSERT INTO publication_publicrecord (record_id, visit_id, task_id,
                    department_id, entity_id, plan_number, plan_name, task_number, task_name,
                    directed, department_name, entity_name, uscc, completed_on, items, due_on,
                    published_on, on_time, published_at, published_by_id, version)
                SELECT 'BENCH-' || b.g, b.id, b.task_id, b.dept, b.entity_id, '', '', '', '',
                    false, '', '', '', b.planned_date, '[]', b.planned_date + 28,
                    b.planned_date + 14 + b.g %% 20, b.g %% 20 < 18, now(), %s, 1
                FROM inspections_itemresult r JOIN bench_visit b ON b.id = r.visit_id
                WHERE r.status = 'approved' AND b.g %% 10 <> 9
                """,
                [office.pk],
            )
    vacuum()
    print(
        f"filled {entities} entities, {results} results in {time.perf_counter() - started:.0f} s",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--results", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=20, help="requests of each kind")
    args = parser.parse_args()
    database_url("spotcheck_bench_dashboard", "bench/dashboard.py")
    django_ready()
    from django.test import Client

    from spotcheck.accounts.models import Department, User
    from spotcheck.inspections.models import ItemResult

    have = ItemResult.objects.filter(visit__access_code__startswith="BENCH").count()
    if have != args.results:
        if have:
            sys.exit(
                f"database holds {have} bench results, not {args.results}: use a fresh database"
            )
        fill(args.entities, args.results)
    from spotcheck.stats.snapshots import snapshots_refresh

    started = time.perf_counter()
    written = snapshots_refresh(years=[YEAR])
    print(f"precomputed {written} dashboards in {time.perf_counter() - started:.1f} s (the job)")
    client = Client(SERVER_NAME="localhost")
    client.force_login(User.objects.get(username="bench-office"))
    department = Department.objects.get(code="B03").pk
    kinds = {
        "district": ("/stats/", {"year": YEAR}),
        "department": ("/stats/", {"year": YEAR, "department": department}),
        "industry": ("/stats/", {"year": YEAR, "industry": "52"}),
        "region": ("/stats/", {"year": YEAR, "region": "110105"}),
        "dept+industry": ("/stats/", {"year": YEAR, "department": department, "industry": "52"}),
        "records": ("/stats/records/published_late/", {"year": YEAR, "department": department}),
        "records p.50": ("/stats/records/drawn/", {"year": YEAR, "page": 50}),
    }
    time_requests(client, ((k, p, q) for k, (p, q) in kinds.items()))  # warm up
    timings = time_requests(
        client,
        (
            (kind, path, params)
            for _ in range(args.requests)
            for kind, (path, params) in kinds.items()
        ),
    )
    report("dashboard", timings, f"{args.entities} entities, {args.results} results")


if __name__ == "__main__":
    main()
