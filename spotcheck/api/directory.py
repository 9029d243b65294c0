from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from spotcheck.directory import selectors, services
from spotcheck.directory.forms import EntityForm
from spotcheck.directory.models import CreditClass, EntityStatus, EntityType
from spotcheck.directory.ownership import require_shared_record_owner

from .auditing import audited_list
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
@audited_list("entities")
def list_entities(request, filters: Query[EntityFilters], page: Query[CursorIn]):
    """Entities the caller's department supervises (all for the office)."""
    queryset = selectors.entity_list(user=request.user, filters=filters.dict())
    return keyset_page(queryset, page, lambda entity: entity)


@router.get("/{key}", response={200: EntityOut, **ERRORS})
def get_entity(request, key: Text(18)):
    return selectors.access_entity_by_key(request.user, key)


class EntityPatchIn(Schema):
    """Fields of the shared record to change; only its owners may (403 for other departments)."""

    name: str | None = Field(None, max_length=200)
    entity_type: EntityType | None = None
    industry_code: str | None = Field(None, max_length=5)
    region_code: str | None = Field(None, max_length=12)
    address: str | None = Field(None, max_length=300)
    status: EntityStatus | None = None
    credit_class: CreditClass | None = None
    abnormal_listed: bool | None = None
    tags: list[str] | None = None
    reason: str = Field("", max_length=500)  # required when the class or the flag changes


class DepartmentRecordIn(Schema):
    tags: list[str] = []
    notes: str = Field("", max_length=2000)


class DepartmentRecordOut(Schema):
    department: str = Field(alias="department.code")
    tags: list[str]
    notes: str


def _refused(request, refusal: PermissionDenied):
    message = str(refusal) or _("无权执行此操作")
    code = getattr(refusal, "code", "forbidden")
    return Status(403, {"code": str(code), "messages": [message]})


@router.patch("/{key}", response={200: EntityOut, **ERRORS})
def update_entity(request, key: str, patch: EntityPatchIn):
    """Change the shared record through the same form rules and service as the page."""
    entity = selectors.access_entity_by_key(request.user, key)
    if not request.user.has_perm("directory.manage"):
        return _refused(request, PermissionDenied())
    try:
        require_shared_record_owner(request.user)
    except PermissionDenied as refusal:
        return _refused(request, refusal)
    changes = patch.dict(exclude_unset=True, exclude={"reason"})
    data = {name: getattr(entity, name) for name in EntityForm.Meta.fields}
    data = data | {name: value for name, value in changes.items() if value is not None}
    data["tags"] = "，".join(data["tags"])
    data["reason"] = patch.reason
    data.pop("departments")
    form = EntityForm(data, instance=entity, user=request.user)
    if not form.is_valid():
        messages = [str(m) for errors in form.errors.values() for m in errors]
        return Status(422, {"code": "invalid", "messages": messages})
    try:
        return services.entity_update(
            actor=request.user,
            entity=entity,
            values=form.directory_values(),
            reason=patch.reason,
        )
    except PermissionDenied as refusal:
        return _refused(request, refusal)


@router.put(
    "/{key}/department-record",
    response={200: DepartmentRecordOut, **ERRORS},
)
def save_department_record(request, key: str, record: DepartmentRecordIn):
    """The caller's department's own tags and notes about an entity it supervises."""
    entity = selectors.access_entity_by_key(request.user, key)
    if request.user.department is None or not request.user.has_perm("directory.manage"):
        return _refused(request, PermissionDenied())
    try:
        return services.entity_department_record_save(
            actor=request.user,
            entity=entity,
            department=request.user.department,
            tags=sorted({tag.strip() for tag in record.tags if tag.strip()}),
            notes=record.notes,
        )
    except PermissionDenied as refusal:
        return _refused(request, refusal)
