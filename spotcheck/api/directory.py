from ninja import Query, Router, Schema

from spotcheck.directory import selectors

from .pagination import CursorIn, keyset_page
from .schemas import ERRORS, EntityOut, cursor_page
from .types import Text

router = Router()


class EntityFilters(Schema):
    q: Text(200) = ""
    entity_type: Text(16) = ""
    status: Text(16) = ""
    credit_class: Text(1) = ""
    region_code: Text(12) = ""


@router.get("", response={200: cursor_page(EntityOut), **ERRORS})
def list_entities(request, filters: Query[EntityFilters], page: Query[CursorIn]):
    """Entities the caller's department supervises (all for the office)."""
    queryset = selectors.entity_list(user=request.user, filters=filters.dict())
    return keyset_page(queryset, page, lambda entity: entity)


@router.get("/{key}", response={200: EntityOut, **ERRORS})
def get_entity(request, key: Text(18)):
    return selectors.access_entity_by_key(request.user, key)
