"""Bulk notices are built by a background job: the click only queues it, the page shows the
progress, and the zip holds the letters of the requester's own scope."""

import io
import time
import zipfile

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent
from spotcheck.draws.models import ArchiveStatus, NoticeArchive, Visit
from tests.queue import run_queued_tasks


def _request(client, batch, fmt, capture):
    with capture(execute=True):
        return client.post(f"/draws/{batch.pk}/notices/{fmt}/")


def test_the_click_only_queues_the_job_and_the_page_shows_progress(
    client_for, liaison_zhao, drawn_batch, django_capture_on_commit_callbacks
):
    client = client_for(liaison_zhao)
    # when the lead liaison asks for every letter as PDF
    started = time.monotonic()
    response = _request(client, drawn_batch, "pdf", django_capture_on_commit_callbacks)
    elapsed = time.monotonic() - started
    # then the answer comes at once, with nothing rendered yet, on a progress page
    archive = NoticeArchive.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/draws/notices/{archive.pk}/"
    assert elapsed < 3
    assert archive.status == ArchiveStatus.QUEUED and archive.path == ""
    assert archive.total == Visit.objects.filter(batch=drawn_batch).count()
    page = client.get(response["Location"]).content.decode()
    assert 'id="archive-bar"' in page and 'hx-trigger="every 1s"' in page
    # and a second click while it waits does not queue a second job; the request is audited once
    _request(client, drawn_batch, "pdf", django_capture_on_commit_callbacks)
    assert NoticeArchive.objects.count() == 1
    requested = AuditEvent.objects.get(event_type=AuditEventType.NOTICE_ARCHIVE_REQUESTED)
    assert requested.actor == liaison_zhao and requested.extra["letters"] == archive.total

    # when the worker has run
    run_queued_tasks()
    # then the polled fragment offers the zip, which holds one PDF per visit
    fragment = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert 'id="archive-download"' in fragment and "hx-trigger" not in fragment
    download = client.get(f"/draws/notices/{archive.pk}/download/")
    content = b"".join(download.streaming_content)
    names = zipfile.ZipFile(io.BytesIO(content)).namelist()
    assert len(names) == archive.total and all(n.endswith(".pdf") for n in names)
    assert AuditEvent.objects.filter(
        event_type=AuditEventType.EXPORT_DOWNLOADED, target_id__startswith="notices:"
    ).exists()


def test_a_partner_gets_only_visits_with_its_items_and_nobody_else_sees_the_archive(
    client_for, liaison_sun, liaison_zhao, drawn_batch, django_capture_on_commit_callbacks
):
    partner = client_for(liaison_sun)
    _request(partner, drawn_batch, "docx", django_capture_on_commit_callbacks)
    run_queued_tasks()
    archive = NoticeArchive.objects.get()
    theirs = Visit.objects.filter(batch=drawn_batch, tasks__department__code="WJW").distinct()
    assert archive.status == ArchiveStatus.DONE and archive.total == theirs.count()
    content = b"".join(partner.get(f"/draws/notices/{archive.pk}/download/").streaming_content)
    assert len(zipfile.ZipFile(io.BytesIO(content)).namelist()) == theirs.count()
    # the lead department's liaison did not ask for it: the same 404 as a missing archive
    lead = client_for(liaison_zhao)
    assert lead.get(f"/draws/notices/{archive.pk}/").status_code == 404
    assert lead.get(f"/draws/notices/{archive.pk}/download/").status_code == 404
    assert lead.get("/draws/notices/999999/").status_code == 404


def test_notices_are_never_built_by_a_get(client_for, liaison_zhao, drawn_batch):
    response = client_for(liaison_zhao).get(f"/draws/{drawn_batch.pk}/notices/pdf/")
    assert response.status_code == 405
    assert not NoticeArchive.objects.exists()


def test_an_archive_with_pins_is_refused_to_its_requester_once_moved(
    client_for, liaison_zhao, drawn_batch, health_dept, django_capture_on_commit_callbacks
):
    # Given the lead liaison's archive of first letters (each with the firm's PIN)
    client = client_for(liaison_zhao)
    _request(client, drawn_batch, "pdf", django_capture_on_commit_callbacks)
    run_queued_tasks()
    archive = NoticeArchive.objects.get()
    assert archive.carries_pins
    assert client.get(f"/draws/notices/{archive.pk}/download/").status_code == 200
    # When the liaison becomes a reviewer (who sends no notices), the PINs stay out of reach
    liaison_zhao.role = "reviewer"
    liaison_zhao.save()
    assert client.get(f"/draws/notices/{archive.pk}/download/").status_code == 403
    # and once moved to the partner department, which sends none of these letters
    liaison_zhao.role, liaison_zhao.department = "department_admin", health_dept
    liaison_zhao.save()
    assert client.get(f"/draws/notices/{archive.pk}/download/").status_code == 403
