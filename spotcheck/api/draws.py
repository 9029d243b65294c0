from ninja import Router, Status
from ninja.pagination import PageNumberPagination, paginate

from spotcheck.draws import selectors, services
from spotcheck.plans.models import SpotCheckTask
from spotcheck.plans.selectors import access_joint_check, task_list

from .auditing import audited_list
from .schemas import BatchIn, BatchOut, DrawIn, ErrorOut, VisitOut
from .shaped import Shaped

router = Router()
ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _batch_out(batch) -> dict:
    record = batch.record or {}
    return {
        "id": batch.pk,
        "number": batch.number,
        "name": batch.name,
        "status": batch.status,
        "population_root": batch.population_root,
        "design_hash": batch.design_hash,
        "randomness_source": batch.randomness_source,
        "randomness_due": batch.randomness_due,
        "randomness_value": batch.randomness_value,
        "seed": batch.seed,
        "visits": record.get("visits", 0),
        "selections": record.get("selections", 0),
        "visits_saved": batch.visits_saved,
        "counts": record.get("counts", []),
        "failure": batch.failure,
    }


@router.post("", response={201: BatchOut, **ERRORS})
def create_batch(request, payload: BatchIn):
    """A joint check (joint_check_id) or several ready tasks of the same period (task_ids)."""
    joint = (
        access_joint_check(request.user, payload.joint_check_id) if payload.joint_check_id else None
    )
    tasks: list[SpotCheckTask] = list(task_list(user=request.user).filter(pk__in=payload.task_ids))
    batch = services.batch_create(
        actor=request.user,
        name=payload.name,
        tasks=tasks,
        joint_check=joint,
        randomness_source=payload.randomness_source,
        randomness_due=payload.randomness_due,
    )
    return Status(201, _batch_out(batch))


@router.get("/{batch_id}", response={200: BatchOut, 404: ErrorOut})
def get_batch(request, batch_id: int):
    return _batch_out(selectors.access_batch(request.user, batch_id))


@router.post("/{batch_id}/commit", response={200: BatchOut, **ERRORS})
def commit_batch(request, batch_id: int):
    """Freeze and publish the commitments; no preview, no later change."""
    batch = selectors.access_batch(request.user, batch_id)
    return _batch_out(services.batch_commit(actor=request.user, batch=batch))


@router.post("/{batch_id}/draw", response={202: BatchOut, **ERRORS})
def draw_batch(request, batch_id: int, payload: DrawIn):
    """Enter the public randomness; the draw runs as a background job (poll GET /{id})."""
    batch = selectors.access_batch(request.user, batch_id)
    batch = services.batch_request_draw(
        actor=request.user, batch=batch, randomness=payload.randomness, witnesses=payload.witnesses
    )
    return Status(202, _batch_out(batch))


@router.get("/{batch_id}/visits", response=list[VisitOut])
@paginate(PageNumberPagination, page_size=100)
@audited_list("batch_visits")
def list_visits(request, batch_id: int):
    batch = selectors.access_batch(request.user, batch_id)
    visits = selectors.visit_list(user=request.user, batch=batch).prefetch_related(
        "tasks__department", "team__inspector", "team__department"
    )
    return Shaped(visits.order_by("visit_id"), _visit_out)


def _visit_out(visit) -> dict:
    tasks = list(visit.tasks.all())
    return {
        "id": visit.pk,
        "visit_id": visit.visit_id,
        "entity_key": visit.entity.key,
        "entity_name": visit.entity.name,
        "ticket": visit.ticket,
        "planned_date": visit.planned_date,
        "departments": sorted({t.department.code for t in tasks}),
        "task_numbers": sorted(t.number for t in tasks),
        "team": [
            {
                "inspector_id": m.inspector_id,
                "name": m.inspector.name,
                "department": m.department.code,
                "serving": m.recused_at is None,
            }
            for m in visit.team.all()
        ],
    }
