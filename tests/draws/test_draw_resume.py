"""A draw whose job died is not 抽取中 for ever: the batch page says the draw stopped (or has
not moved past the bound) and the lead's liaison or the office resume it with 继续抽取, which
draws the batch exactly as a draw that never stopped."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from spotcheck.accounts.models import Role
from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent
from spotcheck.draws import drawing, ranges
from spotcheck.draws.models import BatchStatus, DrawBatch
from spotcheck.draws.services import batch_request_draw
from tests.draw_fixtures import commit_joint_check, draw
from tests.draws.test_split_draw import assert_is_the_one_process_draw, ranges_drawn
from tests.factories import UserFactory
from tests.queue import run_queued_tasks

STOPPED = "因系统故障中断，尚未分配任何检查"
NO_PROGRESS = "分钟没有进展，抽取任务可能已中断"


@pytest.fixture
def committed(approved_joint_check, liaison_zhao, draws_root):
    return commit_joint_check(approved_joint_check, liaison_zhao)


def _raise_once(monkeypatch, module, name):
    """The engine call fails once as a lost file would; the second call is the real one."""
    real = getattr(module, name)
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OSError(2, "No such file or directory", "/srv/draws/population.tsv")
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, flaky)


def _events(batch, event_type):
    return list(
        AuditEvent.objects.filter(event_type=event_type, target_id=str(batch.pk)).order_by("pk")
    )


def _page(client, batch) -> str:
    return client.get(f"/draws/{batch.pk}/").content.decode()


@pytest.mark.parametrize(
    ("parts", "module", "name", "job"),
    [
        (1, drawing, "run_kit", "run_draw"),  # the draw in one job
        (3, ranges, "range_candidates", "run_draw_range"),  # one range of a split draw
    ],
)
def test_a_draw_whose_job_raised_is_shown_stopped_and_resumed_to_the_same_draw(
    settings,
    monkeypatch,
    committed,
    liaison_zhao,
    client_for,
    django_capture_on_commit_callbacks,
    tmp_path,
    parts,
    module,
    name,
    job,
):
    settings.SPOTCHECK_DRAW_RANGES = parts
    _raise_once(monkeypatch, module, name)
    # Given a draw whose job raised an error that is not the draw's own
    batch = draw(committed, liaison_zhao, django_capture_on_commit_callbacks)
    assert batch.status == BatchStatus.DRAWING and batch.draw_stopped_at is not None
    failed = DBTaskResult.objects.filter(task_path__endswith=f".{job}", status="FAILED")
    assert failed.count() == 1  # the queue keeps the traceback
    (stop,) = _events(batch, AuditEventType.DRAW_JOB_STOPPED)
    assert stop.actor is None
    assert stop.extra["job"] == job and stop.extra["error"] == "builtins.FileNotFoundError"
    assert ("range" in stop.extra) == (parts > 1)

    # Then the lead's liaison reads that it stopped, without internals, and may resume it
    client = client_for(liaison_zhao)
    page = _page(client, batch)
    assert STOPPED in page and 'id="resume-button"' in page
    assert "正在抽取" not in page
    for internal in ("FileNotFoundError", "Traceback", "population.tsv", "No such file"):
        assert internal not in page
    assert client.get(f"/draws/{batch.pk}/status/").json()["stalled"] is True

    # When they press 继续抽取 and the queue runs
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/draws/{batch.pk}/resume/")
    assert response.status_code == 302
    run_queued_tasks()

    # Then the batch is drawn as a draw that never stopped: same kit, same visits and teams
    assert_is_the_one_process_draw(batch, tmp_path)
    if parts > 1:
        assert ranges_drawn(batch) == [0, 1, 2]  # the lost range once, the others not again
    (resumed,) = _events(batch, AuditEventType.DRAW_RESUMED)
    assert resumed.actor == liaison_zhao
    assert resumed.extra["via"] == "page" and resumed.extra["stalled"] == "stopped"
    assert resumed.extra["ranges_missing"] == (1 if parts > 1 else None)
    page = _page(client, batch)
    assert STOPPED not in page and 'id="visit-count"' in page


def test_the_public_page_shows_a_stopped_draw_as_drawing_and_nothing_more(
    monkeypatch, committed, liaison_zhao, client, django_capture_on_commit_callbacks
):
    _raise_once(monkeypatch, drawing, "run_kit")
    batch = draw(committed, liaison_zhao, django_capture_on_commit_callbacks)
    assert batch.draw_stopped_at is not None
    page = client.get(f"/public/draws/{batch.number}/").content.decode()
    assert "抽取中" in page
    for word in ("中断", "继续抽取", "没有进展", "FileNotFoundError"):
        assert word not in page


@pytest.fixture
def stopped(monkeypatch, committed, liaison_zhao, django_capture_on_commit_callbacks):
    _raise_once(monkeypatch, drawing, "run_kit")
    return draw(committed, liaison_zhao, django_capture_on_commit_callbacks)


@pytest.mark.parametrize(
    "persona",
    [
        "liaison_sun",  # the partner department's liaison: sees the batch, does not run it
        "reviewer_zhou",
        "inspector_zhang",
        "oversight_ma",
    ],
)
def test_only_who_may_run_the_batch_may_resume_it(
    persona, stopped, client_for, health_dept, market_dept, django_capture_on_commit_callbacks
):
    user = {
        "liaison_sun": lambda: UserFactory(role=Role.DEPARTMENT_ADMIN, department=health_dept),
        "reviewer_zhou": lambda: UserFactory(role=Role.REVIEWER, department=health_dept),
        "inspector_zhang": lambda: UserFactory(role=Role.INSPECTOR, department=market_dept),
        "oversight_ma": lambda: UserFactory(role=Role.OVERSIGHT, department=None),
    }[persona]()
    client = client_for(user)
    page = _page(client, stopped)
    assert STOPPED in page and "请联系组织部门继续抽取" in page
    assert 'id="resume-button"' not in page
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(f"/draws/{stopped.pk}/resume/")
    assert response.status_code == 403
    assert not callbacks
    stopped.refresh_from_db()
    assert stopped.status == BatchStatus.DRAWING and stopped.draw_stopped_at is not None
    assert not _events(stopped, AuditEventType.DRAW_RESUMED)


def test_the_office_may_resume(
    stopped, office_admin_wang, client_for, django_capture_on_commit_callbacks
):
    client = client_for(office_admin_wang)
    assert 'id="resume-button"' in _page(client, stopped)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/draws/{stopped.pk}/resume/")
    run_queued_tasks()
    stopped.refresh_from_db()
    assert stopped.status == BatchStatus.DRAWN, stopped.failure
    (resumed,) = _events(stopped, AuditEventType.DRAW_RESUMED)
    assert resumed.actor == office_admin_wang


def test_a_draw_without_progress_past_the_bound_is_shown_stalled_and_resumed(
    settings, committed, liaison_zhao, client_for, django_capture_on_commit_callbacks
):
    settings.SPOTCHECK_DRAW_STALL_MINUTES = 10
    client = client_for(liaison_zhao)
    # Given a draw queued but never started (no worker took the job, or it was killed silently)
    batch = batch_request_draw(
        actor=liaison_zhao, batch=committed, randomness="31415926", witnesses="张三"
    )
    DBTaskResult.objects.all().delete()
    # While within the bound the page says it is drawing, and resuming is refused
    page = _page(client, batch)
    assert "正在抽取" in page and 'id="resume-button"' not in page
    response = client.post(f"/draws/{batch.pk}/resume/", follow=True)
    assert "抽取正在进行，无需继续抽取" in response.content.decode()
    assert not _events(batch, AuditEventType.DRAW_RESUMED)

    # Past the bound without a sign of progress, it is shown as stalled
    DrawBatch.objects.filter(pk=batch.pk).update(
        randomness_entered_at=timezone.now() - timedelta(minutes=11)
    )
    page = _page(client, batch)
    assert NO_PROGRESS in page and "超过 10 分钟" in page and 'id="resume-button"' in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/draws/{batch.pk}/resume/")
    # Resumed: its clock starts again, so the page says drawing until the queue has drawn it
    assert "正在抽取" in _page(client, batch)
    run_queued_tasks()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DRAWN, batch.failure
    (resumed,) = _events(batch, AuditEventType.DRAW_RESUMED)
    assert resumed.extra["stalled"] == "no progress"


def test_a_drawn_batch_is_not_resumed(
    stopped, liaison_zhao, client_for, django_capture_on_commit_callbacks
):
    client = client_for(liaison_zhao)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/draws/{stopped.pk}/resume/")
    run_queued_tasks()
    response = client.post(f"/draws/{stopped.pk}/resume/", follow=True)
    assert "该批次当前为“已抽取”，无需继续抽取" in response.content.decode()
    assert len(_events(stopped, AuditEventType.DRAW_RESUMED)) == 1
