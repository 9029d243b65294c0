"""Result entry and review: states move only forward through review, nobody reviews their own
check, approved results change only by amendment."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from spotcheck.directory.models import MarketEntity
from spotcheck.inspections import services
from spotcheck.inspections.models import (
    AbnormalListProposal,
    FieldVisit,
    FollowUp,
    ItemResult,
    ResultCategory,
    ResultStatus,
)
from spotcheck.inspections.services import effective_categories
from tests.draw_fixtures import team_member
from tests.factories import UserFactory


def _member_and_user(visit, department_code):
    member = team_member(visit, department_code)
    return member, member.inspector.user


def _categories(*codes):
    return list(ResultCategory.objects.filter(code__in=codes))


@pytest.fixture
def market_result(joint_visit):
    services.ensure_results(joint_visit)
    return ItemResult.objects.get(visit=joint_visit, department__code="SCJGJ")


@pytest.fixture
def submitted(joint_visit, market_result):
    _member, user = _member_and_user(joint_visit, "SCJGJ")
    team = list(joint_visit.team.values_list("pk", flat=True))
    services.visit_complete(actor=user, visit=joint_visit)
    services.result_enter(
        actor=user,
        result=market_result,
        categories=_categories("no_problem"),
        finding="经查未发现问题",
        confirmations=team,
    )
    return services.result_submit(actor=user, result=market_result)


def test_inspector_of_another_department_cannot_touch_market_items(joint_visit, market_result):
    _, health_user = _member_and_user(joint_visit, "WJW")
    with pytest.raises(PermissionDenied):
        services.result_enter(
            actor=health_user, result=market_result, categories=_categories("no_problem")
        )


def test_submission_needs_a_category_and_two_confirmations(joint_visit, market_result):
    member, user = _member_and_user(joint_visit, "SCJGJ")
    services.result_enter(
        actor=user,
        result=market_result,
        categories=_categories("no_problem"),
        confirmations=[member.pk],
    )
    with pytest.raises(ValidationError, match="至少两名"):
        services.result_submit(actor=user, result=market_result)


def test_returned_result_cannot_be_approved_without_resubmission(
    submitted, reviewer_li, joint_visit
):
    services.result_review(
        actor=reviewer_li, result=submitted, decision="return", note="请补充照片"
    )
    with pytest.raises(ValidationError, match="只有待审核的结果可以审核"):
        services.result_review(actor=reviewer_li, result=submitted, decision="approve")
    _, user = _member_and_user(joint_visit, "SCJGJ")
    with pytest.raises(ValidationError, match="重新录入"):
        services.result_submit(actor=user, result=submitted)
    team = list(joint_visit.team.values_list("pk", flat=True))
    services.result_enter(
        actor=user,
        result=submitted,
        categories=_categories("no_problem"),
        finding="已补充",
        confirmations=team,
    )
    services.result_submit(actor=user, result=submitted)
    assert (
        services.result_review(actor=reviewer_li, result=submitted, decision="approve").status
        == ResultStatus.APPROVED
    )


def test_reviewer_cannot_be_one_of_the_visits_inspectors(submitted, joint_visit):
    _member, user = _member_and_user(joint_visit, "SCJGJ")
    user.role = "reviewer"
    user.save()
    with pytest.raises(ValidationError, match="审核人不能是本次检查的执法人员"):
        services.result_review(actor=user, result=submitted, decision="approve")


def test_return_needs_a_reason_and_other_departments_cannot_review(
    submitted, reviewer_li, health_dept
):
    with pytest.raises(ValidationError, match="须填写原因"):
        services.result_review(actor=reviewer_li, result=submitted, decision="return")
    health_reviewer = UserFactory(username="reviewer_zhou", role="reviewer", department=health_dept)
    with pytest.raises(PermissionDenied):
        services.result_review(actor=health_reviewer, result=submitted, decision="approve")


def test_protected_status_cannot_be_set_directly(market_result):
    with pytest.raises(AttributeError):
        market_result.status = ResultStatus.APPROVED


def test_amendment_keeps_the_approved_result_and_shows_as_history(
    submitted, reviewer_li, joint_visit
):
    services.result_review(actor=reviewer_li, result=submitted, decision="approve")
    _, user = _member_and_user(joint_visit, "SCJGJ")
    amendment = services.amendment_propose(
        actor=user,
        result=submitted,
        reason="录入错误",
        categories=_categories("corrected"),
        finding="已整改",
        measures="责令当场改正",
    )
    services.amendment_review(actor=reviewer_li, amendment=amendment, approve=True)
    submitted.refresh_from_db()
    assert [c.code for c in submitted.categories.all()] == ["no_problem"]  # unchanged in place
    assert [c.code for c in effective_categories(submitted)] == ["corrected"]


def test_problem_and_abnormal_results_open_follow_up_and_proposal(
    joint_visit, market_result, reviewer_li
):
    _, user = _member_and_user(joint_visit, "SCJGJ")
    team = list(joint_visit.team.values_list("pk", flat=True))
    services.result_enter(
        actor=user,
        result=market_result,
        categories=_categories("not_published", "follow_up"),
        finding="未公示2025年度报告",
        confirmations=team,
    )
    services.result_submit(actor=user, result=market_result)
    services.result_review(actor=reviewer_li, result=market_result, decision="approve")
    assert FollowUp.objects.get().entity == joint_visit.entity
    proposal = AbnormalListProposal.objects.get()
    assert proposal.category.code == "not_published"
    assert not MarketEntity.objects.get(pk=joint_visit.entity_id).abnormal_listed  # until decided


def test_visit_that_could_not_happen_is_recorded_on_every_item(joint_visit):
    _, user = _member_and_user(joint_visit, "SCJGJ")
    services.visit_not_possible(
        actor=user,
        visit=joint_visit,
        category=ResultCategory.objects.get(code="unreachable"),
        note="现场无人，电话无法接通",
    )
    results = ItemResult.objects.filter(visit=joint_visit)
    assert results.count() == 2
    assert all([c.code for c in r.categories.all()] == ["unreachable"] for r in results)
    assert FieldVisit.objects.get(visit=joint_visit).results_due is not None


def test_lead_closes_the_visit_only_when_every_department_is_approved(
    joint_visit, submitted, reviewer_li, liaison_zhao
):
    services.result_review(actor=reviewer_li, result=submitted, decision="approve")
    with pytest.raises(ValidationError, match="东城区卫生健康委员会"):
        services.visit_close(actor=liaison_zhao, visit=joint_visit)
