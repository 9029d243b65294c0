"""Publication endpoints for machines: the push job to the national credit publicity system."""

import json
from datetime import date

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from spotcheck.accounts.models import Department
from spotcheck.publication.services.national_export import national_export_create

from .schemas import ERRORS

router = Router()


class NationalExportIn(Schema):
    department: str  # department code
    start: date
    end: date


class NationalExportOut(Schema):
    export_id: int
    sha256: str
    department: str
    period: dict
    records: list[dict]  # record_id (stable), operation new/update, version, layout fields


@router.post("national-exports", response={201: NationalExportOut, **ERRORS})
def create_national_export(request, payload: NationalExportIn):
    """Everything the department published or corrected in the period and has not yet sent in
    its current version, as JSON for the push job; the export is recorded with its hash."""
    department = get_object_or_404(Department, code=payload.department, is_active=True)
    file = national_export_create(
        actor=request.user,
        department=department,
        start=payload.start,
        end=payload.end,
        fmt="json",
    )
    body = json.loads(file.content)
    return Status(201, {"export_id": file.export.pk, "sha256": file.export.sha256, **body})
