"""Benchmark of the directory export as a background job (issue 16), on PostgreSQL.

    python bench/export_directory.py                  # 1,000,000 entities
    python bench/export_directory.py --entities 50000 # a quick run

Fills a fresh database (``spotcheck_bench_export``) with N entities supervised by one
department, then for CSV and XLSX, each in its own process (so ru_maxrss is that export's
peak): a liaison of that department asks for the export through the service the page calls,
the database queue worker (``db_worker --batch``) writes the file, and the rows in the file are
counted against the list's filtered count. Prints one line per format.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_DATABASE = "spotcheck_bench_export"
FILL_SQL = """
INSERT INTO accounts_department (code, name, region_code, is_active, contact_name,
                                 contact_phone, address, default_ratio_cap)
VALUES ('SCJGJ', '东城区市场监督管理局', '110101', true, '', '', '', NULL);
INSERT INTO directory_marketentity (key, uscc, registration_number, name, entity_type,
    industry_code, region_code, address, status, credit_class, abnormal_listed, tags,
    fingerprint, updated_at)
SELECT k, k, '', (ARRAY['华信','达联','创盛','兴隆'])[1 + i % 4] || '商贸有限公司' || i,
    'enterprise', lpad((1000 + i % 8000)::text, 4, '0'), '1101' || lpad((1 + i % 9)::text, 2, '0'),
    CASE WHEN i % 1000 = 0 THEN '=HYPERLINK("x")' ELSE '人民路' || (i % 999) || '号' END,
    'operating', 'A', false, '["食品"]'::jsonb, '', now()
FROM (SELECT i, '91110101' || lpad(i::text, 9, '0') || 'X' AS k
      FROM generate_series(1, {entities}) AS i) AS s;
INSERT INTO directory_marketentity_departments (marketentity_id, department_id)
SELECT e.id, d.id FROM directory_marketentity e, accounts_department d;
ANALYZE;
"""


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def _env() -> dict[str, str]:
    return os.environ | {
        "DJANGO_SETTINGS_MODULE": "spotcheck.config.settings.test",
        "SPOTCHECK_DATABASE_URL": f"{PG_SERVER}/{PG_DATABASE}",
    }


def fill(entities: int) -> None:
    """Child: migrate, fill, and make the liaison."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from spotcheck.accounts.models import Department, Role, User

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(FILL_SQL.format(entities=entities))
    User.objects.create_user(
        username="liaison_zhao", role=Role.DEPARTMENT_ADMIN, department=Department.objects.get()
    )


def export(fmt: str) -> None:
    """Child: ask for the export as the page does, run the queue worker, count the file."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from spotcheck.accounts.models import User
    from spotcheck.common.models import ExportJob
    from spotcheck.common.services import export_job_request
    from spotcheck.directory.selectors import entity_list

    user = User.objects.get(username="liaison_zhao")
    filtered = entity_list(user=user, filters={}).count()
    start = time.perf_counter()
    with transaction.atomic():
        job = export_job_request(actor=user, kind="entities", fmt=fmt, query="")
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    seconds = time.perf_counter() - start
    job = ExportJob.objects.get(pk=job.pk)
    rows = count_rows(Path(job.path), fmt)
    size_mb = Path(job.path).stat().st_size / 1e6
    Path(job.path).unlink()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {"rows": rows, "filtered": filtered, "written": job.written, "seconds": seconds,
               "peak_mb": peak_mb, "mb": size_mb}  # fmt: skip
    print(json.dumps(figures))


def count_rows(path: Path, fmt: str) -> int:
    """Data rows in the file (headers left out), read in a stream."""
    if fmt == "csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            import csv

            return sum(1 for _ in csv.reader(handle)) - 1
    rows = 0
    with zipfile.ZipFile(path) as book:
        for name in book.namelist():
            if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", name):
                with book.open(name) as sheet:
                    tail = b""  # a tag may straddle two blocks
                    while block := sheet.read(1 << 20):
                        rows += (tail + block).count(b"<row")
                        tail = block[-4:] if not block.endswith(b"<row") else b""
                rows -= 1  # each sheet starts with the headers
    return rows


def _child(*args: str) -> str:
    command = [sys.executable, __file__, *args]
    done = subprocess.run(command, env=_env(), capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"{' '.join(args)} failed:\n{done.stderr}")
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--fill", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--formats", default="csv,xlsx", help="e.g. xlsx")
    parser.add_argument("--export", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fill:
        fill(args.fill)
        return
    if args.export:
        export(args.export)
        return
    _pg_admin(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
    _pg_admin(f"CREATE DATABASE {PG_DATABASE}")
    try:
        start = time.perf_counter()
        _child("--fill", str(args.entities))
        print(f"{args.entities:,} entities in {time.perf_counter() - start:.1f} s", flush=True)
        for fmt in args.formats.split(","):
            run = json.loads(_child("--export", fmt))
            whole = "complete" if run["rows"] == run["filtered"] == run["written"] else "CUT OFF"
            print(f"export {fmt:4}: {run['rows']:,} rows in the file of {run['filtered']:,} "
                  f"filtered ({whole}), {run['seconds']:.1f} s, "
                  f"{run['rows'] / run['seconds']:,.0f} rows/s, {run['mb']:.0f} MB, "
                  f"peak {run['peak_mb']:.0f} MB", flush=True)  # fmt: skip
    finally:
        _pg_admin(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")


if __name__ == "__main__":
    main()
