"""The 监管部门 column of an entity import: each row linked to the departments its cell names
(as provincial files write them), an unknown name reported with its row and column and no link
guessed, a re-import a no-op; the same on a bulk load, whose link table loses its indexes,
unique constraint and foreign key to the entities for the load and gets them back."""

import pytest
from django.db import connection

from spotcheck.directory.models import MarketEntity
from spotcheck.imports.services import import_file
from spotcheck.imports.writers import entities as writer
from tests.factories import DepartmentFactory
from tests.imports.helpers import ENTITY_HEADER, entity_rows, valid_usccs, write_csv

HEADER = [*ENTITY_HEADER, "监管部门"]
LINKS = MarketEntity.departments.through


@pytest.fixture
def departments(market_dept, health_dept):
    housing = DepartmentFactory(code="ZJW", name="东城区住房和城乡建设委员会")
    return {"market": market_dept.pk, "health": health_dept.pk, "housing": housing.pk}


def _links() -> set[tuple[str, int]]:
    return set(LINKS.objects.values_list("marketentity__key", "department_id"))


def _file(tmp_path, cells: list[str], name="links.csv"):
    usccs = valid_usccs(len(cells), seed=11)
    rows = [[*row, cell] for row, cell in zip(entity_rows(usccs), cells, strict=True)]
    return write_csv(tmp_path / name, rows, header=HEADER), usccs


CELLS = [
    "市场监管局、卫健委",  # two, abbreviated
    "海南省卫生健康委员会",  # another level's full name
    "区住建局;东城区市场监督管理局 工商局",  # three spellings, two of them one department
    "",  # none
    "卫健委、不存在的局",  # one unknown name: no link from this cell
]


@pytest.mark.parametrize("bulk", [False, True], ids=["chunked", "bulk-load"])
def test_each_row_is_linked_to_the_departments_its_cell_names(
    db, tmp_path, departments, monkeypatch, bulk
):
    if bulk:  # the path of a large first load, on a small file
        monkeypatch.setattr(writer, "BULK_LOAD_MIN_ROWS", 2)
    path, usccs = _file(tmp_path, CELLS)
    # When the file is imported
    outcome = import_file(kind="entities", path=path)
    # Then every row is an entity, linked to exactly the departments its cell names
    m, h, z = departments["market"], departments["health"], departments["housing"]
    assert outcome.imported == 5 and not outcome.rejections
    assert _links() == {(usccs[0], m), (usccs[0], h), (usccs[1], h), (usccs[2], z), (usccs[2], m)}
    # And the unknown name is reported on its row (header is row 1) and column I, in Chinese
    assert [(w.row, w.column, w.reason) for w in outcome.warnings] == [
        (6, "I", "部门“不存在的局”不在部门名单中，未关联监管部门")
    ]
    # When the same file is imported again, nothing changes: no link, no history row
    history = MarketEntity.history.count()
    again = import_file(kind="entities", path=path)
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 5)
    assert len(_links()) == LINKS.objects.count() == 5
    assert MarketEntity.history.count() == history


def test_a_later_file_adds_only_the_missing_links(db, tmp_path, departments):
    path, usccs = _file(tmp_path, ["市场监管局", "卫健委"])
    import_file(kind="entities", path=path)
    # a second file names one more department for the first entity and the same for the second
    rows = [[*row, cell] for row, cell in
            zip(entity_rows(usccs), ["市场监管局、住建委", "卫健委"], strict=True)]  # fmt: skip
    import_file(kind="entities", path=write_csv(tmp_path / "more.csv", rows, header=HEADER))
    m, h, z = departments["market"], departments["health"], departments["housing"]
    assert _links() == {(usccs[0], m), (usccs[0], z), (usccs[1], h)}
    assert LINKS.objects.count() == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's constraints")
def test_a_bulk_load_gives_the_link_table_its_constraints_back(
    db, tmp_path, departments, monkeypatch
):
    monkeypatch.setattr(writer, "BULK_LOAD_MIN_ROWS", 2)

    def constraints() -> set[tuple[str, str]]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT contype, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass",
                [LINKS._meta.db_table],
            )
            return set(cursor.fetchall())

    def indexes() -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s",
                           [LINKS._meta.db_table])  # fmt: skip
            return {row[0] for row in cursor.fetchall()}

    before, before_indexes = constraints(), indexes()
    import_file(kind="entities", path=_file(tmp_path, CELLS)[0])
    assert constraints() == before and indexes() == before_indexes
    assert {kind for kind, _ in before} >= {"f", "u", "p"}


def test_a_bulk_load_over_stored_rows_links_them_once(db, tmp_path, departments, monkeypatch):
    # Given one stored entity linked to the market department
    path, usccs = _file(tmp_path, CELLS)
    first = [[*entity_rows(usccs)[0], "市场监管局"]]
    import_file(kind="entities", path=write_csv(tmp_path / "one.csv", first, header=HEADER))
    # When a bulk load (the links' unique constraint dropped meanwhile) names it again
    monkeypatch.setattr(writer, "BULK_LOAD_MIN_ROWS", 2)
    outcome = import_file(kind="entities", path=path)
    # Then its links are the union, each once, and the other rows are linked as named
    m, h = departments["market"], departments["health"]
    assert outcome.imported == 4
    assert {d for key, d in _links() if key == usccs[0]} == {m, h}
    assert LINKS.objects.count() == len(_links()) == 5
