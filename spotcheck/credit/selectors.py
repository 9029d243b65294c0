"""Reads of credit classes: internal to the departments that supervise the entity and the
office; never public, never shown to inspectors."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from spotcheck.accounts.models import Role
from spotcheck.directory.models import MarketEntity
from spotcheck.directory.selectors import access_entity_by_key

from .models import CreditAssessment, CreditClassChange, CreditRun


def may_see_credit(user) -> bool:
    return bool(
        user.is_authenticated
        and (user.is_office or (user.department_id and user.role != Role.INSPECTOR))
    )


def access_entity_credit(user, key: str) -> tuple[MarketEntity, CreditAssessment | None]:
    """The entity (same 404 as the directory for missing or out of scope) and its assessment."""
    if not may_see_credit(user):
        raise PermissionDenied
    entity = access_entity_by_key(user, key)
    return entity, CreditAssessment.objects.filter(entity=entity).first()


def credit_change_list(*, entity: MarketEntity) -> QuerySet[CreditClassChange]:
    return entity.credit_changes.select_related("actor")


def credit_run_list() -> QuerySet[CreditRun]:
    return CreditRun.objects.all()
