"""The public data as JSON (/api/public/…): anonymous, read-only, paginated, rate-limited per
client address. Only what the portal shows: published results, published plans, item lists,
draws in their public tier (draw-spec §7: no stratum, no conflict)."""

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.throttling import AnonRateThrottle

from spotcheck.draws.publication import public_record, public_selection, with_names
from spotcheck.draws.selectors import public_batches
from spotcheck.items.models import CheckItem
from spotcheck.plans.selectors import published_plans
from spotcheck.publication.public import RecordFilters, public_record_search

from .schemas import ERRORS as STAFF_ERRORS
from .schemas import ErrorOut
from .types import Text

router = Router(auth=None, throttle=[AnonRateThrottle(settings.SPOTCHECK_PUBLIC_API_RATE)])
# Anonymous callers are throttled per address: 429 is part of every public answer.
ERRORS = {**STAFF_ERRORS, 429: ErrorOut}


class PublicPage(PageNumberPagination):
    class Input(Schema):
        # bounded: a page past any list is an empty page, never an offset the database refuses
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int | None = Field(None, ge=1, le=200)

    def __init__(self, **kwargs):
        super().__init__(page_size=50, max_page_size=200, **kwargs)


class ResultItemOut(Schema):
    item: str
    results: list[str]


class PublicRecordOut(Schema):
    record_id: str  # stable: a republication after an amendment keeps it
    plan_number: str
    plan_name: str
    task_number: str
    task_name: str
    directed: bool
    department: str = Field(alias="department_name")
    entity_name: str
    uscc: str
    completed_on: date
    published_on: date
    on_time: bool
    corrected_at: datetime | None
    items: list[ResultItemOut]


class RecordQuery(Schema):
    q: str = Field("", max_length=100)
    department: str = Field("", max_length=32)
    date_from: date | None = None
    date_to: date | None = None
    category: str = Field("", max_length=32)


@router.get("results", response={200: list[PublicRecordOut], **ERRORS})
@paginate(PublicPage)
def list_results(request, filters: Query[RecordQuery]):
    """Published inspection results: by name fragment or USCC, department code, publication
    dates and result category code; newest first."""
    return public_record_search(RecordFilters(**filters.dict()))


class PublicPlanOut(Schema):
    number: str
    name: str
    year: int
    department: str = Field(alias="department.name")


@router.get("plans", response={200: list[PublicPlanOut], **ERRORS})
@paginate(PublicPage)
def list_plans(request):
    """Published annual spot-check plans."""
    return published_plans().order_by("-year", "number")


class PublicItemOut(Schema):
    department: str = Field(alias="department.name")
    code: str
    category: str = Field(alias="current_version.category")
    name: str = Field(alias="current_version.name")
    inspection_object: str = Field(alias="current_version.inspection_object")
    legal_basis: str = Field(alias="current_version.legal_basis")
    inspecting_body: str = Field(alias="current_version.inspecting_body")
    kind: str = Field(alias="current_version.kind")
    frequency: str = Field(alias="current_version.frequency")


@router.get("items", response={200: list[PublicItemOut], **ERRORS})
@paginate(PublicPage)
def list_items(request, department: str = ""):
    """The check-item lists (随机抽查事项清单) currently published; filter by department code."""
    items = CheckItem.objects.current().filter(department__is_active=True)
    if department:
        items = items.filter(department__code=department)
    return items.order_by("department__code", "code")


class PublicDrawOut(Schema):
    number: str
    name: str
    department: str = Field(alias="department.name")
    status: str
    committed_at: datetime | None
    population_root: str
    design_hash: str
    seed: str


@router.get("draws", response={200: list[PublicDrawOut], **ERRORS})
@paginate(PublicPage)
def list_draws(request):
    """Committed draws, newest first: their commitments and, once drawn, the seed."""
    return public_batches().order_by("-committed_at", "-pk")


class PublicDrawRecordOut(Schema):
    """Enough to recompute the seed and each selected ticket (see the draw's public kit)."""

    batch: str
    name: str
    algorithm: str
    status: str
    randomness_source: dict[str, Any]
    committed_at: str | None
    population_root: str
    design_hash: str
    population_lines: int
    randomness: dict[str, Any] | None
    seed: str | None
    tasks: list[dict[str, Any]]  # population and sample per task and neutral stratum label


@router.get("draws/{number}", response={200: PublicDrawRecordOut, **ERRORS})
def get_draw(request, number: Text(32)):
    return public_record(get_object_or_404(public_batches(), number=number))


class PublicSelectionOut(Schema):
    task: str
    uscc: str
    name: str
    ticket: str  # a decimal string: never a number, no digit may be lost


@router.get("draws/{number}/selection", response={200: list[PublicSelectionOut], **ERRORS})
@paginate(PublicPage)
def list_draw_selection(request, number: Text(32)):
    """The selected entities by task then ticket, without strata."""
    batch = get_object_or_404(public_batches(), number=number)
    return _NamedOnSlice(public_selection(batch))


class _NamedOnSlice:
    """The selection, with entity names looked up only for the page served."""

    def __init__(self, rows: list[dict]):
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, page: slice) -> list[dict]:
        return with_names(self.rows[page])
