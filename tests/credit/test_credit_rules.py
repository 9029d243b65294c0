"""The class rules, one hand-built history per rule: what the record says, the class and the
reason that follow. Defaults of SPOTCHECK_CREDIT_RULES (version 2026.1)."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spotcheck.credit.rules import EntityFacts, classify, months_before

TODAY = date(2026, 12, 1)
OLD = date(2015, 6, 1)  # long established, ordinary trade: nothing against it


def facts(**changes) -> EntityFacts:
    return EntityFacts(**{"industry_code": "5212", "established_on": OLD, **changes})


def test_clean_record_of_an_established_firm_is_class_a():
    result = classify(facts(), TODAY)
    assert (result.credit_class, result.score) == ("A", 0)
    assert result.reason() == "无风险记录；合计0分，A类"


@pytest.mark.parametrize(
    ("changes", "expected_class", "expected_reason"),
    [
        ({"problem_visits": 1}, "C", "检查发现问题（次） 1（+3分）"),
        ({"problem_visits": 2}, "D", "检查发现问题（次） 2（+6分）"),
        ({"unreachable_visits": 1}, "B", "检查时无法联系或未开展经营（次） 1（+2分）"),
        ({"abnormal_listed": True}, "C", "列入经营异常名录 1（+4分）"),
        ({"open_follow_ups": 1}, "B", "未办结的后续处置（件） 1（+1分）"),
        ({"open_cases": 1}, "D", "未办结的立案查处（件） 1（+6分）"),
        ({"confirmed_leads": 1}, "B", "已核实线索（条） 1（+2分）"),
        ({"established_on": date(2025, 6, 1)}, "B", "成立不满期限 1（+1分）"),
        ({"established_on": None}, "B", "成立日期不详 1（+1分）"),
        ({"industry_code": "1431"}, "B", "高风险行业 1（+1分）"),  # 14 食品制造业
        ({"industry_code": "6210"}, "B", "高风险行业 1（+1分）"),  # 62 餐饮业
    ],
)
def test_each_rule_adds_its_points_and_names_itself_in_the_reason(
    changes, expected_class, expected_reason
):
    result = classify(facts(**changes), TODAY)
    assert result.credit_class == expected_class
    assert result.reason().startswith(expected_reason)


def test_points_add_up_across_rules():
    # a young restaurant with an open follow-up and a lead acted on: 1 + 1 + 1 + 2 = 5 → C
    result = classify(
        facts(
            established_on=date(2026, 1, 1),
            industry_code="6210",
            open_follow_ups=1,
            confirmed_leads=1,
        ),
        TODAY,
    )
    assert (result.credit_class, result.score) == ("C", 5)


def test_thresholds_and_points_come_from_the_settings(settings):
    settings.SPOTCHECK_CREDIT_RULES = {
        **settings.SPOTCHECK_CREDIT_RULES,
        "CLASS_MIN_SCORE": {"B": 1, "C": 2, "D": 3},
    }
    assert classify(facts(unreachable_visits=1), TODAY).credit_class == "C"


def test_a_firm_turns_old_enough_on_its_second_anniversary():
    assert classify(facts(established_on=date(2024, 12, 2)), TODAY).credit_class == "B"
    assert classify(facts(established_on=date(2024, 12, 1)), TODAY).credit_class == "A"


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)), st.integers(0, 600))
def test_months_before_lands_in_the_right_month(day, months):
    earlier = months_before(day, months)
    assert (day.year * 12 + day.month) - (earlier.year * 12 + earlier.month) == months
    assert earlier.day <= day.day


@given(st.integers(0, 5), st.integers(0, 5), st.booleans(), st.integers(0, 5), st.integers(0, 3))
def test_more_on_record_never_lowers_the_class(problems, unreachable, abnormal, follow_ups, cases):
    base = facts(
        problem_visits=problems,
        unreachable_visits=unreachable,
        abnormal_listed=abnormal,
        open_follow_ups=follow_ups,
        open_cases=cases,
    )
    worse = facts(
        problem_visits=problems + 1,
        unreachable_visits=unreachable,
        abnormal_listed=abnormal,
        open_follow_ups=follow_ups,
        open_cases=cases,
    )
    assert classify(worse, TODAY).credit_class >= classify(base, TODAY).credit_class
