"""Same-firm merging (合并检查): two departments' own draws on the same firm, planned within 3
working days, are offered as one joint visit; both accept → one visit, one code, one notice, each
department's items; a no (with its reason) leaves both visits; a rule refuses the merge."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent
from spotcheck.checks.caps import yearly_checks
from spotcheck.checks.warnings import firm_warning_list
from spotcheck.directory.models import InspectorConflict
from spotcheck.draws.models import Visit
from spotcheck.draws.notices.context import notice_context
from spotcheck.draws.publication import format_access_code
from spotcheck.draws.recusal import team_member_recuse
from spotcheck.inspections import services
from spotcheck.inspections.merge_selectors import merge_savings
from spotcheck.inspections.merging import merge_offer_answer, merge_offers_detect
from spotcheck.inspections.models import ItemResult, MergeOffer, MergeOfferStatus
from tests.draw_fixtures import flashed, team_member
from tests.factories import DepartmentFactory, UserFactory
from tests.inspections.merge_fixtures import (
    FAR_DAY,
    HEALTH_DAY,
    MARKET_DAY,
    health_draw,
    with_logins,
)


def _visits(offer):
    return list(offer.visits.select_related("batch__department").order_by("planned_date"))


def test_two_departments_draws_on_one_firm_become_an_offer(two_draws):
    market_batch, health_batch = two_draws
    both = set(market_batch.visits.values_list("entity", flat=True)) & set(
        health_batch.visits.values_list("entity", flat=True)
    )
    offers = MergeOffer.objects.filter(status=MergeOfferStatus.OPEN)
    assert both and {o.entity_id for o in offers} == both
    offer = offers.first()
    market_visit, health_visit = _visits(offer)
    assert (market_visit.batch, health_visit.batch) == (market_batch, health_batch)
    assert offer.planned_date == MARKET_DAY  # the earliest: before anyone visits twice
    assert sorted(offer.answers.values_list("department__code", flat=True)) == ["SCJGJ", "WJW"]
    assert AuditEvent.objects.filter(event_type=AuditEventType.MERGE_OFFERED).count() == len(both)


def test_a_draw_split_across_queue_jobs_offers_the_merge_too(
    market_draw, liaison_sun, health_dept, django_capture_on_commit_callbacks, settings
):
    # Given the health department's draw split into USCC ranges (a province's queue workers)
    settings.SPOTCHECK_DRAW_RANGES = 3
    health_batch = health_draw(liaison_sun, health_dept, django_capture_on_commit_callbacks)
    assert health_batch.status == "drawn"
    # Then its merge job offers the firms both departments drew, as a one-job draw does
    both = set(market_draw.visits.values_list("entity", flat=True)) & set(
        health_batch.visits.values_list("entity", flat=True)
    )
    offered = set(MergeOffer.objects.values_list("entity", flat=True))
    assert both and offered == both


def test_visits_five_working_days_apart_are_not_offered(
    market_draw, liaison_sun, health_dept, django_capture_on_commit_callbacks
):
    health_draw(liaison_sun, health_dept, django_capture_on_commit_callbacks, day=FAR_DAY)
    assert not MergeOffer.objects.exists()


def test_both_liaisons_accept_and_the_firm_is_visited_once(
    offer, client_for, liaison_zhao, liaison_sun
):
    market_visit, health_visit = _visits(offer)
    # before: the office is warned that two departments check the firm within 60 days
    assert market_visit.entity_id in {w.entity.pk for w in firm_warning_list(year=2026)}
    # each liaison finds the offer on their home page
    for liaison in (liaison_zhao, liaison_sun):
        home = client_for(liaison).get("/").content.decode()
        assert f"/inspections/merges/{offer.pk}/" in home and offer.entity.name in home

    url = f"/inspections/merges/{offer.pk}/answer/"
    first = client_for(liaison_zhao).post(url, {"decision": "accept"}, follow=True)
    assert flashed(first) == ["已答复"]
    assert not Visit.objects.filter(merged_into__isnull=False).exists()
    last = client_for(liaison_sun).post(url, {"decision": "accept"}, follow=True)
    assert flashed(last) == ["各部门均已同意，已合并为一次联合检查"]

    offer.refresh_from_db()
    health_visit.refresh_from_db()
    assert offer.status == MergeOfferStatus.MERGED and offer.kept_visit == market_visit
    assert health_visit.merged_into == market_visit and health_visit.merged_at is not None
    # one visit with both departments' tasks, items and results kept per department
    kept = Visit.objects.get(pk=market_visit.pk)
    assert sorted(kept.tasks.values_list("department__code", flat=True)) == ["SCJGJ", "WJW"]
    services.ensure_results(kept)
    assert sorted(ItemResult.objects.values_list("visit", "department__code")) == [
        (kept.pk, "SCJGJ"),
        (kept.pk, "WJW"),
    ]
    # one team: the health inspectors join the market team
    assert {"SCJGJ", "WJW"} == set(kept.team.serving().values_list("department__code", flat=True))
    # one notice, naming both departments and both items
    notice = notice_context(kept)
    assert "东城区卫生健康委员会" in notice["department_list"]
    assert {i["name"] for i in notice["items"]} == {"餐饮服务监督检查", "公共场所卫生监督检查"}
    # one code: the merged-away one tells the firm where the visit went
    page = client_for(liaison_sun).get(f"/check/{format_access_code(health_visit.access_code)}/")
    text = page.content.decode()
    assert f"已合并到 {kept.batch.number}/{kept.visit_id}" in text
    assert format_access_code(kept.access_code) in text
    # the firm counts one check this year, and the office sees the visit saved
    assert yearly_checks(entity=kept.entity, department=None, year=2026).total == 1
    assert merge_savings(year=2026) == {"merges": 1, "visits_saved": 1}
    assert kept.entity_id not in {w.entity.pk for w in firm_warning_list(year=2026)}
    # the task counts the firm once: at the visit that goes ahead
    assert list(Visit.objects.filter(tasks__department__code="WJW", entity=kept.entity)) == [kept]
    events = AuditEvent.objects.filter(event_type__in=(662, 664)).values_list("event_type")
    assert sorted(e for (e,) in events) == [662, 662, 664]


def test_merged_away_visit_takes_no_field_work(offer, liaison_zhao, liaison_sun):
    _, health_visit = _visits(offer)
    with_logins(health_visit)
    for liaison in (liaison_zhao, liaison_sun):
        merge_offer_answer(actor=liaison, offer=offer, accept=True)
    health_visit.refresh_from_db()
    inspector = team_member(health_visit, "WJW").inspector.user
    with pytest.raises(ValidationError, match="已合并到"):
        services.visit_arrive(actor=inspector, visit=health_visit)
    assert services.ensure_results(health_visit) == []


def test_a_no_needs_its_reason_and_leaves_both_visits(offer, client_for, liaison_sun):
    url = f"/inspections/merges/{offer.pk}/answer/"
    refused = client_for(liaison_sun).post(url, {"decision": "decline"}, follow=True)
    assert flashed(refused) == ["不同意合并须说明理由"]
    offer.refresh_from_db()
    assert offer.status == MergeOfferStatus.OPEN

    client_for(liaison_sun).post(url, {"decision": "decline", "reason": "本部门需单独突击检查"})
    offer.refresh_from_db()
    assert offer.status == MergeOfferStatus.DECLINED
    answer = offer.answers.get(department__code="WJW")
    assert answer.reason == "本部门需单独突击检查"
    assert not Visit.objects.filter(merged_into__isnull=False).exists()
    assert AuditEvent.objects.filter(event_type=AuditEventType.MERGE_DECLINED).count() == 1
    # asked again on demand, the declined pair is not offered a second time
    office = UserFactory(role="office_admin", department=offer.answers.first().department)
    assert all(o.entity_id != offer.entity_id for o in merge_offers_detect(actor=office))
    again = client_for(office).post("/inspections/merges/detect/", follow=True)
    assert flashed(again) == ["发现 0 条新的合并检查建议"]


def test_refused_once_the_team_has_arrived(offer, liaison_zhao):
    market_visit, _ = _visits(offer)
    with_logins(market_visit)
    services.visit_arrive(
        actor=team_member(market_visit, "SCJGJ").inspector.user, visit=market_visit
    )
    offer = merge_offer_answer(actor=liaison_zhao, offer=offer, accept=True)
    assert offer.status == MergeOfferStatus.REFUSED
    assert "已到达现场" in offer.refusal
    assert not Visit.objects.filter(merged_into__isnull=False).exists()
    assert AuditEvent.objects.filter(event_type=AuditEventType.MERGE_REFUSED).count() == 1


def test_refused_on_a_quiet_day(offer, liaison_zhao, settings):
    settings.SPOTCHECK_CHECK_LIMITS = {
        **settings.SPOTCHECK_CHECK_LIMITS,
        "QUIET_DAYS_OF_MONTH": [1],
    }
    # refused at the first yes: nobody is asked to agree to what cannot happen
    offer = merge_offer_answer(actor=liaison_zhao, offer=offer, accept=True)
    assert offer.status == MergeOfferStatus.REFUSED
    assert "企业安静日" in offer.refusal and "2026-12-01" in offer.refusal


def test_refused_when_the_joined_team_has_a_conflict(offer, liaison_zhao):
    _, health_visit = _visits(offer)
    member = team_member(health_visit, "WJW")
    InspectorConflict.objects.create(
        inspector=member.inspector, entity=offer.entity, reason="近亲属任该企业负责人"
    )
    # refused at the first yes: nobody is asked to agree to what cannot happen
    offer = merge_offer_answer(actor=liaison_zhao, offer=offer, accept=True)
    assert offer.status == MergeOfferStatus.REFUSED
    assert "回避关系" in offer.refusal
    # the market department learns a conflict exists, never whose (confidential to health)
    assert member.inspector.name not in offer.refusal
    event = AuditEvent.objects.get(event_type=AuditEventType.MERGE_REFUSED)
    assert member.inspector.name not in json.dumps(event.extra, ensure_ascii=False)


def test_another_department_can_neither_see_nor_answer(offer, client_for, liaison_zhao):
    tax = DepartmentFactory(code="SWJ", name="东城区税务局")
    outsider = UserFactory(role="department_admin", department=tax)
    client = client_for(outsider)
    assert client.get(f"/inspections/merges/{offer.pk}/").status_code == 404
    answer = client.post(f"/inspections/merges/{offer.pk}/answer/", {"decision": "accept"})
    assert answer.status_code == 404
    assert offer.entity.name not in client.get("/inspections/merges/").content.decode()
    with pytest.raises(PermissionDenied):
        merge_offer_answer(actor=outsider, offer=offer, accept=True)
    # the office sees every offer and the figures, but answers for no department
    office = UserFactory(role="office_admin", department=liaison_zhao.department)
    office_client = client_for(office)
    listing = office_client.get("/inspections/merges/").content.decode()
    assert offer.entity.name in listing and "减少入户 0 次" in listing
    refused = office_client.post(f"/inspections/merges/{offer.pk}/answer/", {"decision": "accept"})
    assert refused.status_code == 403
    assert client.post("/inspections/merges/detect/").status_code == 403


def test_recusal_on_the_joint_visit_replaces_from_each_departments_own_draw(
    offer, liaison_zhao, liaison_sun
):
    for liaison in (liaison_zhao, liaison_sun):
        merge_offer_answer(actor=liaison, offer=offer, accept=True)
    offer.refresh_from_db()
    kept = offer.kept_visit
    for code, liaison in (("WJW", liaison_sun), ("SCJGJ", liaison_zhao)):
        member = team_member(kept, code)  # WJW joined through the merge, from its own batch
        before = set(kept.team.serving().values_list("inspector", flat=True))
        replacement = team_member_recuse(actor=liaison, member=member, reason="近亲属在该企业任职")
        assert replacement.visit == kept and replacement.department.code == code
        assert replacement.inspector_id not in before
        assert member.inspector_id not in set(
            kept.team.serving().values_list("inspector", flat=True)
        )


def test_the_joint_date_skips_a_quiet_day(
    market_draw, liaison_sun, health_dept, django_capture_on_commit_callbacks, settings
):
    # the 1st became quiet after the market draw: the offer takes the health visit's day
    settings.SPOTCHECK_CHECK_LIMITS = {
        **settings.SPOTCHECK_CHECK_LIMITS,
        "QUIET_DAYS_OF_MONTH": [1],
    }
    health_draw(liaison_sun, health_dept, django_capture_on_commit_callbacks)
    offer = MergeOffer.objects.first()
    assert offer.planned_date == HEALTH_DAY
