"""Load test (issue 16): 200 people at once against gunicorn with 4 workers on 127.0.0.1.

    .venv/bin/python bench/load.py              # 10 minutes
    .venv/bin/python bench/load.py --minutes 2  # a short run

Uses the province database of bench/province.py (run that first: it generates the directory
and the bench personas). Inspectors, reviewers, liaisons and portal visitors (5 : 2 : 3 : 10,
see bench/load_users.py) each open a page every 3–10 s. All portal visitors come from
127.0.0.1, so the public API's per-address limit is raised for this server only.

Last line: ``load: N requests, E errors, p95 X ms``.
"""

import argparse
import csv
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.province import free_port, session_cookie, setup, start_server  # noqa: E402

PERSONAS = ("bench_inspector", "bench_reviewer", "bench_liaison")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--database", default="h12_scale_db")
    args = parser.parse_args()
    setup(args.database)
    from spotcheck.directory.models import MarketEntity

    os.environ["SPOTCHECK_PUBLIC_API_RATE"] = "100000/m"
    keys = list(
        MarketEntity.objects.filter(departments__code="P01")
        .order_by("pk")
        .values_list("key", flat=True)[::997][:200]
    )
    env = os.environ | {
        "LOAD_COOKIES": json.dumps(
            {name: session_cookie(name).split("=", 1)[1] for name in PERSONAS}
        ),
        "LOAD_KEYS": json.dumps(keys),
    }
    port = free_port()
    server = start_server(port, workers=4)
    out = ROOT / "var" / "load"
    out.parent.mkdir(exist_ok=True)
    try:
        locust = [str(ROOT / ".venv" / "bin" / "locust"), "-f", str(ROOT / "bench" / "load_users.py"),
                  "--headless", "--users", str(args.users), "--spawn-rate", "20",
                  "--run-time", f"{int(args.minutes * 60)}s", "--host", f"http://127.0.0.1:{port}",
                  "--csv", str(out), "--only-summary", "--loglevel", "WARNING"]  # fmt: skip
        subprocess.run(
            locust,
            env=env,
            check=False,  # locust exits 1 when any request failed; the figures say so below
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"load average: {os.getloadavg()[0]:.1f} (shared machine, 2 cores)")
    with open(f"{out}_stats.csv", encoding="utf-8") as stats:
        total = next(row for row in csv.DictReader(stats) if row["Name"] == "Aggregated")
    print(
        f"load: {int(total['Request Count'])} requests, {int(total['Failure Count'])} errors, "
        f"p95 {float(total['95%']):.0f} ms"
    )


if __name__ == "__main__":
    main()
