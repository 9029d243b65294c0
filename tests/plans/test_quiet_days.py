"""Quiet days (企业安静日): a routine task may not be planned to start on one."""

import dataclasses
from datetime import date

from spotcheck.plans.validation import task_errors

from .conftest import draft_for


def messages(draft) -> list[str]:
    return [e.messages[0] for e in task_errors(draft)]


def test_task_starting_on_a_quiet_day_is_refused_in_chinese(settings, market_dept, key_item):
    settings.SPOTCHECK_CHECK_LIMITS = {
        **settings.SPOTCHECK_CHECK_LIMITS,
        "QUIET_DAYS_OF_MONTH": list(range(1, 16)),
    }
    draft = draft_for(market_dept, [key_item])  # starts on 1 December
    assert (
        "计划开始日期 2026-12-01 是企业安静日（每月1日至15日），日常检查不安排在安静日，"
        "请改到其他日期"
    ) in messages(draft)
    moved = dataclasses.replace(draft, planned_start=date(2026, 12, 16))
    assert not any("安静日" in m for m in messages(moved))


def test_no_quiet_days_configured_no_refusal(market_dept, key_item):
    assert not any("安静日" in m for m in messages(draft_for(market_dept, [key_item])))
