"""Downloads of internal lists (a batch's notices, a rejected-rows report) leave an audit event."""

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent


def test_batch_notice_archive_download_is_audited(drawn_batch, liaison_zhao, client_for):
    response = client_for(liaison_zhao).get(f"/draws/{drawn_batch.pk}/notices.pdf.zip")
    assert response.status_code == 200
    event = AuditEvent.objects.get(event_type=AuditEventType.EXPORT_DOWNLOADED)
    assert event.actor == liaison_zhao and event.target_id == f"notices:{drawn_batch.number}"
