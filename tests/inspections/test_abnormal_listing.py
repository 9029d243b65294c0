"""A confirmed abnormal listing shows on the entity's file with its date and ground, and is
removed (移出) by the registration department when the firm corrects, with a reason, audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent
from spotcheck.inspections.followups import abnormal_listing_remove, abnormal_proposal_decide
from spotcheck.inspections.models import AbnormalListProposal
from tests.inspections.test_followups import approve


@pytest.fixture
def listing(joint_visit, reviewer_li, liaison_zhao):
    approve(joint_visit, "SCJGJ", reviewer_li, "unreachable")
    proposal = AbnormalListProposal.objects.get()
    return abnormal_proposal_decide(actor=liaison_zhao, proposal=proposal, accept=True)


def test_confirmed_listing_shows_on_the_file_with_date_and_ground(listing, client_for, liaison_sun):
    # the health department supervises the firm too: the shared listing is on its file as well
    page = client_for(liaison_sun).get(f"/inspections/entities/{listing.entity.key}/file/")
    text = page.content.decode()
    assert "经营异常名录记录" in text
    # the date as the district sees it (Beijing time), whatever the hour in UTC
    assert timezone.localtime(listing.decided_at).strftime("%Y-%m-%d") in text
    assert "通过登记的住所（经营场所）无法联系" in text
    assert "移出经营异常名录" not in text  # not theirs to remove


def test_removal_needs_a_reason_and_clears_the_flag(listing, liaison_zhao, client_for):
    with pytest.raises(ValidationError, match="须说明理由"):
        abnormal_listing_remove(actor=liaison_zhao, proposal=listing, reason=" ")
    response = client_for(liaison_zhao).post(
        f"/inspections/abnormal/{listing.pk}/remove/",
        {"reason": "企业已变更登记住所，可以联系"},
        follow=True,
    )
    assert "已移出经营异常名录" in response.content.decode()
    listing.refresh_from_db()
    listing.entity.refresh_from_db()
    assert listing.removed_at is not None and not listing.entity.abnormal_listed
    event = AuditEvent.objects.get(event_type=AuditEventType.ENTITY_ABNORMAL_REMOVED)
    assert event.actor == liaison_zhao and event.extra["reason"] == "企业已变更登记住所，可以联系"
    # the removal stays on the record, and a second removal is refused
    assert "企业已变更登记住所，可以联系" in response.content.decode()
    with pytest.raises(ValidationError, match="或已移出"):
        abnormal_listing_remove(actor=liaison_zhao, proposal=listing, reason="again")


def test_only_the_registration_department_removes(listing, liaison_sun):
    with pytest.raises(PermissionDenied):
        abnormal_listing_remove(actor=liaison_sun, proposal=listing, reason="已改正")
    listing.entity.refresh_from_db()
    assert listing.entity.abnormal_listed
