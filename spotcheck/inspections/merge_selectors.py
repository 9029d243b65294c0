"""Reads of merge offers: each involved department's liaison and reviewer see their offers, the
office and oversight all; another department's offer is the same 404 as a missing one."""

from django.db.models import QuerySet

from spotcheck.accounts.models import Role
from spotcheck.accounts.scoping import get_scoped_or_404
from spotcheck.draws.models import Visit

from .models import MergeAnswer, MergeDecision, MergeOffer, MergeOfferStatus


def merge_offer_list(*, user, status: str | None = None) -> QuerySet[MergeOffer]:
    offers = MergeOffer.objects.select_related("entity", "kept_visit__batch")
    if status:
        offers = offers.filter(status=status)
    if not user.is_authenticated:
        return offers.none()
    if user.is_office or user.is_oversight:
        return offers
    if user.role not in (Role.DEPARTMENT_ADMIN, Role.REVIEWER):
        return offers.none()
    return offers.filter(answers__department=user.department_id)


def access_merge_offer(user, merge_pk: int) -> MergeOffer:
    return get_scoped_or_404(merge_offer_list(user=user), pk=merge_pk)


def offer_visits(offer: MergeOffer) -> QuerySet[Visit]:
    return offer.visits.select_related("batch__department").order_by("planned_date", "pk")


def offer_answers(offer: MergeOffer) -> QuerySet[MergeAnswer]:
    return offer.answers.select_related("department", "answered_by").order_by("department__code")


def awaiting_answer(*, user) -> QuerySet[MergeOffer]:
    """Open offers the user's department has not answered yet (the liaison's to-do)."""
    return merge_offer_list(user=user, status=MergeOfferStatus.OPEN).filter(
        answers__department=user.department_id, answers__decision=MergeDecision.PENDING
    )


def merge_savings(*, year: int | None = None, department=None) -> dict[str, int]:
    """Merges made and on-site visits they saved (one per visit merged away), for the office's
    figures and the stats dashboard's "visits saved by coordinated draws"."""
    merged = MergeOffer.objects.filter(status=MergeOfferStatus.MERGED)
    saved = Visit.objects.filter(merged_into__isnull=False)
    if year is not None:
        merged = merged.filter(closed_at__year=year)
        saved = saved.filter(merged_at__year=year)
    if department is not None:
        merged = merged.filter(answers__department=department)
        saved = saved.filter(merge_offers__status=MergeOfferStatus.MERGED).filter(
            merge_offers__answers__department=department
        )
    return {"merges": merged.distinct().count(), "visits_saved": saved.distinct().count()}
