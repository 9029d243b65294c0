"""Quiet days (企业安静日): days of the month on which no routine on-site check is planned
(SPOTCHECK_CHECK_LIMITS["QUIET_DAYS_OF_MONTH"], e.g. the 1st to the 15th)."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .errors import TaskErrorCode


def quiet_days_of_month() -> list[int]:
    return list(settings.SPOTCHECK_CHECK_LIMITS["QUIET_DAYS_OF_MONTH"])


def is_quiet_day(day: date) -> bool:
    return day.day in quiet_days_of_month()


def _days_text() -> str:
    days = sorted(quiet_days_of_month())
    if days == list(range(days[0], days[-1] + 1)) and len(days) > 2:
        return _("%(first)s日至%(last)s日") % {"first": days[0], "last": days[-1]}
    return "、".join(f"{d}日" for d in days)


def quiet_day_errors(start: date, end: date) -> list[ValidationError]:
    """A task's drawn visits are planned on its start date (the batch's planned date): it may not
    fall on a quiet day."""
    if not quiet_days_of_month() or end < start:
        return []
    if is_quiet_day(start):
        return [
            ValidationError(
                _(
                    "计划开始日期 %(day)s 是企业安静日（每月%(days)s），日常检查不安排在安静日，"
                    "请改到其他日期"
                )
                % {"day": start.isoformat(), "days": _days_text()},
                code=TaskErrorCode.QUIET_DAY,
            )
        ]
    return []
