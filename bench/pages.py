"""Shared by the page benches (bench/dashboard.py, bench/portal.py): the PostgreSQL database
they fill once and reuse, Django set up on it, and whole page requests through the test client
timed per kind with their p95."""

import os
import statistics
import sys
import time
from collections.abc import Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg


def database_url(default_name: str, script: str) -> str:
    """The bench's PostgreSQL URL (SPOTCHECK_DATABASE_URL or a default), created if missing."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spotcheck.config.settings.test")
    os.environ.setdefault(
        "SPOTCHECK_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{default_name}"
    )
    url = os.environ["SPOTCHECK_DATABASE_URL"]
    if not url.startswith("postgres"):
        sys.exit(f"{script} measures PostgreSQL: set SPOTCHECK_DATABASE_URL")
    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if exists.fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')
    return url


def django_ready() -> None:
    """Django set up on the bench database, migrated."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def vacuum() -> None:
    """What autovacuum leaves behind in steady state, after a bulk fill."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def time_requests(client, requests: Iterable[tuple[str, str, dict]]) -> dict[str, list[float]]:
    """(kind, path, params) → milliseconds per kind of whole requests (view, queries,
    template); every answer must be 200."""
    timings: dict[str, list[float]] = {}
    for kind, path, params in requests:
        started = time.perf_counter()
        response = client.get(path, params)
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (path, params, response.status_code)
        timings.setdefault(kind, []).append(elapsed)
    return timings


def report(name: str, timings: dict[str, list[float]], described: str) -> None:
    """Median and p95 per kind, the load, and the last line ``<name>: p95 X ms``."""
    width = max(len(kind) for kind in timings)
    for kind, values in timings.items():
        median = statistics.median(values)
        print(f"  {kind:{width}} median {median:7.1f} ms  p95 {p95(values):7.1f} ms")
    everything = [v for values in timings.values() for v in values]
    print(f"{len(everything)} requests, {described}, load average {os.getloadavg()[0]:.1f}")
    print(f"{name}: p95 {p95(everything):.0f} ms")
