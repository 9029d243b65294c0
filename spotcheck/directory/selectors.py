"""User-scoped reads of the directories. The office sees every department's rows."""

import re

from django.db.models import Exists, OuterRef, Q, QuerySet

from spotcheck.accounts.scoping import get_scoped_or_404, scope_to_department

from .models import DepartmentEntityRecord, Inspector, InspectorConflict, MarketEntity
from .uscc import ALPHABET


def _supervised(**link_lookup) -> Exists:
    """The entity has a supervision link matching `link_lookup`. An EXISTS, not a join: with
    nine departments per entity a join needs a DISTINCT, which at a province's million entities
    sorts the whole link table for every count."""
    links = MarketEntity.departments.through.objects.filter(marketentity=OuterRef("pk"))
    return Exists(links.filter(**link_lookup))


def entity_list(*, user, filters: dict | None = None) -> QuerySet[MarketEntity]:
    """Entities the user's department supervises (all for the office), filtered."""
    queryset = MarketEntity.objects.all()
    if not user.is_authenticated or (not user.is_office and user.department_id is None):
        return queryset.none()
    if not user.is_office:
        queryset = queryset.filter(_supervised(department_id=user.department_id))
    filters = filters or {}
    if query := (filters.get("q") or "").strip():
        queryset = queryset.filter(_search(query))
    for field in ("entity_type", "status", "credit_class", "region_code"):
        if value := filters.get(field):
            queryset = queryset.filter(**{field: value})
    # A code is a prefix, as in a task's population: 62 is every catering firm (621…, 6210).
    if industry := (filters.get("industry_code") or "").strip():
        queryset = queryset.filter(industry_code__startswith=industry)
    if filters.get("abnormal") in ("1", "true", True):
        queryset = queryset.filter(abnormal_listed=True)
    if filters.get("nameless") in ("1", "true", True):
        queryset = queryset.nameless()  # imported without a name (无字号): to be completed
    if department := filters.get("department"):
        queryset = queryset.filter(_supervised(department__code=department))
    return queryset.order_by("key")


# A whole USCC (18 characters of the code alphabet) is looked up as the key itself: one probe
# of the key's unique index. Searched as a name too it would also read a trigram posting list
# per pair of digits, which at a province costs more than the rest of the page.
_WHOLE_USCC = re.compile(f"[{ALPHABET}]{{18}}")


def _search(query: str) -> Q:
    """A name fragment (trigram index on PostgreSQL) or the start of a key (its btree)."""
    key = query.upper()
    if _WHOLE_USCC.fullmatch(key):
        return Q(key=key)
    return Q(name__contains=query) | Q(key__startswith=key)


def access_entity_by_key(user, key: str) -> MarketEntity:
    """One entity, or the same 404 whether it is missing or outside the user's scope."""
    return get_scoped_or_404(entity_list(user=user), key=key)


def department_record_list(*, user, entity: MarketEntity) -> QuerySet[DepartmentEntityRecord]:
    """Departments' own records about `entity`: the user's department's only (all for the
    office); another department's notes are internal to it."""
    records = DepartmentEntityRecord.objects.filter(entity=entity).select_related("department")
    return scope_to_department(records, user).order_by("department__code")


def department_record(*, entity: MarketEntity, department) -> DepartmentEntityRecord | None:
    return DepartmentEntityRecord.objects.filter(entity=entity, department=department).first()


def inspector_list(*, user, filters: dict | None = None) -> QuerySet[Inspector]:
    queryset = scope_to_department(Inspector.objects.select_related("department"), user)
    filters = filters or {}
    if query := (filters.get("q") or "").strip():
        queryset = queryset.filter(Q(name__contains=query) | Q(certificate_number__contains=query))
    if status := filters.get("status"):
        queryset = queryset.filter(status=status)
    if department := filters.get("department"):
        queryset = queryset.filter(department__code=department)
    return queryset.order_by("department__code", "name")


def access_inspector_by_id(user, inspector_id: int) -> Inspector:
    return get_scoped_or_404(inspector_list(user=user), pk=inspector_id)


def conflict_list_for_inspector(inspector: Inspector) -> QuerySet[InspectorConflict]:
    return inspector.conflicts.select_related("entity").order_by("-declared_at")
