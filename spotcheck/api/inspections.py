"""Visits, results, reviews and follow-ups. Scoped like the pages: another department's visit,
result or follow-up is simply missing (404); its results never appear in a visit."""

from datetime import date, datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from spotcheck.accounts.models import Department
from spotcheck.draws.selectors import access_visit
from spotcheck.inspections import followups, selectors, services
from spotcheck.inspections.errors import ResultErrorCode
from spotcheck.inspections.followups import FollowUpErrorCode
from spotcheck.inspections.models import ItemResult
from spotcheck.items.models import CheckMethod

from .auditing import audited_list
from .schemas import ErrorOut, TeamMemberOut
from .shaped import Shaped

router = Router()
ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}

# ---------------------------------------------------------------- schemas


class ResultOut(Schema):
    id: int
    visit: int
    task_number: str
    item_code: str
    item_name: str
    department: str
    status: str
    categories: list[str]
    effective_categories: list[str]  # after approved amendments
    finding: str
    legal_basis: str
    measures: str
    method: str
    confirmed_by: list[int]  # team member ids (VisitInspector)
    review_note: str
    entered_at: datetime | None
    submitted_at: datetime | None
    reviewed_at: datetime | None


class InspectionVisitOut(Schema):
    id: int
    visit_id: str
    batch_number: str
    entity_key: str
    entity_name: str
    planned_date: date
    departments: list[str]
    outcome: str
    arrived_at: datetime | None
    completed_at: datetime | None
    results_due: date | None  # 10 days after the visit


class VisitTeamMemberOut(TeamMemberOut):
    id: int  # what a result's confirmed_by lists


class InspectionVisitDetailOut(InspectionVisitOut):
    team: list[VisitTeamMemberOut]
    results: list[ResultOut]  # only the caller's department's (all for the office)


class ResultIn(Schema):
    categories: list[str]  # result category codes, e.g. ["no_problem"]
    finding: str = ""
    legal_basis: str = ""
    measures: str = ""
    method: CheckMethod = CheckMethod.ON_SITE
    confirmations: list[int] = []  # team member ids confirming the result (at least two)


class ReviewIn(Schema):
    decision: Literal["approve", "return", "reject"]
    note: str = ""  # required to return or reject


class FollowUpOut(Schema):
    id: int
    result: int
    entity_key: str
    entity_name: str
    department: str
    kind: str
    deadline: date | None
    transferred_to: str | None
    description: str
    opened_at: datetime
    closed_at: datetime | None
    closing_result: str
    documents: list[str]


class FollowUpKindIn(Schema):
    kind: Literal[
        "rectification", "follow_up_check", "case", "transfer_department", "transfer_judiciary"
    ]
    deadline: date | None = None  # required for rectification (责令整改)
    transferred_to: str | None = None  # department code, for transfer_department
    description: str = ""


class FollowUpCloseIn(Schema):
    closing_result: str


# ---------------------------------------------------------------- output


def _result_out(result) -> dict:
    return {
        "id": result.pk,
        "visit": result.visit_id,
        "task_number": result.task.number,
        "item_code": result.item.item.code,
        "item_name": result.item.name,
        "department": result.department.code,
        "status": result.status,
        "categories": sorted(c.code for c in result.categories.all()),
        "effective_categories": sorted(c.code for c in services.effective_categories(result)),
        "finding": result.finding,
        "legal_basis": result.legal_basis,
        "measures": result.measures,
        "method": result.method,
        "confirmed_by": sorted(m.pk for m in result.confirmed_by.all()),
        "review_note": result.review_note,
        "entered_at": result.entered_at,
        "submitted_at": result.submitted_at,
        "reviewed_at": result.reviewed_at,
    }


def _visit_out(visit) -> dict:
    field = getattr(visit, "field", None)
    return {
        "id": visit.pk,
        "visit_id": visit.visit_id,
        "batch_number": visit.batch.number,
        "entity_key": visit.entity.key,
        "entity_name": visit.entity.name,
        "planned_date": visit.planned_date,
        "departments": sorted({t.department.code for t in visit.tasks.all()}),
        "outcome": field.outcome if field else "pending",
        "arrived_at": field.arrived_at if field else None,
        "completed_at": field.completed_at if field else None,
        "results_due": field.results_due if field else None,
    }


def _visit_detail_out(user, visit) -> dict:
    results = (
        selectors.result_list(user=user)
        .filter(visit=visit)
        .select_related("task", "item__item", "department")
        .prefetch_related("categories", "confirmed_by")
        .order_by("department__code", "pk")
    )
    team = visit.team.select_related("inspector", "department").order_by(
        "department__code", "rank", "pk"
    )
    return {
        **_visit_out(visit),
        "team": [
            {
                "id": m.pk,
                "inspector_id": m.inspector_id,
                "name": m.inspector.name,
                "department": m.department.code,
                "serving": m.recused_at is None,
            }
            for m in team
        ],
        "results": [_result_out(r) for r in results],
    }


def _follow_up_out(follow_up) -> dict:
    return {
        "id": follow_up.pk,
        "result": follow_up.result_id,
        "entity_key": follow_up.entity.key,
        "entity_name": follow_up.entity.name,
        "department": follow_up.department.code,
        "kind": follow_up.kind,
        "deadline": follow_up.deadline,
        "transferred_to": follow_up.transferred_to.code if follow_up.transferred_to else None,
        "description": follow_up.description,
        "opened_at": follow_up.opened_at,
        "closed_at": follow_up.closed_at,
        "closing_result": follow_up.closing_result,
        "documents": [d.title for d in follow_up.documents.all()],
    }


def _fresh_result(result):
    return (
        ItemResult.objects.select_related("task", "item__item", "department")
        .prefetch_related("categories", "confirmed_by")
        .get(pk=result.pk)
    )


# ---------------------------------------------------------------- visits and results


@router.get("/visits", response=list[InspectionVisitOut])
@paginate(PageNumberPagination, page_size=100)
@audited_list("inspection_visits")
def list_visits(request):
    """An inspector's own visits; a department's visits (organised or with its tasks)."""
    visits = (
        selectors.inspection_visit_list(user=request.user)
        .select_related("entity", "batch", "field")
        .prefetch_related("tasks__department")
        .order_by("planned_date", "batch__number", "visit_id")
    )
    return Shaped(visits, _visit_out)


@router.get("/visits/{visit_pk}", response={200: InspectionVisitDetailOut, 404: ErrorOut})
def get_visit(request, visit_pk: int):
    """The visit, its team and the caller's department's results (all for the office)."""
    visit = access_visit(request.user, visit_pk)
    return _visit_detail_out(request.user, visit)


@router.post("/visits/{visit_pk}/arrive", response={200: InspectionVisitDetailOut, **ERRORS})
def arrive(request, visit_pk: int):
    """The team is on site; the visit's result rows exist from here on."""
    visit = access_visit(request.user, visit_pk)
    services.visit_arrive(actor=request.user, visit=visit)
    return _visit_detail_out(request.user, access_visit(request.user, visit_pk))


@router.post("/visits/{visit_pk}/complete", response={200: InspectionVisitDetailOut, **ERRORS})
def complete(request, visit_pk: int):
    """On-site work done: results are due within 10 days."""
    visit = access_visit(request.user, visit_pk)
    services.visit_complete(actor=request.user, visit=visit)
    return _visit_detail_out(request.user, access_visit(request.user, visit_pk))


@router.post("/results/{result_pk}", response={200: ResultOut, **ERRORS})
def enter_result(request, result_pk: int, payload: ResultIn):
    """Enter or correct a result before submission (not after approval: that is an amendment)."""
    result = selectors.access_result(request.user, result_pk)
    categories = list(
        selectors.result_categories(result.department_id).filter(code__in=payload.categories)
    )
    if len(categories) != len(set(payload.categories)):
        raise ValidationError(
            _("检查结果类别不存在或不适用于本部门"), code=ResultErrorCode.CATEGORY_NOT_ALLOWED
        )
    result = services.result_enter(
        actor=request.user,
        result=result,
        categories=categories,
        finding=payload.finding,
        legal_basis=payload.legal_basis,
        measures=payload.measures,
        method=payload.method,
        confirmations=payload.confirmations,
    )
    return _result_out(_fresh_result(result))


@router.post("/results/{result_pk}/submit", response={200: ResultOut, **ERRORS})
def submit_result(request, result_pk: int):
    result = selectors.access_result(request.user, result_pk)
    return _result_out(_fresh_result(services.result_submit(actor=request.user, result=result)))


@router.post("/results/{result_pk}/review", response={200: ResultOut, **ERRORS})
def review_result(request, result_pk: int, payload: ReviewIn):
    """approve, return or reject (the last two with a note); never by one of the visit's
    inspectors. Approving a problem opens a follow-up."""
    result = selectors.access_result(request.user, result_pk)
    result = services.result_review(
        actor=request.user, result=result, decision=payload.decision, note=payload.note
    )
    return _result_out(_fresh_result(result))


# ---------------------------------------------------------------- follow-ups


@router.get("/follow-ups", response=list[FollowUpOut])
@paginate(PageNumberPagination, page_size=100)
@audited_list("follow_ups")
def list_follow_ups(request, state: Literal["open", "closed", "all"] = "open"):
    """The department's follow-ups and those transferred to it."""
    follow_ups = selectors.follow_up_list(
        user=request.user, state=None if state == "all" else state
    ).prefetch_related("documents")
    return Shaped(follow_ups, _follow_up_out)


@router.get("/follow-ups/{follow_up_pk}", response={200: FollowUpOut, 404: ErrorOut})
def get_follow_up(request, follow_up_pk: int):
    return _follow_up_out(selectors.access_follow_up(request.user, follow_up_pk))


@router.post("/follow-ups/{follow_up_pk}/kind", response={200: FollowUpOut, **ERRORS})
def set_follow_up_kind(request, follow_up_pk: int, payload: FollowUpKindIn):
    follow_up = selectors.access_follow_up(request.user, follow_up_pk)
    receiving = None
    if payload.transferred_to:
        receiving = Department.objects.filter(code=payload.transferred_to).first()
        if receiving is None:
            raise ValidationError(
                _("接收部门不存在"), code=FollowUpErrorCode.TRANSFER_DEPARTMENT_REQUIRED
            )
    follow_up = followups.follow_up_set_kind(
        actor=request.user,
        follow_up=follow_up,
        kind=payload.kind,
        deadline=payload.deadline,
        transferred_to=receiving,
        description=payload.description,
    )
    return _follow_up_out(follow_up)


@router.post("/follow-ups/{follow_up_pk}/close", response={200: FollowUpOut, **ERRORS})
def close_follow_up(request, follow_up_pk: int, payload: FollowUpCloseIn):
    """Closed only with its result; it stays open until then."""
    follow_up = selectors.access_follow_up(request.user, follow_up_pk)
    follow_up = followups.follow_up_close(
        actor=request.user, follow_up=follow_up, closing_result=payload.closing_result
    )
    return _follow_up_out(follow_up)
