"""Run queued django.tasks jobs in the test process with the real database worker."""

import signal
from unittest import mock

from django.core.management import call_command


def run_queued_tasks() -> None:
    """Every queued task, then return.

    The worker closes connections whose autocommit differs from the settings; inside a test's
    transaction that would drop the test's own connection on PostgreSQL, so that step is
    skipped. The worker also installs SIGINT/SIGTERM handlers and never restores them; they are
    put back so Ctrl+C and xdist keep working.
    """
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
            call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)
