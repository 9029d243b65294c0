"""首违不罚 / 轻微免罚: the national list is seeded with legal bases and conditions; a result cites
an entry and the firm is ordered to correct; a second violation of the same entry by the same
firm is not eligible, and the form says so; the re-check is exempt from the caps."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent
from spotcheck.checks.models import ToleranceCitation, ToleranceEntry
from spotcheck.checks.tolerance import tolerance_cite, tolerance_local_entry_add
from spotcheck.inspections.models import FollowUpKind, ItemResult
from tests.factories import UserFactory
from tests.inspections.test_followups import approve


@pytest.fixture
def licence_entry(db):
    return ToleranceEntry.objects.get(
        tolerance_list__document="国市监法〔2025〕10号",
        behaviour="未在经营场所醒目位置悬挂营业执照",
    )


@pytest.fixture
def problem_result(joint_visit, reviewer_li) -> ItemResult:
    return approve(joint_visit, "SCJGJ", reviewer_li, "corrected")


def test_national_list_is_seeded_with_basis_and_conditions(db):
    entries = ToleranceEntry.objects.filter(tolerance_list__document="国市监法〔2025〕10号")
    assert entries.count() == 12
    assert all(
        "《中华人民共和国行政处罚法》第三十三条第一款" in e.legal_basis and e.conditions
        for e in entries
    )


def test_citing_an_entry_orders_rectification(problem_result, licence_entry, reviewer_li):
    citation = tolerance_cite(actor=reviewer_li, result=problem_result, entry=licence_entry)
    follow_up = citation.follow_up
    assert follow_up.kind == FollowUpKind.RECTIFICATION
    assert follow_up.deadline == timezone.localdate() + timedelta(days=7)
    assert "不予处罚" in follow_up.description
    assert AuditEvent.objects.filter(
        event_type=AuditEventType.TOLERANCE_CITED, actor=reviewer_li
    ).exists()


def test_second_violation_of_the_same_entry_is_not_eligible_and_the_form_says_so(
    problem_result, licence_entry, reviewer_li, joint_visit, health_dept, client_for
):
    tolerance_cite(actor=reviewer_li, result=problem_result, entry=licence_entry)
    # another result on the same firm finds the same violation
    reviewer_zhou = UserFactory(username="reviewer_zhou", role="reviewer", department=health_dept)
    later = approve(joint_visit, "WJW", reviewer_zhou, "corrected")
    with pytest.raises(ValidationError, match="再次违反不适用首违不罚"):
        tolerance_cite(actor=reviewer_zhou, result=later, entry=licence_entry)
    assert ToleranceCitation.objects.count() == 1
    page = client_for(reviewer_zhou).get(f"/checks/tolerance/results/{later.pk}/")
    text = page.content.decode()
    today = timezone.localdate().isoformat()
    assert f"该企业已于{today}适用过本项，再次违反不适用" in text


def test_only_the_results_department_cites(problem_result, licence_entry, liaison_sun):
    with pytest.raises(PermissionDenied):
        tolerance_cite(actor=liaison_sun, result=problem_result, entry=licence_entry)


def test_department_keeps_a_local_list(liaison_zhao, liaison_sun, market_dept):
    entry = tolerance_local_entry_add(
        actor=liaison_zhao,
        department=market_dept,
        kind="minor",
        behaviour="户外招牌未按规定备案",
        legal_basis="《北京市市容环境卫生条例》",
        conditions="及时补办备案",
    )
    assert entry.number == 1 and entry.tolerance_list.department == market_dept
    with pytest.raises(PermissionDenied):
        tolerance_local_entry_add(
            actor=liaison_sun,
            department=market_dept,
            kind="minor",
            behaviour="x",
            legal_basis="y",
            conditions="z",
        )


def test_the_entity_file_offers_the_list_to_the_results_department(
    problem_result, reviewer_li, liaison_sun, client_for
):
    url = f"/inspections/entities/{problem_result.visit.entity.key}/file/"
    cite = f"/checks/tolerance/results/{problem_result.pk}/"
    assert cite in client_for(reviewer_li).get(url).content.decode()
    assert cite not in client_for(liaison_sun).get(url).content.decode()
