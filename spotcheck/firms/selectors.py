"""Reads for the firm's side: what a code opens, and ratings as each role may see them."""

from dataclasses import dataclass

from django.db.models import Avg, Count, Exists, OuterRef, Q

from spotcheck.draws.models import BatchStatus, Visit
from spotcheck.draws.publication import format_access_code, normalize_access_code
from spotcheck.inspections.models import FieldVisit
from spotcheck.publication.models import PublicRecord

from .models import (
    CodeScan,
    CreditRepairRequest,
    CreditRepairStatus,
    FirmAccount,
    RecusalRequest,
    RecusalRequestStatus,
    VisitRating,
)

# Below this many ratings a department sees no average: with three ratings an inspector could
# guess who gave which.
MIN_RATINGS_FOR_AVERAGE = 5


class VisitState:
    PLANNED = "planned"
    FINISHED = "finished"
    NOT_POSSIBLE = "not_possible"
    CANCELLED = "cancelled"
    MERGED = "merged"  # merged into another department's visit: that one goes ahead


def visit_for_code(raw: str) -> Visit | None:
    """The visit behind a typed or scanned code; None for malformed and unknown alike."""
    code = normalize_access_code(raw)
    if code is None:
        return None
    return (
        Visit.objects.select_related("batch", "entity", "field", "merged_into__batch")
        .filter(access_code=code)
        .exclude(batch__status=BatchStatus.DRAFT)
        .first()
    )


def visit_state(visit: Visit) -> str:
    if visit.batch.status == BatchStatus.SUPERSEDED:
        return VisitState.CANCELLED
    if visit.merged_into_id is not None:
        return VisitState.MERGED
    field = getattr(visit, "field", None)
    if field is None or field.outcome == FieldVisit.Outcome.PENDING:
        return VisitState.PLANNED
    if field.outcome == FieldVisit.Outcome.CHECKED:
        return VisitState.FINISHED
    return VisitState.NOT_POSSIBLE


def visit_not_started(visit: Visit) -> bool:
    field = getattr(visit, "field", None)
    return visit_state(visit) == VisitState.PLANNED and (field is None or field.arrived_at is None)


def public_team(visit: Visit) -> list[dict]:
    """Serving inspectors: name, department, certificate number and validity, nothing else."""
    members = visit.team.serving().select_related("inspector", "department")
    return [
        {
            "pk": m.pk,
            "name": m.inspector.name,
            "department": m.department.name,
            "certificate_number": m.inspector.certificate_number,
            "certificate_expiry": m.inspector.certificate_expiry,
            "certificate_valid": m.inspector.certificate_expiry >= visit.planned_date,
        }
        for m in sorted(members, key=lambda m: (m.department.code, m.rank))
    ]


def visit_has_rating(visit: Visit) -> bool:
    return VisitRating.objects.filter(visit=visit).exists()


@dataclass(frozen=True)
class RatingSummary:
    count: int
    average: float | None  # None below MIN_RATINGS_FOR_AVERAGE


def department_rating_summary(department) -> RatingSummary:
    """Ratings of the visits the department's inspectors served on, as one aggregate."""
    ratings = VisitRating.objects.filter(visit__team__department=department).distinct()
    row = VisitRating.objects.filter(pk__in=ratings.values("pk")).aggregate(
        n=Count("pk"), avg=Avg("stars")
    )
    average = row["avg"] if row["n"] >= MIN_RATINGS_FOR_AVERAGE else None
    return RatingSummary(row["n"], round(average, 2) if average is not None else None)


def all_ratings():
    """Every rating with its visit: for the office only (the view checks the role)."""
    return VisitRating.objects.select_related("visit__batch", "visit__entity")


def pending_recusal_requests(user):
    """Requests about the user's department's inspectors (all of them for the office)."""
    requests = RecusalRequest.objects.filter(status=RecusalRequestStatus.PENDING).select_related(
        "member__inspector", "member__visit__entity", "member__visit__batch", "member__department"
    )
    if user.is_office:
        return requests
    return requests.filter(member__department_id=user.department_id)


def unscanned_checked_visits(user):
    """Warning: visits checked on site whose code was never opened before completion."""
    scanned_before = CodeScan.objects.filter(
        visit=OuterRef("visit"), scanned_at__lte=OuterRef("completed_at")
    )
    fields = (
        FieldVisit.objects.filter(outcome=FieldVisit.Outcome.CHECKED)
        .annotate(scanned=Exists(scanned_before))
        .filter(scanned=False)
        .select_related("visit__batch", "visit__entity")
        .order_by("-completed_at")
    )
    if user.is_office:
        return fields
    return fields.filter(
        Q(visit__team__department_id=user.department_id)
        | Q(visit__batch__department_id=user.department_id)
    ).distinct()


def firm_visits(entity_id: int):
    """The entity's checks the firm was told of, newest first: its notice was issued (first
    printed with the PIN, by a letter or an archive) or the team has begun. A drawn visit whose
    letter is still unsent stays unknown: the firm sees no code, team or date before its notice."""
    begun = Q(field__arrived_at__isnull=False) | (
        Q(field__isnull=False) & ~Q(field__outcome=FieldVisit.Outcome.PENDING)
    )
    return (
        Visit.objects.filter(entity_id=entity_id)
        .exclude(batch__status=BatchStatus.DRAFT)
        .filter(Q(pin__isnull=False) | begun)
        .select_related("batch", "field", "merged_into__batch")
        .order_by("-planned_date")
    )


def negative_records(entity_id: int):
    """Published records of the entity with a problem found (what credit repair is about)."""
    return PublicRecord.objects.filter(
        Q(categories__problem_found=True) | Q(categories__proposes_abnormal_listing=True),
        entity_id=entity_id,
        repaired_at__isnull=True,  # a repaired record is no longer a current negative record
    ).distinct()


def firm_records(entity_id: int) -> list[dict]:
    """The entity's published records, each with whether it is negative and its repair status
    (a repaired one, withdrawn from public display, stays listed for the firm itself)."""
    negative = set(negative_records(entity_id).values_list("pk", flat=True))
    repairs = {
        r.record_id: r
        for r in CreditRepairRequest.objects.filter(record__entity_id=entity_id).order_by(
            "created_at"
        )
    }
    return [
        {"record": record, "negative": record.pk in negative, "repair": repairs.get(record.pk)}
        for record in PublicRecord.objects.filter(entity_id=entity_id).order_by("-published_on")
    ]


def firm_account_of(user) -> FirmAccount | None:
    if not (user.is_authenticated and user.is_firm):
        return None
    return FirmAccount.objects.select_related("entity").filter(user=user).first()


def firm_account_visits(entity_id: int) -> list[dict]:
    """The entity's checks with, for each, the firm's own rating and recusal requests, and the
    team it may still ask to step aside (before the check)."""
    visits = list(firm_visits(entity_id))
    ratings = {r.visit_id: r for r in VisitRating.objects.filter(visit__in=visits)}
    recusals: dict[int, list] = {}
    for request in RecusalRequest.objects.filter(member__visit__in=visits).select_related(
        "member__inspector", "member"
    ):
        recusals.setdefault(request.member.visit_id, []).append(request)
    return [
        {
            "visit": v,
            "state": visit_state(v),
            "code": format_access_code(v.access_code),
            "rating": ratings.get(v.pk),
            "recusals": recusals.get(v.pk, []),
            # what the signed-in firm may still do, as with the PIN on the public page
            "may_rate": visit_state(v) == VisitState.FINISHED and v.pk not in ratings,
            "team": public_team(v) if visit_not_started(v) else [],
        }
        for v in visits
    ]


def pending_credit_repairs(user):
    """Requests about the department's own records (every one for the office)."""
    requests = CreditRepairRequest.objects.filter(status=CreditRepairStatus.PENDING).select_related(
        "record"
    )
    if user.is_office:
        return requests
    return requests.filter(record__department_id=user.department_id)
