"""Exports to the national credit publicity system: the published layout, formula-safe cells,
stable ids (a corrected record goes again as an update), a record of what was sent."""

import io
import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from spotcheck.accounts.tokens import api_token_create
from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent
from spotcheck.publication.models import NationalExport
from spotcheck.publication.services.national_export import national_export_create

from .helpers import record_for

MARCH = {"start": date(2026, 3, 1), "end": date(2026, 3, 31)}


@pytest.fixture
def records(joint_visit, liaison_zhao):
    task = joint_visit.tasks.get(department__code="SCJGJ")
    visits = list(task.visits.order_by("visit_id")[:3])
    made = [
        record_for(visits[0], task, liaison_zhao, published_on="2026-03-02"),
        record_for(
            visits[1],
            task,
            liaison_zhao,
            published_on="2026-03-05",
            entity_name='=HYPERLINK("http://evil.example","点我")',
        ),
        record_for(visits[2], task, liaison_zhao, published_on="2026-04-02"),  # outside March
    ]
    return made


def _rows(content: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    return list(sheet.iter_rows(values_only=True))


def test_xlsx_export_has_the_published_layout_and_formula_safe_cells(
    records, liaison_zhao, market_dept
):
    file = national_export_create(actor=liaison_zhao, department=market_dept, fmt="xlsx", **MARCH)
    header, *rows = _rows(file.content)
    assert header[:3] == ("公示编号", "报送类型", "计划编号")
    assert [r[0] for r in rows] == [records[0].record_id, records[1].record_id]
    assert rows[0][1] == "新增" and rows[0][11] == "餐饮服务提供者监督检查"
    assert rows[0][12] == "未发现问题"
    assert rows[1][8] == '\'=HYPERLINK("http://evil.example","点我")'
    name_cell = load_workbook(io.BytesIO(file.content)).active.cell(row=3, column=9)
    assert name_cell.data_type == "s"  # a text cell, never a formula
    export = NationalExport.objects.get()
    assert export.sent == {records[0].record_id: 1, records[1].record_id: 1}
    assert export.record_count == 2 and export.created_by == liaison_zhao
    event = AuditEvent.objects.get(event_type=AuditEventType.NATIONAL_EXPORT)
    assert event.extra["records"] == 2


def test_a_re_export_sends_only_corrections_as_updates_with_the_same_id(
    records, liaison_zhao, market_dept
):
    national_export_create(actor=liaison_zhao, department=market_dept, fmt="json", **MARCH)
    again = national_export_create(actor=liaison_zhao, department=market_dept, fmt="json", **MARCH)
    assert json.loads(again.content)["records"] == []
    corrected = records[0]
    corrected.version, corrected.items = (
        2,
        [{"item": "餐饮服务提供者监督检查", "results": ["发现问题已责令改正"]}],
    )
    corrected.save()
    third = json.loads(
        national_export_create(
            actor=liaison_zhao, department=market_dept, fmt="json", **MARCH
        ).content
    )
    (entry,) = third["records"]
    assert (entry["record_id"], entry["operation"], entry["version"]) == (
        corrected.record_id,
        "update",
        2,
    )
    assert entry["items"][0]["results"] == ["发现问题已责令改正"]


def test_another_department_cannot_export_and_the_office_can(
    records, liaison_sun, inspector_zhang, office_admin_wang, market_dept
):
    for outsider in (liaison_sun, inspector_zhang):
        with pytest.raises(PermissionDenied):
            national_export_create(actor=outsider, department=market_dept, fmt="xlsx", **MARCH)
    national_export_create(actor=office_admin_wang, department=market_dept, fmt="xlsx", **MARCH)


def test_the_push_job_endpoint_returns_json_and_records_the_export(
    records, liaison_zhao, liaison_sun
):
    token = api_token_create(user=liaison_zhao, label="push")
    client = Client(headers={"Authorization": f"Bearer {token}"})
    body = {"department": "SCJGJ", "start": "2026-03-01", "end": "2026-03-31"}
    response = client.post(
        "/api/publication/national-exports", body, content_type="application/json"
    )
    assert response.status_code == 201
    assert [r["operation"] for r in response.json()["records"]] == ["new", "new"]
    assert NationalExport.objects.get().sha256 == response.json()["sha256"]
    other = Client(
        headers={"Authorization": f"Bearer {api_token_create(user=liaison_sun, label='x')}"}
    )
    assert (
        other.post(
            "/api/publication/national-exports", body, content_type="application/json"
        ).status_code
        == 403
    )
    assert (
        Client()
        .post("/api/publication/national-exports", body, content_type="application/json")
        .status_code
        == 401
    )


def test_the_export_page_downloads_and_lists_what_was_sent(
    records, client_for, liaison_zhao, market_dept
):
    client = client_for(liaison_zhao)
    url = reverse("publication:national_exports")
    response = client.post(
        url,
        {"department": market_dept.pk, "start": "2026-03-01", "end": "2026-03-31", "fmt": "xlsx"},
    )
    assert (
        response["Content-Disposition"] == 'attachment; filename="SCJGJ-2026-03-01-2026-03-31.xlsx"'
    )
    assert "2026-03-01 – 2026-03-31" in client.get(url).content.decode()
