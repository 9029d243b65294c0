"""Property: a department's import keeps a row exactly when its 监管部门 names no department
but the importer's."""

import json

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from spotcheck.imports.services import _split_foreign_links
from spotcheck.imports.validators.entity_frame import ROW

IMPORTER = 7
department_lists = st.lists(st.integers(min_value=1, max_value=9), min_size=1, max_size=4)


@given(st.lists(department_lists, max_size=30))
def test_rows_kept_are_exactly_those_linked_to_the_importer_alone(rows):
    frame = pl.DataFrame(
        {ROW: list(range(2, len(rows) + 2)), "departments": [json.dumps(r) for r in rows]},
        schema={ROW: pl.Int64, "departments": pl.String},
    )
    kept, foreign = _split_foreign_links(frame, IMPORTER)
    expected_kept = [n for n, r in zip(frame[ROW], rows, strict=True) if set(r) == {IMPORTER}]
    assert kept[ROW].to_list() == expected_kept
    assert sorted(kept[ROW].to_list() + foreign[ROW].to_list()) == frame[ROW].to_list()
