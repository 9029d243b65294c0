"""The inspection code (亮码检查): what a scan shows, to whom, and what it refuses."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent
from spotcheck.directory.models import InspectorConflict
from spotcheck.draws.models import BatchStatus
from spotcheck.draws.notices.context import notice_context
from spotcheck.draws.publication import format_access_code
from spotcheck.firms.limits import CODE_LOOKUPS_PER_HOUR
from spotcheck.firms.models import CodeScan, VisitPin
from spotcheck.firms.pins import pin_matches
from spotcheck.firms.services import code_scan_record
from spotcheck.inspections.services import visit_complete
from tests.draw_fixtures import team_member
from tests.firms.printed import printed_pin


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()


def page_for(visit):
    return reverse("firms:visit", args=[format_access_code(visit.access_code)])


def test_a_scan_shows_the_check_and_the_serving_inspectors_with_certificates(joint_visit):
    # given a drawn visit whose market inspector has been recused
    recused = team_member(joint_visit, "SCJGJ")
    recused.recused_at = timezone.now()
    recused.save()
    serving = list(joint_visit.team.serving().select_related("inspector"))
    # when the firm scans its code, without logging in
    response = Client().get(page_for(joint_visit))
    # then it reads the check, the planned date and each serving inspector with certificate
    assert response.status_code == 200
    page = response.content.decode()
    assert "亮码检查" in page
    assert f"{joint_visit.planned_date.year}年" in page
    for member in serving:
        assert member.inspector.name in page
        assert member.inspector.certificate_number in page
        assert member.inspector.certificate_expiry.isoformat() in page
    # and not the recused inspector
    assert recused.inspector.certificate_number not in page
    assert "本次检查尚未完成" in page


def test_the_page_shows_no_credit_class_conflict_or_inspector_detail(joint_visit):
    # given an entity with a credit class and a declared conflict of a serving inspector
    entity = joint_visit.entity
    member = team_member(joint_visit, "WJW")
    InspectorConflict.objects.create(
        inspector=member.inspector, entity=entity, reason="表兄弟经营该店XYZ"
    )
    member.inspector.region_code = "110101999"
    member.inspector.expertise = ["秘密领域QQ"]
    member.inspector.save()
    # when the firm scans its code
    page = Client().get(page_for(joint_visit)).content.decode()
    firm_page = Client().get(
        reverse("firms:firm", args=[format_access_code(joint_visit.access_code)])
    )
    # then nothing beyond name, department and certificate shows, on either page
    assert member.inspector.name in page
    for private in ("表兄弟经营该店XYZ", "110101999", "秘密领域QQ", "信用风险", "风险分类"):
        assert private not in page
        assert private not in firm_page.content.decode()
    assert f"<dd>{entity.credit_class}</dd>" not in page


def test_scans_are_recorded_and_the_first_one_audited(joint_visit):
    # a reload within the minute is not another scan; a scan from another phone is
    Client().get(page_for(joint_visit))
    Client().get(page_for(joint_visit))
    Client(REMOTE_ADDR="10.0.0.9").get(page_for(joint_visit))
    assert CodeScan.objects.filter(visit=joint_visit).count() == 2
    events = AuditEvent.objects.filter(event_type=AuditEventType.VISIT_CODE_FIRST_SCANNED)
    assert [e.target_id for e in events] == [str(joint_visit.pk)]


def test_a_malformed_and_an_unknown_code_get_the_same_answer(db):
    client = Client()
    malformed = client.get(reverse("firms:visit", args=["ABCD"]))
    unknown = client.get(reverse("firms:visit", args=["ABCD-EFGH-JKMN-PQRS"]))
    assert malformed.status_code == unknown.status_code == 404
    assert "检查码无效" in malformed.content.decode()
    assert malformed.context["error"] == unknown.context["error"]


def test_code_lookups_are_rate_limited(db):
    client = Client()
    for _ in range(CODE_LOOKUPS_PER_HOUR):
        client.get(reverse("firms:visit", args=["ABCD-EFGH-JKMN-PQRS"]))
    response = client.get(reverse("firms:visit", args=["ABCD-EFGH-JKMN-PQRS"]))
    assert response.status_code == 429
    assert "查询过于频繁" in response.content.decode()


def test_a_finished_visit_says_so(joint_visit, inspector_market):
    visit_complete(actor=inspector_market, visit=joint_visit)
    page = Client().get(page_for(joint_visit)).content.decode()
    assert "本次检查已完成" in page


def test_a_cancelled_visit_says_so_and_names_no_inspector(joint_visit):
    joint_visit.batch.status = BatchStatus.SUPERSEDED
    joint_visit.batch.save()
    page = Client().get(page_for(joint_visit)).content.decode()
    assert "本次检查已取消" in page
    for member in joint_visit.team.select_related("inspector"):
        assert member.inspector.name not in page


def test_a_visit_completed_without_a_scan_is_flagged(
    joint_visit, inspector_market, office_admin_wang, client_for
):
    visit_complete(actor=inspector_market, visit=joint_visit)
    response = client_for(office_admin_wang).get(reverse("firms:unscanned"))
    assert str(joint_visit) in response.content.decode()


def test_a_visit_scanned_before_completion_is_not_flagged(
    joint_visit, inspector_market, office_admin_wang, client_for
):
    code_scan_record(visit=joint_visit)
    visit_complete(actor=inspector_market, visit=joint_visit)
    response = client_for(office_admin_wang).get(reverse("firms:unscanned"))
    assert str(joint_visit) not in response.content.decode()


def test_the_notice_carries_the_inspection_link_and_its_pin(joint_visit):
    context = notice_context(joint_visit)
    assert context["inspection_url"].endswith(page_for(joint_visit))
    assert not context["pin"]  # only printing a letter issues a PIN
    pin = printed_pin(joint_visit)
    assert len(pin) == 6 and pin.isdigit()
    stored = VisitPin.objects.get(visit=joint_visit).pin_hash
    assert pin not in stored and pin_matches(stored, pin)


def test_the_team_shows_the_code_on_the_field_visit_page(joint_visit, inspector_market, client_for):
    page = client_for(inspector_market).get(reverse("inspections:visit", args=[joint_visit.pk]))
    assert "亮码：请企业扫码核对检查信息" in page.content.decode()
    assert page.context["inspection_qr"].startswith("data:image/svg+xml")
    text = page.content.decode().replace(page.context["inspection_qr"], "")
    assert printed_pin(joint_visit) not in text


def test_an_inspector_cannot_open_the_unscanned_list(joint_visit, inspector_market, client_for):
    assert client_for(inspector_market).get(reverse("firms:unscanned")).status_code == 403


def test_the_public_page_runs_a_bounded_number_of_queries(
    joint_visit, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20):
        assert Client().get(page_for(joint_visit)).status_code == 200


def test_the_public_page_never_receives_the_notice_pin(joint_visit):
    # The PIN on the paper notice guards rating, recusal and credit repair: anyone who only
    # scans the code (a photo of the QR) must not learn it, not even in the template's context.
    response = Client().get(page_for(joint_visit))
    assert not response.context["notice"]["pin"]
    assert printed_pin(joint_visit) not in response.content.decode()
