"""The draw split across queue workers (draw-spec §8) is the one-process draw: same selection,
same visits and teams, same kit bytes; a range whose worker died is drawn again on resume, and
only that range."""

import os
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django_tasks_db.models import DBTaskResult

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent
from spotcheck.draws.drawing import batch_run_draw
from spotcheck.draws.models import BatchStatus, DrawBatch, DrawRange, DrawSplit, Visit
from spotcheck.draws.services import batch_folder, batch_request_draw
from spotcheck.draws.tasks import run_draw
from spotcheck_draw.kit import run_kit
from tests.draw_fixtures import commit_joint_check, draw
from tests.queue import run_queued_tasks

SPOTCHECK = Path(sys.executable).with_name("spotcheck")
needs_server_database = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="worker processes need a server database: the SQLite test database is in memory",
)


def kit_files(kit: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(kit.iterdir())}


def stored_visits(batch: DrawBatch) -> list[str]:
    """visits.tsv as the database has it: visit, entity, tasks, team in rank order."""
    lines = []
    for visit in Visit.objects.filter(batch=batch).order_by("visit_id"):
        tasks = ",".join(sorted(t.number for t in visit.tasks.all()))
        team = ",".join(f"I{m.inspector_id}" for m in visit.team.order_by("department_id", "rank"))
        lines.append(f"{visit.visit_id}\t{visit.entity.key}\t{tasks}\t{team}")
    return sorted(lines)


def one_process_kit(batch: DrawBatch, out: Path) -> dict[str, bytes]:
    folder = batch_folder(batch)
    run_kit(folder / "design.json", folder / "population.tsv", batch.randomness_value, out)
    return kit_files(out)


def kit_visits(kit: dict[str, bytes]) -> list[str]:
    """visits.tsv with each team in the order the database keeps it (by department, rank)."""
    lines = []
    for line in kit["visits.tsv"].decode().splitlines():
        visit_id, key, tasks, team = line.split("\t")
        lines.append((visit_id, key, ",".join(sorted(tasks.split(","))), team))
    return sorted("\t".join(fields) for fields in lines)


def assert_is_the_one_process_draw(batch: DrawBatch, tmp_path: Path) -> None:
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DRAWN, batch.failure
    expected = one_process_kit(batch, tmp_path / "one-process")
    assert kit_files(batch_folder(batch) / "kit") == expected
    assert batch.visits.count() == len(expected["visits.tsv"].splitlines()) > 0
    assert _teams_sorted(stored_visits(batch)) == _teams_sorted(kit_visits(expected))
    assert not DrawSplit.objects.filter(batch=batch).exists()  # bookkeeping gone with the draw


def _teams_sorted(lines: list[str]) -> list[str]:
    """Teams compared as sets of members: the database orders them by department id."""
    out = []
    for line in lines:
        *head, team = line.split("\t")
        out.append("\t".join([*head, ",".join(sorted(team.split(",")))]))
    return out


def ranges_drawn(batch: DrawBatch) -> list[int]:
    events = AuditEvent.objects.filter(
        event_type=AuditEventType.DRAW_RANGE_DRAWN, target_id=str(batch.pk)
    )
    return sorted(e.extra["range"] for e in events)


@pytest.mark.parametrize("ranges", [2, 3, 5])
def test_split_draw_equals_the_one_process_draw(
    settings,
    approved_joint_check,
    liaison_zhao,
    draws_root,
    django_capture_on_commit_callbacks,
    tmp_path,
    ranges,
):
    settings.SPOTCHECK_DRAW_RANGES = ranges
    batch = commit_joint_check(approved_joint_check, liaison_zhao)
    batch = draw(batch, liaison_zhao, django_capture_on_commit_callbacks)
    assert_is_the_one_process_draw(batch, tmp_path)
    assert ranges_drawn(batch) == list(range(ranges))


def _claim_as_a_dead_worker(index: int) -> None:
    """What a worker killed in the middle of a range leaves behind: the job taken (RUNNING)
    and never finished."""
    job = next(
        job
        for job in DBTaskResult.objects.filter(task_path__endswith="run_draw_range")
        if job.args_kwargs["args"][1] == index
    )
    DBTaskResult.objects.filter(pk=job.pk).update(status="RUNNING", worker_ids=["killed"])


def test_a_range_whose_worker_died_is_drawn_again_on_resume_and_only_it(
    settings,
    approved_joint_check,
    liaison_zhao,
    draws_root,
    tmp_path,
    django_capture_on_commit_callbacks,
):
    settings.SPOTCHECK_DRAW_RANGES = 3
    batch = commit_joint_check(approved_joint_check, liaison_zhao)
    batch_request_draw(actor=liaison_zhao, batch=batch, randomness="27182818", witnesses="张三")
    batch_run_draw(batch.pk)  # the run_draw job: plans and queues the ranges
    _claim_as_a_dead_worker(1)
    run_queued_tasks()
    # The other ranges are drawn; the batch is untouched until the last range and the merge
    assert ranges_drawn(batch) == [0, 2]
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DRAWING and not batch.visits.exists()
    assert DrawRange.objects.filter(split__batch=batch, finished_at__isnull=True).count() == 1
    # Resuming draws only the lost range, then merges
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("draw_resume", batch.number, stdout=out)
    assert "1 missing ranges" in out.getvalue()
    run_queued_tasks()
    assert ranges_drawn(batch) == [0, 1, 2]
    assert_is_the_one_process_draw(batch, tmp_path)


def _worker_environment(tmp_path: Path, ranges: int, **extra: str) -> dict[str, str]:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "spotcheck.config.settings.test",
        "SPOTCHECK_DATABASE_URL": url,
        "SPOTCHECK_VAR_DIR": str(tmp_path),
        "SPOTCHECK_DRAW_RANGES": str(ranges),
        **extra,
    }


def _wait_for(predicate, seconds: float = 90.0) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("the workers did not finish in time")
        time.sleep(0.2)


def _stop(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        worker.terminate()
    for worker in workers:
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def _status(batch: DrawBatch) -> str:
    return DrawBatch.objects.values_list("status", flat=True).get(pk=batch.pk)


@pytest.mark.postgres_only
@needs_server_database
@pytest.mark.django_db(transaction=True)
def test_db_workers_in_their_own_processes_draw_the_one_process_draw(
    settings, approved_joint_check, liaison_zhao, tmp_path
):
    settings.DRAWS_ROOT = tmp_path / "draws"
    settings.SPOTCHECK_DRAW_RANGES = 4
    batch = commit_joint_check(approved_joint_check, liaison_zhao)
    batch_request_draw(actor=liaison_zhao, batch=batch, randomness="14142135", witnesses="张三")
    # The queued run_draw job is run here, so a range can be lost before any worker starts
    DBTaskResult.objects.filter(task_path__endswith=".run_draw").delete()
    batch_run_draw(batch.pk)
    _claim_as_a_dead_worker(2)
    command = [
        str(SPOTCHECK),
        "db_worker",
        "--no-startup-delay",
        "--no-reload",
        "--interval",
        "0.2",
    ]
    env = _worker_environment(tmp_path, 4)
    workers = [subprocess.Popen(command, env=env, cwd=tmp_path) for _ in range(2)]
    try:
        _wait_for(lambda: len(ranges_drawn(batch)) == 3)
        time.sleep(1)  # nothing more happens: the merge waits for the lost range
        assert _status(batch) == BatchStatus.DRAWING
        run_draw.enqueue(batch.pk)
        _wait_for(lambda: _status(batch) != BatchStatus.DRAWING)
    finally:
        _stop(workers)
    assert ranges_drawn(batch) == [0, 1, 2, 3]
    workers_used = DBTaskResult.objects.filter(task_path__endswith="run_draw_range").exclude(
        worker_ids=["killed"]
    )
    assert len({w for job in workers_used for w in job.worker_ids}) >= 1
    assert_is_the_one_process_draw(batch, tmp_path)


REDIS_URL = os.environ.get("SPOTCHECK_TEST_REDIS_URL", "redis://127.0.0.1:6379/3")


def _redis_or_skip():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as error:
        pytest.skip(f"Redis at {REDIS_URL} is unreachable ({error})")
    return client


@pytest.mark.postgres_only
@needs_server_database
@pytest.mark.django_db(transaction=True)
def test_rq_workers_on_redis_draw_the_one_process_draw(
    settings, approved_joint_check, liaison_zhao, tmp_path
):
    redis_client = _redis_or_skip()
    redis_client.flushdb()
    settings.DRAWS_ROOT = tmp_path / "draws"
    settings.SPOTCHECK_DRAW_RANGES = 3
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    batch = commit_joint_check(approved_joint_check, liaison_zhao)
    batch_request_draw(actor=liaison_zhao, batch=batch, randomness="16180339", witnesses="张三")
    env = _worker_environment(
        tmp_path, 3, SPOTCHECK_TASKS_BACKEND="rq", SPOTCHECK_REDIS_URL=REDIS_URL
    )
    command = [str(SPOTCHECK), "rqworker", "default", "--job-class", "django_tasks_rq.backend.Job"]
    workers = [subprocess.Popen(command, env=env, cwd=tmp_path) for _ in range(2)]
    try:
        _wait_for(lambda: _status(batch) != BatchStatus.DRAWING)
    finally:
        _stop(workers)
        redis_client.flushdb()
    assert ranges_drawn(batch) == [0, 1, 2]
    assert_is_the_one_process_draw(batch, tmp_path)
