"""Leads (线索): complaints, referrals and monitoring hits about an entity, registered by any
user of a department and acted on by its liaison or reviewer (on the pages for now)."""

from datetime import datetime
from typing import Literal

from ninja import Query, Router, Schema, Status

from spotcheck.directory.selectors import access_entity_by_key
from spotcheck.inspections import leads, selectors
from spotcheck.inspections.models import LeadSource

from .auditing import audited_list
from .pagination import CursorIn, keyset_page
from .schemas import ERRORS, cursor_page
from .types import LONG_TEXT, Id, Text

router = Router()


class LeadOut(Schema):
    id: int
    number: str
    entity_key: str
    entity_name: str
    department: str
    source: str
    description: str
    status: str
    task_number: str | None  # the targeted task made of it, once acted on
    received_at: datetime


class LeadIn(Schema):
    entity_key: Text(18, min_length=1)  # USCC or registration number
    source: LeadSource
    description: Text(LONG_TEXT, min_length=1)


class LeadFilters(Schema):
    status: Literal["registered", "in_check", "closed", ""] = ""


def _lead_out(lead) -> dict:
    return {
        "id": lead.pk,
        "number": lead.number,
        "entity_key": lead.entity.key,
        "entity_name": lead.entity.name,
        "department": lead.department.code,
        "source": lead.source,
        "description": lead.description,
        "status": lead.status,
        "task_number": lead.task.number if lead.task else None,
        "received_at": lead.received_at,
    }


@router.get("", response={200: cursor_page(LeadOut), **ERRORS})
@audited_list("leads")
def list_leads(request, filters: Query[LeadFilters], page: Query[CursorIn]):
    """The caller's department's leads (all for the office)."""
    queryset = selectors.lead_list(user=request.user, status=filters.status or None)
    return keyset_page(queryset, page, _lead_out)


@router.get("/{lead_pk}", response={200: LeadOut, **ERRORS})
def get_lead(request, lead_pk: Id):
    return _lead_out(selectors.access_lead(request.user, lead_pk))


@router.post("", response={201: LeadOut, **ERRORS})
def register_lead(request, payload: LeadIn):
    """Register a lead on an entity the caller's department may see (else 404, as on the page)."""
    entity = access_entity_by_key(request.user, payload.entity_key.strip().upper())
    lead = leads.lead_register(
        actor=request.user,
        entity=entity,
        source=payload.source,
        description=payload.description,
    )
    return Status(201, _lead_out(selectors.access_lead(request.user, lead.pk)))
