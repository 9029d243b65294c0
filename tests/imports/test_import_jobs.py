"""Imports started from the web run as background jobs on the real database queue."""

import openpyxl
import pytest

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent
from spotcheck.directory.models import MarketEntity
from spotcheck.imports.models import ImportJob, ImportStatus
from tests.queue import run_queued_tasks

from .helpers import entity_rows, valid_usccs, write_csv


def _upload(client, path, **data):
    with open(path, "rb") as handle:
        return client.post("/imports/", {"kind": "entities", "file": handle, **data})


def _run_queue():
    run_queued_tasks()


@pytest.fixture
def uploaded_job(client_for, liaison_zhao, tmp_path, django_capture_on_commit_callbacks):
    usccs = valid_usccs(3)
    rows = [*entity_rows(usccs), ["坏代码商店", "91110101MA00000000", "", "", "", "", "", ""]]
    path = write_csv(tmp_path / "upload.csv", rows)
    client = client_for(liaison_zhao)
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, path)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{job.pk}/"
    return client, job


def test_uploaded_file_is_previewed_then_imported_once_confirmed(
    uploaded_job, market_dept, django_capture_on_commit_callbacks
):
    client, job = uploaded_job
    assert job.status == ImportStatus.QUEUED
    assert not MarketEntity.objects.exists()
    # the worker first previews the file: counts and rejections, nothing applied
    _run_queue()
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEWED
    assert (job.imported, job.rejected) == (3, 1)
    assert not MarketEntity.objects.exists()
    assert not AuditEvent.objects.filter(event_type=AuditEventType.IMPORT_COMPLETED).exists()
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert (
        "确认后将新增 3 条，更新 0 条，未变化 0 条；其中 0 行有警告（该单元格不导入）；拒绝 1 行"
        in page
    )
    assert "统一社会信用代码校验位错误" in page
    # then liaison_zhao confirms and the worker applies the same file
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/imports/{job.pk}/confirm/")
    confirmed = AuditEvent.objects.get(event_type=AuditEventType.IMPORT_CONFIRMED)
    assert confirmed.actor.username == "liaison_zhao"
    _run_queue()
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert (job.imported, job.rejected) == (3, 1)
    assert MarketEntity.objects.filter(departments=market_dept).count() == 3
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "新增 3 条" in page and "统一社会信用代码校验位错误" in page
    assert client.get(f"/imports/{job.pk}/progress/").json()["percent"] == 100


def test_rejected_rows_report_downloads_as_xlsx(uploaded_job, tmp_path):
    client, job = uploaded_job
    _run_queue()
    response = client.get(f"/imports/{job.pk}/report.xlsx")
    assert response.status_code == 200
    path = tmp_path / "report.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0] == ("行号", "列", "列名", "单元格内容", "原因")
    assert rows[1][:3] == (5, "B", "统一社会信用代码")


def test_another_department_cannot_see_the_job_or_its_report(uploaded_job, client_for, liaison_sun):
    _, job = uploaded_job
    _run_queue()
    other = client_for(liaison_sun)
    for url in (
        f"/imports/{job.pk}/",
        f"/imports/{job.pk}/progress/",
        f"/imports/{job.pk}/report.xlsx",
    ):
        assert other.get(url).status_code == 404, url
    assert "upload.csv" not in other.get("/imports/").content.decode()


def test_unreadable_file_fails_whole_with_a_chinese_message(
    client_for, liaison_zhao, tmp_path, django_capture_on_commit_callbacks
):
    path = tmp_path / "notes.csv"
    path.write_text("随便写的内容\n没有表头\n", encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client_for(liaison_zhao), path)
    _run_queue()
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert job.failure  # the reader's Chinese explanation
    assert not MarketEntity.objects.exists()


def test_wrong_file_type_is_refused_at_upload(client_for, liaison_zhao, tmp_path):
    path = tmp_path / "photo.png"
    path.write_bytes(b"\x89PNG\r\n")
    response = _upload(client_for(liaison_zhao), path)
    assert response.status_code == 200
    assert "只能导入 CSV、XLS 或 XLSX 文件" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_only_a_previewed_job_of_ones_own_department_is_confirmed(
    uploaded_job, client_for, liaison_sun
):
    client, job = uploaded_job
    # not yet previewed: nothing to confirm
    client.post(f"/imports/{job.pk}/confirm/")
    job.refresh_from_db()
    assert job.status == ImportStatus.QUEUED and job.confirmed_at is None
    _run_queue()
    # another department's liaison gets the same 404 as for a missing job
    assert client_for(liaison_sun).post(f"/imports/{job.pk}/confirm/").status_code == 404
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEWED
    assert not MarketEntity.objects.exists()


class _Panic(BaseException):
    """What a panic inside polars raises (pyo3's PanicException): no Exception."""


def test_a_job_whose_import_panics_is_failed_not_left_running(uploaded_job, monkeypatch):
    from spotcheck.imports import jobs

    def panicking(**kwargs):
        raise _Panic("assertion failed: i < self.len()")

    monkeypatch.setattr(jobs, "import_file", panicking)
    _run_queue()  # the worker records the task as failed
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED and "未导入任何数据" in job.failure
