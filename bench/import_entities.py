"""Benchmark of the entity import (issue 2, "Imports").

    python bench/import_entities.py                # 1,000,000 rows
    python bench/import_entities.py --rows 50000   # a quick run

Generates N entity rows (about 0.5% bad: wrong check character, Excel-float codes), each with
1–3 supervising departments in a 监管部门 cell written the way provincial lists write them (卫健委,
海南省市场监督管理局, 区住建局 …: ``accounts/department_names.py`` resolves them to the demo
district's 25 departments, created in every fresh database), as CSV and XLSX under bench/out/ (kept for the next run; ``--regenerate`` writes them anew), then imports
them, each import in its own subprocess so that ru_maxrss is that import's peak: the CSV into a
fresh PostgreSQL database and into a fresh SQLite file, the XLSX into a fresh SQLite file; the
PostgreSQL server's own CPU time is printed under each PostgreSQL run. Rows/s is rows in the
file over the wall time of ``import_file`` made by an office user (as the import page makes
it: every history row names the importer), which writes the entity rows, their history and
their department links in one transaction; the links written and a second import of the same
file (a no-op) are printed under each run. Finally the first 20,000 rows are imported into
PostgreSQL by us and by a minimal django-import-export ModelResource, each into a fresh
database, and the ratio printed.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

OUT = ROOT / "bench" / "out"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_DATABASE = "spotcheck_bench"
COMPARE_ROWS = 20_000
HEADERS = ["企业名称", "统一社会信用代码", "企业类型", "行业代码", "行政区划", "经营地址",
           "登记状态", "信用风险分类", "监管部门"]  # fmt: skip
# USCC character 2 (organisation type) and the 企业类型 text that goes with it.
TYPES = [("1", "有限责任公司"), ("1", "股份有限公司"), ("1", "个人独资企业"),
         ("2", "个体工商户"), ("3", "农民专业合作社")]  # fmt: skip
STATUSES = ["存续"] * 90 + ["吊销"] * 4 + ["注销"] * 4 + ["迁出", "停业"]
CREDIT = ["A"] * 70 + ["B"] * 20 + ["C"] * 7 + ["D"] * 3
WORDS = "华信达联创盛兴隆泰安恒通宏远鑫源金博嘉德和顺康宁永丰天成瑞祥"
TRADES = ["商贸", "科技", "餐饮", "建材", "物流", "服装", "食品", "五金", "医药", "文化"]
STREETS = ["人民路", "解放路", "建设路", "中山路", "和平街", "长安街", "朝阳路", "复兴路"]
# How files name the demo departments besides their full names: abbreviations, other levels.
SPELLINGS = {
    "SCJGJ": ["市场监管局", "区市场监管局", "海南省市场监督管理局", "工商局"],
    "WJW": ["卫健委", "省卫健委", "海南省卫生健康委员会", "区卫生健康委"],
    "ZJW": ["住建委", "区住建局", "海口市住房和城乡建设局"],
    "JTW": ["交通局", "区交通运输局"],
    "YJGLJ": ["应急局", "省应急管理厅"],
    "WHLYJ": ["文旅局", "区文化广电旅游体育局", "旅文局"],
    "JW": ["教育局", "海口市教育局"],
    "SWJ": ["区商务局", "海南省商务厅"],
    "SWJGJ": ["税务局", "国家税务总局海口市税务局"],
    "RSJ": ["人社局", "区人力社保局"],
    "NYNCJ": ["区农业农村局", "农业局"],
    "XFJY": ["消防救援大队", "区消防支队"],
    "FGW": ["发改委", "区发展改革委"],
    "MZJ": ["区民政局"],
    "SFJ": ["司法局"],
    "ZYJ": ["烟草专卖局"],
}
SEPARATORS = ["、"] * 6 + ["，", ";", " "]


def department_spellings() -> list[tuple[str, str]]:
    """(code, spelling) of every name a file may use, each checked to resolve to its own
    department the way the import resolves it."""
    from spotcheck.accounts.department_names import DepartmentNames
    from spotcheck.demo.departments import DEPARTMENTS

    codes = [code for code, *_ in DEPARTMENTS]
    names = DepartmentNames([(i, name) for i, (_, name, *_) in enumerate(DEPARTMENTS)])
    spellings = [(code, name) for code, name, *_ in DEPARTMENTS]
    spellings += [(code, text) for code, texts in SPELLINGS.items() for text in texts]
    for code, text in spellings:
        assert codes[names[text]] == code, f"{text} does not resolve to {code}"
    return spellings


# ------------------------------------------------------------------ data
class _Sequence:
    """Stands in for the Random given to generate_uscc: distinct organisation codes, no clashes."""

    def __init__(self) -> None:
        self.i = 0

    def randrange(self, n: int) -> int:
        self.i += 1
        return (self.i * 7919 + 12345) % n  # 7919 is prime to 10**8: a permutation


def entity_rows(n: int, seed: int = 20270101):
    from spotcheck.directory.reference import industries, regions
    from spotcheck.directory.uscc import generate_uscc

    rng = random.Random(seed)
    codes = _Sequence()
    industry_codes = [c for c in industries() if len(c) == 4 and c.isdigit()]
    region_codes = [c for c in regions() if c[4:] != "00"]  # counties
    spellings = department_spellings()
    for i in range(n):
        org_type, type_text = rng.choice(TYPES)
        region = rng.choice(region_codes)
        uscc = generate_uscc(codes, org_type=org_type, region=region)
        if i % 400 == 7:  # wrong check character
            uscc = uscc[:17] + ("0" if uscc[17] != "0" else "1")
        elif i % 400 == 207:  # what Excel shows after storing the code as a number
            uscc = f"{float(uscc[:16] + '00'):.8E}"  # e.g. 9.11101011E+17
        trade = rng.choice(TRADES)
        name = f"{rng.choice(WORDS)}{rng.choice(WORDS)}{trade}{type_text}{i}"
        address = f"{rng.choice(STREETS)}{rng.randrange(1, 999)}号{rng.randrange(1, 30)}栋"
        supervising = rng.choice(SEPARATORS).join(
            text for _, text in rng.sample(spellings, rng.randint(1, 3))
        )  # two spellings of one department in a cell happen too: one link
        yield [name, uscc, type_text, rng.choice(industry_codes), region, address,
               rng.choice(STATUSES), rng.choice(CREDIT), supervising]  # fmt: skip


DATA_VERSION = 2  # bump when entity_rows changes: files of another version are not reused


def write_files(n: int, regenerate: bool) -> tuple[Path, Path, Path]:
    """The N-row CSV and XLSX, and a CSV of the first COMPARE_ROWS rows. Files written by an
    earlier run of the same version are reused (writing them takes minutes); each is written
    under a temporary name and renamed when complete, so a killed run leaves none half-made."""
    from openpyxl import Workbook

    OUT.mkdir(parents=True, exist_ok=True)
    stem = f"entities_v{DATA_VERSION}"
    csv_path, xlsx_path = OUT / f"{stem}_{n}.csv", OUT / f"{stem}_{n}.xlsx"
    small_path = OUT / f"{stem}_{min(n, COMPARE_ROWS)}_compare.csv"
    paths = (csv_path, xlsx_path, small_path)
    if not regenerate and all(path.exists() for path in paths):
        return paths
    partial = [path.with_name(f"{path.name}.partial") for path in paths]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("检查对象")
    sheet.append(HEADERS)
    with (
        partial[0].open("w", encoding="utf-8", newline="") as big,
        partial[2].open("w", encoding="utf-8", newline="") as small,
    ):
        big_writer, small_writer = csv.writer(big), csv.writer(small)
        big_writer.writerow(HEADERS)
        small_writer.writerow(HEADERS)
        for i, row in enumerate(entity_rows(n)):
            big_writer.writerow(row)
            if i < COMPARE_ROWS:
                small_writer.writerow(row)
            sheet.append(row)
    workbook.save(partial[1])
    for written, path in zip(partial, paths, strict=True):
        written.replace(path)
    return paths


# ------------------------------------------------------------------ databases
def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def fresh_database(target: str, name: str) -> str:
    """DATABASE_URL of an empty database (the child migrates it)."""
    if target == "postgres":
        _pg_admin(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
        _pg_admin(f"CREATE DATABASE {PG_DATABASE}")
        return f"{PG_SERVER}/{PG_DATABASE}"
    path = OUT / f"{name}.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def drop_databases() -> None:
    _pg_admin(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
    for path in OUT.glob("*.sqlite3*"):
        path.unlink()


# ------------------------------------------------------------------ child processes
def run_child(target: str, engine: str, path: Path, name: str) -> dict:
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "spotcheck.config.settings.test",
        "SPOTCHECK_DATABASE_URL": fresh_database(target, name),
    }
    command = [sys.executable, __file__, "--child", engine, str(path)]
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"{name} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def child(engine: str, path: Path) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    create_departments()
    server_before = server_cpu_seconds()
    if engine == "ours":
        from spotcheck.imports.services import import_file

        office = office_user()
        checkpoint()
        start = time.perf_counter()
        outcome = import_file(kind="entities", path=path, actor=office)
        seconds = time.perf_counter() - start
        rows, summary = outcome.rows_read, outcome.summary_line()
        server = server_cpu_seconds() - server_before
        links = link_count()
        start = time.perf_counter()
        again = import_file(kind="entities", path=path, actor=office)
        repeat = {"seconds": time.perf_counter() - start, "summary": again.summary_line(),
                  "links": link_count() - links}  # fmt: skip
    else:
        rows, seconds, summary = _import_export(path)
        server, links, repeat = server_cpu_seconds() - server_before, link_count(), None
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
    figures = {"rows": rows, "seconds": seconds, "peak_mb": peak_mb, "summary": summary}
    print(json.dumps({**figures, "server_cpu": server, "links": links, "repeat": repeat}))


def create_departments() -> None:
    from spotcheck.accounts.models import Department
    from spotcheck.demo.departments import DEPARTMENTS

    Department.objects.bulk_create(
        Department(code=code, name=name, region_code="110101") for code, name, *_ in DEPARTMENTS
    )


def checkpoint() -> None:
    """PostgreSQL writes out what earlier work left dirty (a province's generation, a load run)
    before the timed import, so that the import pays for its own writes only: without it the
    same import took 24–35 s on a quiet machine, depending on when a checkpoint fell."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")


def office_user():
    """The office's user, as on the import page: every history row names who imported it."""
    from spotcheck.accounts.models import Role, User

    return User.objects.create_user("bench_office", password=None, role=Role.OFFICE_ADMIN)


def link_count() -> int:
    from spotcheck.directory.models import MarketEntity

    return MarketEntity.departments.through.objects.count()


def server_cpu_seconds() -> float:
    """CPU seconds used so far by the local PostgreSQL server: its live processes, and the ones
    the postmaster has reaped (parallel index-build workers count in its children's times).
    Reads /proc; 0 where there is none (the SQLite runs count nothing)."""
    total = 0
    for process in Path("/proc").glob("[0-9]*"):
        try:
            if (process / "comm").read_text().strip() != "postgres":
                continue
            fields = (process / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        total += sum(map(int, fields[11:15]))  # utime, stime, cutime, cstime
    return total / os.sysconf("SC_CLK_TCK")


def _import_export(path: Path) -> tuple[int, float, str]:
    """django-import-export 4.4.3 on the same CSV: a minimal ModelResource keyed on ``key``."""
    import tablib
    from import_export import fields, resources

    from spotcheck.directory.models import MarketEntity

    columns = dict(zip(HEADERS[:-1], ["name", "uscc", "entity_type", "industry_code", "region_code",
                                 "address", "status", "credit_class"], strict=True))  # fmt: skip

    class EntityResource(resources.ModelResource):
        key = fields.Field(attribute="key", column_name="统一社会信用代码")

        class Meta:
            model = MarketEntity
            import_id_fields = ["key"]
            fields = ["key", *columns.values()]

    for header, attribute in columns.items():
        EntityResource.fields[attribute] = fields.Field(attribute=attribute, column_name=header)
    dataset = tablib.Dataset().load(path.read_text(encoding="utf-8"), format="csv")
    start = time.perf_counter()
    result = EntityResource().import_data(dataset, raise_errors=True)
    seconds = time.perf_counter() - start
    totals = result.totals
    summary = f"new {totals['new']}, updated {totals['update']}, errors {totals['error']}"
    return len(dataset), seconds, summary


# ------------------------------------------------------------------ main
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--regenerate", action="store_true", help="write the files even if present")
    parser.add_argument("--postgres-only", action="store_true", help="only the PostgreSQL CSV run")
    parser.add_argument("--child", nargs=2, metavar=("ENGINE", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
    start = time.perf_counter()
    csv_path, xlsx_path, small_path = write_files(args.rows, args.regenerate)
    print(f"{args.rows:,} rows ready in {time.perf_counter() - start:.1f} s: "
          f"{csv_path.name} {csv_path.stat().st_size / 1e6:.0f} MB, "
          f"{xlsx_path.name} {xlsx_path.stat().st_size / 1e6:.0f} MB")  # fmt: skip
    runs = {}
    try:
        for name, target, engine, path in [
            ("postgres-csv", "postgres", "ours", csv_path),
            ("sqlite-csv", "sqlite", "ours", csv_path),
            ("sqlite-xlsx", "sqlite", "ours", xlsx_path),
            ("postgres-compare-ours", "postgres", "ours", small_path),
            ("postgres-compare-import-export", "postgres", "import-export", small_path),
        ][: 1 if args.postgres_only else None]:
            run = runs[name] = run_child(target, engine, path, name)
            run["rate"] = run["rows"] / run["seconds"]
            print(f"{name:32} {run['rows']:>9,} rows {run['seconds']:8.2f} s "
                  f"{run['rate']:>9,.0f} rows/s  peak {run['peak_mb']:6.0f} MB  "
                  f"({run['summary']})", flush=True)  # fmt: skip
            if engine == "ours":
                repeat = run["repeat"]
                print(f"{'':32} {run['links']:,} department links written; the same file again: "
                      f"{repeat['seconds']:.2f} s, {repeat['links']:,} links more "
                      f"({repeat['summary']})", flush=True)  # fmt: skip
            if target == "postgres" and run["server_cpu"]:
                print(f"{'':32} PostgreSQL server CPU {run['server_cpu']:.1f} s "
                      f"({run['rows'] / run['server_cpu']:,.0f} rows per server CPU second)")  # fmt: skip
    finally:
        drop_databases()
    postgres = runs["postgres-csv"]["rate"]
    print(f"import with department links: postgres {postgres:,.0f} rows/s "
          f"({runs['postgres-csv']['links']:,} links)")  # fmt: skip
    if args.postgres_only:
        return
    sqlite = runs["sqlite-csv"]["rate"]
    ratio = runs["postgres-compare-ours"]["rate"] / runs["postgres-compare-import-export"]["rate"]
    peak = max(run["peak_mb"] for name, run in runs.items() if "import-export" not in name)
    print(f"import: postgres {postgres:,.0f} rows/s, sqlite {sqlite:,.0f} rows/s, "
          f"peak {peak:,.0f} MB, {ratio:.1f}x django-import-export")  # fmt: skip


if __name__ == "__main__":
    main()
