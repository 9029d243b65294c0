from ninja import Query, Router, Schema
from ninja.pagination import paginate

from spotcheck.directory import selectors

from .pagination import BoundedPageNumberPagination
from .schemas import ERRORS, EntityOut
from .types import Text

router = Router()


class EntityFilters(Schema):
    q: Text(200) = ""
    entity_type: Text(16) = ""
    status: Text(16) = ""
    credit_class: Text(1) = ""
    region_code: Text(12) = ""


@router.get("", response={200: list[EntityOut], **ERRORS})
@paginate(BoundedPageNumberPagination, page_size=50)
def list_entities(request, filters: Query[EntityFilters]):
    """Entities the caller's department supervises (all for the office)."""
    return selectors.entity_list(user=request.user, filters=filters.dict())


@router.get("/{key}", response={200: EntityOut, **ERRORS})
def get_entity(request, key: Text(18)):
    return selectors.access_entity_by_key(request.user, key)
