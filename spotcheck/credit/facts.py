"""The facts the rules read, gathered for every entity at once: one grouped query per kind of
fact, so a recomputation costs a handful of queries whatever the size of the directory."""

from collections.abc import Iterator
from datetime import date

from django.db.models import Count

from spotcheck.directory.models import MarketEntity
from spotcheck.inspections.models import FollowUp, FollowUpKind, ItemResult, Lead, ResultStatus

from .rules import EntityFacts, months_before


def _per_entity(queryset, entity_field: str, counted: str) -> dict[int, int]:
    rows = queryset.values(entity_field).annotate(n=Count(counted, distinct=True))
    return {row[entity_field]: row["n"] for row in rows.order_by()}


def fact_counts(today: date, lookback_months: int) -> dict[str, dict[int, int]]:
    since = months_before(today, lookback_months)
    approved = ItemResult.objects.filter(status=ResultStatus.APPROVED, reviewed_at__date__gte=since)
    open_follow_ups = FollowUp.objects.filter(closed_at__isnull=True)
    return {
        "problem_visits": _per_entity(
            approved.filter(categories__problem_found=True), "visit__entity_id", "visit"
        ),
        "unreachable_visits": _per_entity(
            approved.filter(categories__visit_not_possible=True), "visit__entity_id", "visit"
        ),
        "open_follow_ups": _per_entity(
            open_follow_ups.exclude(kind=FollowUpKind.CASE), "entity_id", "pk"
        ),
        "open_cases": _per_entity(
            open_follow_ups.filter(kind=FollowUpKind.CASE), "entity_id", "pk"
        ),
        # A lead counts once a check was made of it (转检查): registered alone proves nothing.
        "confirmed_leads": _per_entity(
            Lead.objects.filter(task__isnull=False, received_at__date__gte=since), "entity_id", "pk"
        ),
    }


def entity_facts(today: date, lookback_months: int) -> Iterator[tuple[int, str, EntityFacts]]:
    """(entity pk, its current class, its facts) for every entity in the directory."""
    counts = fact_counts(today, lookback_months)
    rows = MarketEntity.objects.values_list(
        "pk", "credit_class", "industry_code", "established_on", "abnormal_listed"
    ).order_by("pk")
    for pk, current, industry, established, abnormal in rows.iterator(chunk_size=20_000):
        yield (
            pk,
            current,
            EntityFacts(
                industry_code=industry,
                established_on=established,
                abnormal_listed=abnormal,
                **{name: by_entity.get(pk, 0) for name, by_entity in counts.items()},
            ),
        )
