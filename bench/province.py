"""Province scale (issue 16): a million entities on PostgreSQL and the pages people open.

    .venv/bin/python bench/province.py                       # 1,000,000 entities
    .venv/bin/python bench/province.py --entities 10000000   # a province that shares one platform
    .venv/bin/python bench/province.py --entities 100000     # a quick run

Generates the directory set-based in PostgreSQL (``generate_series``, no Python loop): N
entities, about nine supervising departments each (9 × N links), 60 departments, 6,000
inspectors, and the bench personas. The data is kept in the database with a data version and
reused by the next run with the same size (``--regenerate`` builds it anew). Then it starts a
gunicorn on 127.0.0.1 (2 workers, bounded timeouts) and times every key page with 20 requests
each as a liaison of one department, an inspector, a reviewer and an anonymous citizen,
printing p50 and p95 per page. The database is ``h12_scale_db`` unless ``--database`` names
another.

First the entity import is timed as users run it (``import_file`` of a CSV with a 监管部门
column, as the office user, into a fresh database: bench/import_entities.py's PostgreSQL run,
``--import-rows``, 0 to skip). Before the pages, a five-department joint batch is committed (the ceremony's service) and
drawn through the platform's queue: ``--draw-workers`` ``spotcheck db_worker`` processes take
the ``run_draw`` job, its ``--draw-ranges`` USCC range jobs and the merge (draw-spec §8).

Last line: ``province: draw S s, pages p95 X ms (slowest NAME)``, S = commit + draw.
``--draw-only`` stops after the draw (no server, no pages): to iterate on the draw.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PG_SERVER = "postgres://postgres@127.0.0.1:5432"
DATA_VERSION = "province-1"  # change when the generated shape changes
DEPARTMENTS = 60
INSPECTORS = 6_000
LINKS_PER_ENTITY = 9
REQUESTS = 20
PASSWORD = "bench-province-2026"  # a bench persona on a bench database


def setup(database: str) -> None:
    os.environ["SPOTCHECK_DATABASE_URL"] = f"{PG_SERVER}/{database}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "spotcheck.config.settings.development"
    import django

    django.setup()


def ensure_database(database: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if not found:
            conn.execute(f'CREATE DATABASE "{database}"')


def generated_version() -> str | None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_province (version text, entities bigint, seconds real)"
        )
        cursor.execute("SELECT version, entities FROM bench_province")
        row = cursor.fetchone()
    return f"{row[0]}:{row[1]}" if row else None


# Entities: keys are 18 characters like a USCC (91 + a county + a serial) so that sorting,
# prefix search and the exact search see real-shaped values. Department d of entity i:
# ((i + 6k) mod 60) + 1 for k = 0..8, nine distinct departments, 150,000 entities each per 1M.
GENERATE_SQL = """
TRUNCATE directory_marketentity_departments, directory_inspector, directory_marketentity
    RESTART IDENTITY CASCADE;
INSERT INTO accounts_department (code, name, region_code, is_active, contact_name,
                                 contact_phone, address, default_ratio_cap)
SELECT 'P' || lpad(d::text, 2, '0'), '省级部门' || d, '440000', true, '', '', '', NULL
FROM generate_series(1, {departments}) AS d
ON CONFLICT (code) DO NOTHING;
INSERT INTO directory_marketentity (key, uscc, registration_number, name, entity_type,
    industry_code, region_code, address, status, credit_class, abnormal_listed, tags,
    fingerprint, updated_at)
SELECT k, k, '', (ARRAY['华信','达联','创盛','兴隆','泰安','恒通','宏远','鑫源'])[1 + i % 8]
        || (ARRAY['商贸','科技','餐饮','建材','物流','服装','食品','五金'])[1 + (i / 8) % 8]
        || '有限公司' || i,
    'enterprise', lpad((1000 + i % 8000)::text, 4, '0'), '4403' || lpad((i % 7)::text, 2, '0'),
    '人民路' || (i % 999) || '号',
    CASE WHEN i % 25 = 0 THEN 'deregistered' ELSE 'operating' END,
    (ARRAY['A','A','A','A','A','A','A','B','B','C'])[1 + i % 10], i % 97 = 0, '[]'::jsonb, '',
    now()
FROM (SELECT i, '91' || '4403' || lpad((i % 7)::text, 2, '0') || lpad(i::text, 9, '0') || 'X'
        AS k FROM generate_series(1, {entities}) AS i) AS s;
INSERT INTO directory_marketentity_departments (marketentity_id, department_id)
SELECT e.id, dep.id
FROM directory_marketentity AS e
CROSS JOIN generate_series(0, {links} - 1) AS k
JOIN accounts_department AS dep
    ON dep.code = 'P' || lpad((((e.id + 6 * k) % {departments}) + 1)::text, 2, '0');
INSERT INTO directory_inspector (department_id, user_id, name, certificate_number,
    certificate_expiry, expertise, region_code, status, capacity_per_batch)
SELECT dep.id, NULL, '检查员' || i, 'ZF' || lpad(i::text, 8, '0'), DATE '2030-12-31',
    '[]'::jsonb, '440300', 'active', 20
FROM generate_series(1, {inspectors}) AS i
JOIN accounts_department AS dep
    ON dep.code = 'P' || lpad(((i % {departments}) + 1)::text, 2, '0');
"""
# Vacuumed as well as analysed: a table freshly filled has no visibility map, so every
# "index-only" scan of the link table would still read the heap (150,000 random pages for a
# department's count). Autovacuum sets it on a live table; a bench must not measure the gap.
VACUUM_TABLES = (
    "directory_marketentity",
    "directory_marketentity_departments",
    "directory_inspector",
)


def generate(entities: int) -> float:
    from django.db import connection

    start = time.perf_counter()
    sql = GENERATE_SQL.format(
        departments=DEPARTMENTS, entities=entities, links=LINKS_PER_ENTITY, inspectors=INSPECTORS
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        for table in VACUUM_TABLES:  # one statement each: VACUUM refuses a transaction block
            cursor.execute(f"VACUUM (ANALYZE) {table}")
        seconds = time.perf_counter() - start
        cursor.execute("DELETE FROM bench_province")
        cursor.execute(
            "INSERT INTO bench_province VALUES (%s, %s, %s)", [DATA_VERSION, entities, seconds]
        )
    return seconds


def personas() -> dict[str, str]:
    """Bench users, one per role that opens the pages; returns username → role label."""
    from spotcheck.accounts.models import Department, Role, User
    from spotcheck.directory.models import Inspector

    department = Department.objects.get(code="P01")
    wanted = {
        "bench_liaison": Role.DEPARTMENT_ADMIN,
        "bench_reviewer": Role.REVIEWER,
        "bench_inspector": Role.INSPECTOR,
    }
    for username, role in wanted.items():
        user, _ = User.objects.get_or_create(
            username=username, defaults={"department": department, "role": role}
        )
        user.set_password(PASSWORD)
        user.save()
    inspector = Inspector.objects.filter(department=department).order_by("pk").first()
    Inspector.objects.filter(pk=inspector.pk).update(
        user=User.objects.get(username="bench_inspector")
    )
    return {username: role for username, role in wanted.items()}


# The joint batch (issue 16): five departments, the lead's task over the whole directory and the
# partners' over the firms they supervise, by credit-risk class; about 1.5M population lines and
# 30,000 visits per 1M entities. Key items, so the cooldown of routine checks does not apply.
BATCH_DEPARTMENTS = ["P01", "P02", "P03", "P04", "P05"]
BATCH_NAME = "省级联合抽查（基准）"
PROBABILITIES = {"A": "0.03", "B": "0.03", "C": "0.05"}  # one ticket per firm: shared picks
# A province-wide batch spans the year: each of the ~100 inspectors of a department serves
# hundreds of visits (the directory's default of 20 cannot staff 19,000 visits).
BATCH_CAPACITY = 1_000


def joint_batch(start: date) -> int:
    """A new approved joint check of the five departments, batched (not committed): its id.
    Earlier bench batches are set aside first, so their visits count in no cooldown or cap."""
    from django.utils import timezone

    from spotcheck.accounts.models import Department, Role, User
    from spotcheck.directory.models import Inspector
    from spotcheck.draws.models import BatchStatus, DrawBatch
    from spotcheck.draws.services import batch_create
    from spotcheck.items.models import CheckItem
    from spotcheck.items.services import item_create
    from spotcheck.plans.services import (
        joint_check_create,
        joint_check_decide,
        joint_check_submit,
        task_create,
    )
    from spotcheck.plans.validation import TaskDraft

    DrawBatch.objects.filter(name=BATCH_NAME).exclude(status=BatchStatus.SUPERSEDED).update(
        status=BatchStatus.SUPERSEDED
    )
    departments = [Department.objects.get(code=code) for code in BATCH_DEPARTMENTS]
    Inspector.objects.filter(department__in=departments).update(capacity_per_batch=BATCH_CAPACITY)
    office, _ = User.objects.get_or_create(
        username="bench_office", defaults={"role": Role.OFFICE_ADMIN}
    )
    lead = User.objects.get(username="bench_liaison")
    end = start + timedelta(days=60)
    joint = joint_check_create(
        actor=lead,
        name=BATCH_NAME,
        partners=departments[1:],
        planned_start=start,
        planned_end=end,
    )
    for number, department in enumerate(departments):
        item = CheckItem.objects.filter(department=department, code="BENCH-KEY").first()
        if item is None:
            item = item_create(
                actor=office,
                department=department,
                code="BENCH-KEY",
                values={
                    "category": "重点监管事项",
                    "name": f"{department.name}重点事项检查",
                    "legal_basis": "《市场主体登记管理条例》",
                    "methods": ["on_site"],
                    "kind": "key",
                    "ratio_cap": None,
                },
            )
        draft = TaskDraft(
            department_id=department.pk,
            directed=False,
            items=[item.current_version],
            population_filter={} if number else {"supervised_only": False},
            mode="poisson",
            values=PROBABILITIES,
            n=None,
            planned_start=start,
            planned_end=end,
        )
        task_create(
            actor=office, department=department, draft=draft, name=BATCH_NAME, joint_check=joint
        )
    joint = joint_check_submit(actor=lead, joint=joint)
    joint = joint_check_decide(actor=office, joint=joint, approve=True)
    batch = batch_create(
        actor=lead,
        name=BATCH_NAME,
        tasks=[],
        randomness_source="基准：骰子",
        randomness_due=timezone.now(),
        joint_check=joint,
    )
    return batch.pk


def start_workers(count: int, ranges: int, logs: Path) -> list[subprocess.Popen]:
    """The platform's queue workers (`spotcheck db_worker`), as deployed: separate processes
    taking the draw's jobs from the database queue. Returned once each has started (booting
    Django is not part of the draw: in production the workers are already running)."""
    env = {**os.environ, "SPOTCHECK_DRAW_RANGES": str(ranges)}
    command = [str(ROOT / ".venv" / "bin" / "spotcheck"), "db_worker", "--no-startup-delay",
               "--no-reload", "--interval", "0.2"]  # fmt: skip
    workers, paths = [], [logs / f"worker-{i}.log" for i in range(count)]
    for path in paths:
        with path.open("wb") as log:
            workers.append(subprocess.Popen(command, cwd=ROOT, env=env, stderr=log))
    for _ in range(1200):
        if all("Starting worker" in path.read_text(errors="replace") for path in paths):
            return workers
        if any(worker.poll() is not None for worker in workers):
            break
        time.sleep(0.1)
    stop_workers(workers)
    raise SystemExit(f"the queue workers did not start: see {logs}")


def stop_workers(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        worker.terminate()
    for worker in workers:
        worker.wait(timeout=60)


def time_draw(workers: int, ranges: int) -> float:
    """Commit (the service the ceremony page calls) and the draw through the queue: the
    randomness is entered, ``run_draw`` is queued and the workers plan, draw the ranges and
    merge; timed until the batch is drawn. Prints both parts; returns their sum."""
    from django.utils import timezone

    from spotcheck.accounts.models import User
    from spotcheck.draws.models import BatchStatus, DrawBatch
    from spotcheck.draws.services import batch_commit, batch_request_draw

    batch = DrawBatch.objects.get(pk=joint_batch(timezone.localdate() + timedelta(days=30)))
    lead = User.objects.get(username="bench_liaison")
    logs = Path(tempfile.mkdtemp(prefix="province-workers-"))
    queue = start_workers(workers, ranges, logs)
    try:
        start = time.perf_counter()
        batch = batch_commit(actor=lead, batch=batch)
        commit = time.perf_counter() - start
        start = time.perf_counter()
        batch_request_draw(
            actor=lead, batch=batch, randomness="3 1 4 1 5 9 2 6", witnesses="甲、乙"
        )
        while (status := DrawBatch.objects.values_list("status", flat=True).get(pk=batch.pk)) == (
            BatchStatus.DRAWING
        ):
            time.sleep(0.2)
        drawn = time.perf_counter() - start
    finally:
        stop_workers(queue)
    batch.refresh_from_db()
    if status != BatchStatus.DRAWN:
        raise SystemExit(f"the draw failed: {batch.failure}")
    print(
        f"joint batch: commit {commit:.1f} s, draw {drawn:.1f} s through {workers} db_workers"
        f" and {ranges} ranges ({batch.population_lines:,} population lines,"
        f" {batch.visits.count():,} visits; load average {os.getloadavg()[0]:.1f})"
    )
    return commit + drawn


def time_import(rows: int) -> None:
    """bench/import_entities.py's PostgreSQL CSV run (its file kept under bench/out/)."""
    from bench import import_entities

    path = import_entities.write_files(rows, regenerate=False)[0]
    try:
        run = import_entities.run_child("postgres", "ours", path, "province-import")
    finally:
        import_entities.drop_databases()
    print(
        f"import: {run['rows']:,} rows with {run['links']:,} department links in"
        f" {run['seconds']:.1f} s, {run['rows'] / run['seconds']:,.0f} rows/s ({run['summary']};"
        f" load average {os.getloadavg()[0]:.1f})"
    )


def session_cookie(username: str) -> str:
    """A signed-in session for `username`, written where the server reads sessions."""
    from django.test import Client

    from spotcheck.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return f"sessionid={client.cookies['sessionid'].value}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, workers: int = 2) -> subprocess.Popen:
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "spotcheck.config.wsgi:application",
               "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--timeout", "60",
               "--log-level", "warning"]  # fmt: skip
    server = subprocess.Popen(
        command,
        cwd=ROOT,
        env=os.environ.copy(),
    )
    for _ in range(60):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10)
            return server
        except OSError:  # refused while booting, or a timeout on a loaded machine
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def time_page(base: str, path: str, cookie: str | None) -> tuple[list[float], int]:
    times, status = [], 0
    for attempt in range(REQUESTS + 2):  # the first two warm both workers, uncounted
        request = urllib.request.Request(
            base + urllib.parse.quote(path, safe="/?=&"),
            headers={"Cookie": cookie} if cookie else {},
        )
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        if attempt >= 2:
            times.append((time.perf_counter() - start) * 1000)
    return times, status


def pages(entities: int) -> list[tuple[str, str, str | None]]:
    """(name, path, persona) for every key page; persona None is an anonymous citizen."""
    from spotcheck.directory.models import MarketEntity

    supervised = MarketEntity.objects.filter(departments__code="P01", pk__gte=entities // 2)
    key = supervised.order_by("pk").values_list("key", flat=True).first() or ""
    fragment = "宏远食品"
    return [
        ("home", "/", "bench_liaison"),
        ("entity list", "/directory/entities/", "bench_liaison"),
        ("entity list page 500", "/directory/entities/?page=500", "bench_liaison"),
        ("search USCC exact", f"/directory/entities/?q={key}", "bench_liaison"),
        ("search name fragment", f"/directory/entities/?q={fragment}", "bench_liaison"),
        ("entity detail", f"/directory/entities/{key}/", "bench_liaison"),
        ("inspector list", "/directory/inspectors/", "bench_liaison"),
        ("api entities", "/api/entities", "bench_liaison"),
        ("api entities by USCC", f"/api/entities?q={key}", "bench_liaison"),
        ("task list", "/plans/tasks/", "bench_liaison"),
        ("task create form", "/plans/tasks/new/", "bench_liaison"),
        ("batch list", "/draws/", "bench_liaison"),
        ("api visits", "/api/inspections/visits", "bench_inspector"),
        ("work list", "/inspections/mine/", "bench_inspector"),
        ("review queue", "/inspections/review/", "bench_reviewer"),
        ("portal draws", "/public/draws/", None),
        ("portal results", "/public/results/", None),
        ("portal plans", "/public/plans/", None),
        ("api public results", "/api/public/results", None),
        ("api public plans", "/api/public/plans", None),
        ("healthz", "/healthz", None),
        ("readyz", "/readyz", None),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--database", default="h12_scale_db")
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--draw-workers", type=int, default=2, help="db_worker processes")
    parser.add_argument("--draw-ranges", type=int, default=4, help="USCC ranges of the draw")
    parser.add_argument("--port", type=int, default=0, help="default: any free port")
    parser.add_argument("--import-rows", type=int, default=1_000_000, help="0: no import")
    parser.add_argument(
        "--draw-only", action="store_true", help="commit and draw the joint batch, no page timings"
    )
    args = parser.parse_args()
    if args.import_rows and not args.draw_only:
        time_import(args.import_rows)
    ensure_database(args.database)
    setup(args.database)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    if args.regenerate or generated_version() != f"{DATA_VERSION}:{args.entities}":
        seconds = generate(args.entities)
        links = args.entities * LINKS_PER_ENTITY
        print(f"generate: {args.entities:,} entities, {links:,} links in {seconds:.0f} s")
    roles = personas()
    draw_seconds = time_draw(args.draw_workers, args.draw_ranges)
    if args.draw_only:
        print(f"province: draw {draw_seconds:.0f} s")
        return
    cookies = {username: session_cookie(username) for username in roles}
    port = args.port or free_port()
    server = start_server(port)
    print(f"load average: {os.getloadavg()[0]:.1f} (shared machine, 2 cores)")
    worst = ("", 0.0)
    try:
        for name, path, persona in pages(args.entities):
            times, status = time_page(
                f"http://127.0.0.1:{port}", path, cookies[persona] if persona else None
            )
            p50 = statistics.median(times)
            p95 = statistics.quantiles(times, n=20)[-1]
            print(f"  {name}: p50 {p50:.0f} ms, p95 {p95:.0f} ms (HTTP {status})")
            if p95 > worst[1]:
                worst = (name, p95)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"province: draw {draw_seconds:.0f} s, pages p95 {worst[1]:.0f} ms (slowest {worst[0]})")


if __name__ == "__main__":
    main()
