from ninja import Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from spotcheck.directory import selectors

from .auditing import audited_list
from .schemas import EntityOut, ErrorOut

router = Router()


class EntityFilters(Schema):
    q: str = ""
    entity_type: str = ""
    status: str = ""
    credit_class: str = ""
    region_code: str = ""


@router.get("", response=list[EntityOut])
@paginate(PageNumberPagination, page_size=50)
@audited_list("entities")
def list_entities(request, filters: Query[EntityFilters]):
    """Entities the caller's department supervises (all for the office)."""
    return selectors.entity_list(user=request.user, filters=filters.dict())


@router.get("/{key}", response={200: EntityOut, 404: ErrorOut})
def get_entity(request, key: str):
    return selectors.access_entity_by_key(request.user, key)
