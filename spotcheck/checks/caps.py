"""How many checks a firm has had this year, against the yearly caps (SPOTCHECK_CHECK_LIMITS):
drawn routine visits (a visit merged into another counts once, as that one), plus approved case and special checks except rectification re-checks,
which the rules exempt."""

from dataclasses import dataclass

from django.conf import settings

from spotcheck.draws.models import BatchStatus, Visit

from .models import CheckGround, CheckRequest, CheckRequestStatus


@dataclass(frozen=True)
class YearlyChecks:
    by_department: int
    total: int

    def over_cap(self) -> bool:
        limits = settings.SPOTCHECK_CHECK_LIMITS
        return (
            self.by_department >= limits["YEARLY_CAP_PER_DEPARTMENT"]
            or self.total >= limits["YEARLY_CAP_TOTAL"]
        )


def yearly_checks(*, entity, department, year: int) -> YearlyChecks:
    visits = Visit.objects.going_ahead().filter(
        entity=entity, batch__status=BatchStatus.DRAWN, planned_date__year=year
    )
    others = CheckRequest.objects.filter(
        entity=entity, status=CheckRequestStatus.APPROVED, planned_date__year=year
    ).exclude(ground=CheckGround.RECHECK)
    return YearlyChecks(
        by_department=visits.filter(tasks__department=department).distinct().count()
        + others.filter(department=department).count(),
        total=visits.count() + others.count(),
    )
