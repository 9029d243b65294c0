"""Finding visits to merge (set-based): drawn visits of one firm, from different departments,
nobody there yet and no result entered, planned within MERGE_WINDOW working days of each other.

Two queries read every candidate; only firms with two or more such visits are paired, and the
pairs become groups (a firm three departments drew in the same week is one offer)."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from spotcheck.draws.models import BatchStatus, Visit
from spotcheck.publication.workdays import YearNotInCalendar, working_days_between

from .models import FieldVisit, ItemResult, MergeOffer, MergeOfferStatus, ResultStatus

MERGE_WINDOW = 3  # working days between the planned dates (国办发〔2024〕54号: 同一时段)


@dataclass(frozen=True)
class Candidate:
    pk: int
    entity_id: int
    department_id: int  # the department organising the visit's batch
    planned_date: date


def not_started(visits: QuerySet[Visit]) -> QuerySet[Visit]:
    """Visits still to happen: drawn, not merged, nobody arrived, no outcome, no result entered."""
    started = FieldVisit.objects.filter(visit=OuterRef("pk")).filter(
        Q(arrived_at__isnull=False) | ~Q(outcome=FieldVisit.Outcome.PENDING)
    )
    entered = ItemResult.objects.filter(visit=OuterRef("pk")).exclude(
        status=ResultStatus.NOT_ENTERED
    )
    return (
        visits.going_ahead()
        .filter(batch__status=BatchStatus.DRAWN)
        .exclude(Exists(started))
        .exclude(Exists(entered))
    )


def _candidates(entity_ids) -> list[Candidate]:
    in_open_offer = MergeOffer.visits.through.objects.filter(
        visit=OuterRef("pk"), mergeoffer__status=MergeOfferStatus.OPEN
    )
    eligible = not_started(Visit.objects.all()).exclude(Exists(in_open_offer))
    if entity_ids is not None:
        eligible = eligible.filter(entity__in=entity_ids)
    twice = (
        eligible.values("entity")
        .annotate(n=Count("batch__department", distinct=True))
        .filter(n__gte=2)
        .values("entity")
    )
    rows = eligible.filter(entity__in=twice).values_list(
        "pk", "entity_id", "batch__department_id", "planned_date"
    )
    return [Candidate(*row) for row in rows.order_by("entity_id", "planned_date", "pk")]


def _offered_together(pks: list[int]) -> set[frozenset[int]]:
    """Pairs already put to the departments once (whatever the answer): not offered again."""
    by_offer: dict[int, set[int]] = defaultdict(set)
    through = MergeOffer.visits.through.objects.filter(
        mergeoffer__in=MergeOffer.visits.through.objects.filter(visit__in=pks).values("mergeoffer")
    )
    for offer, visit in through.values_list("mergeoffer_id", "visit_id"):
        by_offer[offer].add(visit)
    return {frozenset((a, b)) for group in by_offer.values() for a in group for b in group if a < b}


def _window() -> Callable[[Candidate, Candidate], bool]:
    """Whether two visits are planned within MERGE_WINDOW working days; a district's batches
    share a few dates, so each pair of dates is counted once."""
    known: dict[tuple[date, date], bool] = {}

    def close(a: Candidate, b: Candidate) -> bool:
        days = (min(a.planned_date, b.planned_date), max(a.planned_date, b.planned_date))
        if days not in known:
            try:
                known[days] = working_days_between(*days) <= MERGE_WINDOW
            except YearNotInCalendar:
                # no calendar, no count: the office enters the year, then detects again
                known[days] = False
        return known[days]

    return close


def _groups(
    visits: list[Candidate],
    offered: set[frozenset[int]],
    close: Callable[[Candidate, Candidate], bool],
) -> list[list[Candidate]]:
    """One firm's visits joined pair by pair (different departments, close dates, not offered
    together before); each connected set of two or more is a group."""
    parent = {v.pk: v.pk for v in visits}

    def root(pk: int) -> int:
        while parent[pk] != pk:
            pk = parent[pk]
        return pk

    for i, a in enumerate(visits):
        for b in visits[i + 1 :]:
            if (
                a.department_id != b.department_id
                and frozenset((a.pk, b.pk)) not in offered
                and close(a, b)
            ):
                parent[root(b.pk)] = root(a.pk)
    components: dict[int, list[Candidate]] = defaultdict(list)
    for v in visits:
        components[root(v.pk)].append(v)
    return [group for group in components.values() if len(group) > 1]


def merge_groups(*, entity_ids=None) -> list[list[Candidate]]:
    """Groups of visits to offer as one; `entity_ids` limits the search (e.g. to one batch's
    firms after its draw)."""
    candidates = _candidates(entity_ids)
    offered = _offered_together([c.pk for c in candidates])
    by_entity: dict[int, list[Candidate]] = defaultdict(list)
    for candidate in candidates:
        by_entity[candidate.entity_id].append(candidate)
    close = _window()
    return [group for visits in by_entity.values() for group in _groups(visits, offered, close)]
