"""Benchmark of a joint-check report's download (DOCX and PDF built in the request).

    python bench/joint_report_download.py                 # fresh SQLite file, demo district
    python bench/joint_report_download.py --runs 20

Loads the demo district (4,000 entities; its past year holds a finished joint check with every
report signed), then, signed in as the lead department's liaison, downloads through the view:
the team leader's summary as signed, and the same report revised to the longest text allowed
(20,000 characters). A report is built in the request while these stay well under a second;
the last line is `joint report download: p95 X ms`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    if "SPOTCHECK_DATABASE_URL" not in os.environ:
        folder = tempfile.mkdtemp(prefix="joint-report-bench-")
        os.environ["SPOTCHECK_DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spotcheck.config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from spotcheck.accounts.models import User
    from spotcheck.demo.loader import demo_load
    from spotcheck.stats.joint_reports.models import CheckReport, ReportKind
    from spotcheck.stats.joint_reports.services import report_edit, report_revise, report_sign

    call_command("migrate", verbosity=0)
    demo_load(entities=4000, seed=7)
    liaison = User.objects.get(username="liaison_zhao")
    summary = CheckReport.objects.get(kind=ReportKind.SUMMARY)
    client = Client(SERVER_NAME="localhost")
    client.force_login(liaison)

    def timed(report, fmt: str) -> list[float]:
        url = reverse("stats:joint_report_download", args=[report.pk, fmt])
        samples = []
        for _ in range(args.runs):
            started = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
        return samples

    everything = []
    for label in ("signed summary", "20,000-character revision"):
        if label.startswith("20"):
            report_revise(actor=liaison, report=summary, reason="基准测试：最长正文")
            line = "各部门检查结果汇总，发现问题已责令整改并跟踪复查。" * 4
            body = "\n".join([line] * (20_000 // (len(line) + 1)))
            report_edit(actor=liaison, report=summary, body=body)
            report_sign(actor=liaison, report=summary)
        for fmt in ("docx", "pdf"):
            samples = timed(summary, fmt)
            everything += samples
            print(
                f"{label} {fmt}: median {statistics.median(samples):.0f} ms, "
                f"p95 {_p95(samples):.0f} ms ({args.runs} runs)"
            )
    print(f"joint report download: p95 {_p95(everything):.0f} ms")


if __name__ == "__main__":
    main()
