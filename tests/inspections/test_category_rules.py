"""Result categories carry rules: some stand alone, some exclude each other, some need a finding
or a measure. Broken rules are refused with Chinese messages and nothing is saved."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from spotcheck.inspections import services
from spotcheck.inspections.categories import category_rules_errors
from spotcheck.inspections.models import ItemResult, ResultCategory, ResultStatus
from tests.draw_fixtures import team_member


def _categories(*codes):
    return list(ResultCategory.objects.filter(code__in=codes))


@pytest.fixture
def market_result(joint_visit):
    services.ensure_results(joint_visit)
    return ItemResult.objects.get(visit=joint_visit, department__code="SCJGJ")


@pytest.fixture
def market_inspector(joint_visit):
    return team_member(joint_visit, "SCJGJ").inspector.user


def test_no_problem_together_with_deregistered_is_refused(market_result, market_inspector):
    # When an inspector ticks both "未发现问题" and "注销"
    with pytest.raises(ValidationError) as caught:
        services.result_enter(
            actor=market_inspector,
            result=market_result,
            categories=_categories("no_problem", "deregistered"),
            finding="经查",
        )
    # Then the message names the contradiction and nothing was entered
    assert "“未发现问题”不能与“注销”同时选择" in caught.value.messages
    market_result.refresh_from_db()
    assert market_result.status == ResultStatus.NOT_ENTERED
    assert not market_result.categories.exists()


def test_corrected_and_pending_exclude_each_other(market_result, market_inspector):
    with pytest.raises(ValidationError) as caught:
        services.result_enter(
            actor=market_inspector,
            result=market_result,
            categories=_categories("corrected", "follow_up"),
            finding="后厨地面积水",
            measures="责令当场改正",
        )
    assert caught.value.messages == ["“发现问题已责令改正”、“发现问题待后续处理”只能选择其中一项"]


def test_a_problem_needs_a_finding_and_an_order_to_correct_needs_a_measure(
    market_result, market_inspector
):
    with pytest.raises(ValidationError) as caught:
        services.result_enter(
            actor=market_inspector, result=market_result, categories=_categories("corrected")
        )
    assert caught.value.messages == [
        "选择“发现问题已责令改正”时须填写检查情况",
        "选择“发现问题已责令改正”时须填写处理措施",
    ]


def test_problems_that_go_together_are_accepted(market_result, market_inspector):
    result = services.result_enter(
        actor=market_inspector,
        result=market_result,
        categories=_categories("corrected", "not_published"),
        finding="未按规定公示年度报告；后厨地面积水",
        measures="责令当场改正",
    )
    assert result.status == ResultStatus.ENTERED
    assert {c.code for c in result.categories.all()} == {"corrected", "not_published"}


def test_the_result_form_shows_the_contradiction_and_keeps_what_was_typed(
    client_for, joint_visit, market_result, market_inspector
):
    categories = _categories("no_problem", "deregistered")
    response = client_for(market_inspector).post(
        f"/inspections/results/{market_result.pk}/",
        {
            "categories": [c.pk for c in categories],
            "finding": "门店已关闭，经营者称已注销",
            "method": "on_site",
            "action": "save",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "“未发现问题”不能与“注销”同时选择" in page
    assert "门店已关闭，经营者称已注销" in page


@pytest.mark.django_db
@settings(max_examples=60, deadline=None)
@given(codes=st.sets(st.sampled_from([row for row in range(13)])), finding=st.booleans())
def test_property_no_accepted_set_contradicts_itself(codes, finding):
    standard = list(ResultCategory.objects.filter(department=None).order_by("order"))
    chosen = [standard[i] for i in codes]
    errors = category_rules_errors(chosen, finding="情况" if finding else "", measures="措施")
    if not errors:
        # an accepted set never mixes a stand-alone category with another one
        assert len(chosen) <= 1 or not any(c.stands_alone for c in chosen)
        # never holds two of one group, and every category that needs a finding has one
        groups = [c.exclusive_group for c in chosen if c.exclusive_group]
        assert len(groups) == len(set(groups))
        assert finding or not any(c.needs_finding for c in chosen)
    if chosen and not any(c.stands_alone for c in chosen):
        no_problem = next(c for c in standard if c.code == "no_problem")
        assert category_rules_errors([*chosen, no_problem], finding="情况", measures="措施"), (
            "未发现问题 with any other category must be refused"
        )
