"""Two imports writing the same entities at once: the one the database stops gets a Chinese
message to retry (never a psycopg traceback), and nothing of it is applied."""

import threading
import time

import pytest
from django.db import OperationalError, connection, transaction

from spotcheck.directory.models import MarketEntity
from spotcheck.imports import jobs
from spotcheck.imports.jobs import OVERLAP_MESSAGE, import_job_run
from spotcheck.imports.models import ImportJob, ImportStatus
from tests.factories import EntityFactory

from .helpers import entity_rows, valid_usccs, write_csv


def _job(tmp_path, liaison_zhao, market_dept, usccs) -> ImportJob:
    path = write_csv(tmp_path / "entities.csv", entity_rows(usccs))
    return ImportJob.objects.create(
        kind="entities",
        department=market_dept,
        created_by=liaison_zhao,
        original_name="entities.csv",
        stored_path=str(path),
    )


def test_the_loser_of_an_overlap_is_asked_to_retry(
    db, client_for, tmp_path, liaison_zhao, market_dept, monkeypatch
):
    job = _job(tmp_path, liaison_zhao, market_dept, valid_usccs(3))

    def lose(**_):
        raise OperationalError("database is locked")

    monkeypatch.setattr(jobs, "import_file", lose)
    job = import_job_run(job.pk)
    assert job.status == ImportStatus.FAILED
    assert job.failure == OVERLAP_MESSAGE
    page = client_for(liaison_zhao).get(f"/imports/{job.pk}/").content.decode()
    assert "请稍后重试" in page and "database is locked" not in page


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions")
@pytest.mark.django_db(transaction=True)
def test_an_import_blocked_by_another_writing_the_same_entity_fails_cleanly(
    tmp_path, liaison_zhao, market_dept
):
    # given another import that has written one of our entities and not committed yet
    usccs = valid_usccs(3)
    job = _job(tmp_path, liaison_zhao, market_dept, usccs)
    written, release = threading.Event(), threading.Event()

    def other_import():
        try:
            with transaction.atomic():
                EntityFactory(key=usccs[0], uscc=usccs[0], departments=[market_dept])
                written.set()
                release.wait(10)
        finally:
            connection.close()

    other = threading.Thread(target=other_import)
    other.start()
    assert written.wait(10)
    # when our import runs into it (it waits on the key until the other one commits)
    threading.Timer(1.0, release.set).start()
    started = time.monotonic()
    job = import_job_run(job.pk)
    other.join()
    # then ours stops with the message to retry, having applied nothing
    assert time.monotonic() - started < 30
    assert job.status == ImportStatus.FAILED, (job.status, job.imported)
    assert job.failure == OVERLAP_MESSAGE
    assert MarketEntity.objects.count() == 1
