"""A list export too large for one request is written by a background job: the click asks for
it (audited), a page shows the progress, the file holds every row of the requester's filtered
list (never cut off, formula-safe) and only the requester may download it; old files go."""

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent
from spotcheck.common.file_jobs import FileJobStatus
from spotcheck.common.models import ExportJob
from spotcheck.common.services import file_jobs_purge
from spotcheck.directory.models import MarketEntity
from spotcheck.draws.models import NoticeArchive
from tests.factories import EntityFactory
from tests.queue import run_queued_tasks


def _many_entities(count: int, department, region_code: str, name: str = "批量{}有限公司"):
    made = EntityFactory.build_batch(count, region_code=region_code)
    for i, entity in enumerate(made):
        entity.name = name.format(i)
    created = MarketEntity.objects.bulk_create(made)
    MarketEntity.departments.through.objects.bulk_create(
        MarketEntity.departments.through(marketentity_id=e.pk, department_id=department.pk)
        for e in created
    )


def _ask(client, capture, url: str):
    """Open the export link, then press the offer page's button."""
    offer = client.get(url)
    assert offer.status_code == 200 and 'id="export-start"' in offer.content.decode()
    form = offer.context
    with capture(execute=True):
        return client.post(
            "/exports/new/",
            {"kind": form["kind"], "fmt": form["fmt"], "query": form["query"]},
        )


@pytest.fixture
def small_limit(settings):
    settings.SPOTCHECK_EXPORT_IMMEDIATE_ROWS = 50


def test_a_big_filtered_export_is_a_job_whose_file_holds_every_filtered_row(
    client_for, liaison_zhao, market_dept, health_dept, small_limit,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    # Given 400 of zhao's entities in 110101, 30 in 110102, and 40 of another department
    _many_entities(400, market_dept, "110101")
    _many_entities(30, market_dept, "110102")
    _many_entities(40, health_dept, "110101", name="卫健{}公司")
    EntityFactory(departments=[market_dept], region_code="110101", name='=HYPERLINK("x")')
    client = client_for(liaison_zhao)
    # When zhao exports his 110101 entities as CSV: no file in the request, a button instead
    response = _ask(client, django_capture_on_commit_callbacks,
                    "/directory/entities/?region_code=110101&page=3&export=csv")  # fmt: skip
    job = ExportJob.objects.get()
    assert response["Location"] == f"/exports/{job.pk}/"
    assert job.status == FileJobStatus.QUEUED and job.query == "region_code=110101"
    event = AuditEvent.objects.get(event_type=AuditEventType.EXPORT_JOB_REQUESTED)
    assert event.actor == liaison_zhao and event.target_id == str(job.pk)
    page = client.get(response["Location"]).content.decode()
    assert 'id="export-bar"' in page and 'hx-trigger="every 1s"' in page
    # When the worker has run
    run_queued_tasks()
    job.refresh_from_db()
    # Then the polled fragment offers the file, and the file has every filtered row, once
    fragment = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert 'id="export-download"' in fragment and "hx-trigger" not in fragment
    download = client.get(f"/exports/{job.pk}/download/")
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    assert len(rows) - 1 == 401 == job.written == job.total
    assert len({row[0] for row in rows[1:]}) == 401
    assert not any(row[2].startswith("卫健") for row in rows[1:])
    assert '\'=HYPERLINK("x")' in [row[2] for row in rows]  # never a formula
    assert AuditEvent.objects.filter(
        event_type=AuditEventType.EXPORT_DOWNLOADED, target_id=f"entities:job:{job.pk}"
    ).exists()


def test_an_xlsx_longer_than_a_sheet_goes_on_in_the_next_sheet(
    client_for, office_admin_wang, market_dept, small_limit, monkeypatch,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    monkeypatch.setattr("spotcheck.common.exports.XLSX_SHEET_ROWS", 100)
    _many_entities(250, market_dept, "110101")
    client = client_for(office_admin_wang)
    _ask(client, django_capture_on_commit_callbacks, "/directory/entities/?export=xlsx")
    run_queued_tasks()
    job = ExportJob.objects.get()
    content = b"".join(client.get(f"/exports/{job.pk}/download/").streaming_content)
    book = load_workbook(io.BytesIO(content), read_only=True)
    counts = [sum(1 for _ in sheet.iter_rows()) - 1 for sheet in book.worksheets]  # headers
    assert counts == [100, 100, 50] and sum(counts) == job.written == 250


def test_the_file_is_the_requesters_alone(
    client_for, liaison_zhao, liaison_sun, office_admin_wang, market_dept, small_limit,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    _many_entities(60, market_dept, "110101")
    _ask(client_for(liaison_zhao), django_capture_on_commit_callbacks,
         "/directory/entities/?export=csv")  # fmt: skip
    run_queued_tasks()
    job = ExportJob.objects.get()
    # another department's liaison, and even the office, get the answer of a missing job
    for other in (liaison_sun, office_admin_wang):
        client = client_for(other)
        assert client.get(f"/exports/{job.pk}/").status_code == 404
        assert client.get(f"/exports/{job.pk}/download/").status_code == 404
    assert client_for(liaison_zhao).get("/exports/999999/").status_code == 404


def test_a_small_export_is_still_made_in_the_request(client_for, liaison_zhao, market_dept):
    _many_entities(3, market_dept, "110101")
    response = client_for(liaison_zhao).get("/directory/entities/?export=csv")
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 4 and not ExportJob.objects.exists()


def test_an_inspector_may_not_ask_for_an_export_job(client_for, inspector_zhang):
    response = client_for(inspector_zhang).post(
        "/exports/new/", {"kind": "entities", "fmt": "csv", "query": ""}
    )
    assert response.status_code == 403 and not ExportJob.objects.exists()


def test_old_export_files_and_notice_archives_are_removed(
    liaison_zhao, drawn_batch, settings, tmp_path, django_capture_on_commit_callbacks
):
    # Given an export and a notice archive finished 8 days ago, and an export of yesterday
    settings.SPOTCHECK_FILE_JOB_KEEP_DAYS = 7
    now = timezone.now()
    files = [tmp_path / f"file{i}" for i in range(3)]
    for path in files:
        path.write_bytes(b"x")
    old_export, recent_export = (
        ExportJob.objects.create(
            kind="entities",
            fmt="csv",
            requested_by=liaison_zhao,
            status="done",
            path=str(files[i]),
            finished_at=now - timedelta(days=age),
        )
        for i, age in ((0, 8), (2, 1))
    )
    old_archive = NoticeArchive.objects.create(
        batch=drawn_batch, fmt="pdf", requested_by=liaison_zhao, status="done",
        path=str(files[1]), finished_at=now - timedelta(days=8),
    )  # fmt: skip
    # When the nightly job runs
    from spotcheck.common.tasks import purge_file_jobs_daily

    with django_capture_on_commit_callbacks(execute=True):
        purge_file_jobs_daily.call()
    # Then the old ones are gone, files and rows, the recent one stays, and it is audited
    assert [Path(f).exists() for f in files] == [False, False, True]
    assert list(ExportJob.objects.all()) == [recent_export]
    assert not NoticeArchive.objects.filter(pk=old_archive.pk).exists()
    assert not ExportJob.objects.filter(pk=old_export.pk).exists()
    event = AuditEvent.objects.get(event_type=AuditEventType.FILE_JOBS_PURGED)
    assert event.extra["removed"] == {"common.exportjob": 1, "draws.noticearchive": 1}
    # and a second run has nothing to do
    assert file_jobs_purge() == {"common.exportjob": 0, "draws.noticearchive": 0}


MOVED = (
    "您的角色或所在部门在申请导出后已变更，此文件按原部门的范围生成，不能下载；"
    "如需要，请在现在的列表中重新导出。"
)


@pytest.fixture
def zhaos_finished_job(client_for, liaison_zhao, market_dept, small_limit,
                       django_capture_on_commit_callbacks):  # fmt: skip
    _many_entities(60, market_dept, "110101")
    _ask(client_for(liaison_zhao), django_capture_on_commit_callbacks,
         "/directory/entities/?export=csv")  # fmt: skip
    run_queued_tasks()
    job = ExportJob.objects.get()
    assert job.status == FileJobStatus.DONE
    assert (job.requested_role, job.requested_department) == ("department_admin", market_dept)
    return job


def _downloads():
    return AuditEvent.objects.filter(event_type=AuditEventType.EXPORT_DOWNLOADED)


def test_a_requester_moved_to_another_department_may_not_take_the_old_file(
    client_for, liaison_zhao, health_dept, zhaos_finished_job
):
    job = zhaos_finished_job
    # Given zhao, after asking for his market entities, moved to the health department
    liaison_zhao.department = health_dept
    liaison_zhao.save(update_fields=["department"])
    client = client_for(liaison_zhao)
    # When he opens the job's page and its download link
    page = client.get(f"/exports/{job.pk}/").content.decode()
    download = client.get(f"/exports/{job.pk}/download/")
    # Then the page says why instead of offering the file, and the link is refused the same way
    assert MOVED in page and 'id="export-download"' not in page
    assert download.status_code == 403 and MOVED in download.content.decode()
    assert not _downloads().exists()


def test_a_requester_whose_role_may_no_longer_export_may_not_take_the_file(
    client_for, liaison_zhao, zhaos_finished_job
):
    job = zhaos_finished_job
    liaison_zhao.role = "inspector"
    liaison_zhao.save(update_fields=["role"])
    download = client_for(liaison_zhao).get(f"/exports/{job.pk}/download/")
    assert download.status_code == 403
    assert "您现在的角色无权导出该列表，不能下载此前生成的文件。" in download.content.decode()
    assert not _downloads().exists()


def test_a_deactivated_requester_gets_no_file(client_for, liaison_zhao, zhaos_finished_job):
    from django.core.exceptions import ValidationError

    from spotcheck.common.services import export_job_download_check

    job = zhaos_finished_job
    client = client_for(liaison_zhao)
    liaison_zhao.is_active = False
    liaison_zhao.save(update_fields=["is_active"])
    response = client.get(f"/exports/{job.pk}/download/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login")
    with pytest.raises(ValidationError, match="账号已停用，不能下载导出文件。"):
        export_job_download_check(user=liaison_zhao, job=job)
    assert not _downloads().exists()


def test_the_unmoved_requester_still_takes_the_file_audited(
    client_for, liaison_zhao, zhaos_finished_job
):
    job = zhaos_finished_job
    download = client_for(liaison_zhao).get(f"/exports/{job.pk}/download/")
    assert download.status_code == 200 and b"".join(download.streaming_content)
    assert _downloads().get().actor_id == liaison_zhao.pk
