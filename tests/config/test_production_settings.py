"""Outside development the platform runs with production settings, and they pass --deploy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "SPOTCHECK_SECRET_KEY": "k" * 20 + "Zq8-Vx3_Pw7&Lm2*Rt5^Ny9%Hs4#Jd6!",
    "SPOTCHECK_ALLOWED_HOSTS": "spotcheck.example.gov.cn",
}


def _spotcheck(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SPOTCHECK_", "DJANGO_"))}
    clean["SPOTCHECK_VAR_DIR"] = os.environ.get("SPOTCHECK_VAR_DIR", str(ROOT / "var"))
    return subprocess.run(
        [sys.executable, "-m", "spotcheck.manage", *args],
        env=clean | env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


@pytest.mark.timeout(240)
def test_deploy_check_is_clean_with_the_documented_variables():
    result = _spotcheck("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr.upper() and "no issues" in result.stdout


@pytest.mark.timeout(240)
def test_production_is_the_default_and_has_no_demo_key():
    # before: manage.py fell back to base settings and a demo secret key
    result = _spotcheck("check")
    assert result.returncode != 0
    assert "SPOTCHECK_SECRET_KEY" in result.stderr


def test_wsgi_defaults_to_production():
    source = (ROOT / "spotcheck" / "config" / "wsgi.py").read_text()
    assert '"spotcheck.config.settings.production"' in source


@pytest.mark.timeout(240)
def test_a_web_worker_keeps_its_database_connection_between_requests():
    # before: every request opened a new connection (a new PostgreSQL server process)
    two_requests = (
        "from django.core.signals import request_finished, request_started\n"
        "from django.db import connection\n"
        "connections = []\n"
        "for _ in range(2):\n"
        "    request_started.send(None)\n"
        "    connection.ensure_connection()\n"
        "    connections.append(connection.connection)\n"
        "    request_finished.send(None)\n"
        "print('same' if connections[0] is connections[1] else 'new')\n"
    )
    result = _spotcheck("shell", "--no-imports", "-c", two_requests, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "same"
