"""What publication works on: one task's results at one visit whose check is complete. Reads
only; callers scope by user."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils import timezone

from spotcheck.draws.models import Visit
from spotcheck.inspections.models import ItemResult, ResultStatus

from .models import DisclosureExemption, ExemptionStatus, PublicRecord
from .workdays import add_working_days


@dataclass
class PublicationUnit:
    visit: Visit
    task: object
    results: list[ItemResult]
    completed_on: date

    @property
    def ready(self) -> bool:
        """Every item of the task at this visit is approved."""
        return bool(self.results) and all(r.status == ResultStatus.APPROVED for r in self.results)

    @property
    def due_on(self) -> date:
        """Within N working days of completion (raises YearNotInCalendar, never guesses)."""
        return add_working_days(
            self.completed_on, settings.SPOTCHECK_RULES["PUBLICATION_WORKING_DAYS"]
        )


def completed_units(task, visit_ids=None) -> list[PublicationUnit]:
    """Every visit of the task (or of those given) whose field work is complete (checked or
    not possible)."""
    visits = (
        Visit.objects.filter(tasks=task, field__completed_at__isnull=False)
        .select_related("entity", "field", "batch")
        .order_by("batch__number", "visit_id")
    )
    if visit_ids is not None:
        visits = visits.filter(pk__in=visit_ids)
    results = defaultdict(list)
    for result in (
        ItemResult.objects.filter(task=task, visit__in=visits)
        .select_related("item")
        .order_by("item__name", "pk")
    ):
        results[result.visit_id].append(result)
    return [
        PublicationUnit(
            visit, task, results[visit.pk], timezone.localdate(visit.field.completed_at)
        )
        for visit in visits
    ]


def withheld_visit_ids(task) -> set[int]:
    """Visits whose result is, or is asked to be, kept off the public record."""
    return set(
        DisclosureExemption.objects.filter(
            task=task, status__in=(ExemptionStatus.PROPOSED, ExemptionStatus.APPROVED)
        ).values_list("visit_id", flat=True)
    )


def published_visit_ids(task) -> set[int]:
    return set(PublicRecord.objects.filter(task=task).values_list("visit_id", flat=True))


def open_units(task) -> list[PublicationUnit]:
    """Complete, not yet published and not withheld: what the deadline is counted on."""
    done = published_visit_ids(task) | withheld_visit_ids(task)
    return [unit for unit in completed_units(task) if unit.visit.pk not in done]
