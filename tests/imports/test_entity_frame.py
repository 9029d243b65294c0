"""The column-wise entity import agrees with the row-by-row reference: reading, validation,
fingerprints, and the set-wise writer (including the bulk-load path)."""

import csv
import json
import random
from pathlib import Path

import polars as pl
import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spotcheck.directory.fingerprint import (
    FINGERPRINT_FIELDS,
    entity_fingerprint,
    postgres_fingerprint_sql,
    register_sqlite_fingerprint,
)
from spotcheck.directory.models import MarketEntity
from spotcheck.directory.uscc import generate_uscc, registration_number_check_digit
from spotcheck.imports.reading import read_rows
from spotcheck.imports.reading.frames import _stream_frame, load_table
from spotcheck.imports.rejections import RowError
from spotcheck.imports.services import import_file
from spotcheck.imports.validators.entities import validate_entity_row
from spotcheck.imports.validators.entity_frame import (
    ERROR_SCHEMA,
    ROW,
    VALID_SCHEMA,
    refuse_duplicates,
    validate_entity_frame,
)
from spotcheck.imports.writers import entities as writer

from .helpers import entity_rows, valid_usccs, write_csv

DEPARTMENTS = {"SCJGJ": 1, "市场监管局": 1, "WJW": 2, "卫健委": 2}
_RNG = random.Random(11)
GOOD_USCCS = [generate_uscc(_RNG, org_type=t) for t in "1123" for _ in range(3)]
REGNO = "11010100000000" + registration_number_check_digit("11010100000000")

uscc_cells = st.one_of(
    st.sampled_from(GOOD_USCCS),
    st.sampled_from(GOOD_USCCS).map(lambda c: c[:17] + ("0" if c[17] != "0" else "1")),
    st.sampled_from(GOOD_USCCS).map(str.lower),
    st.sampled_from(GOOD_USCCS).map(lambda c: f"{c[:6]} {c[6:]}"),
    st.sampled_from(GOOD_USCCS).map(lambda c: c.replace("1", "１", 1)),
    st.sampled_from(GOOD_USCCS).map(lambda c: c[:5] + "O" + c[6:]),
    st.sampled_from(GOOD_USCCS).map(lambda c: c[:17]),
    st.sampled_from(
        [
            "",
            "9.14690062012665E+17",
            "914690062012665000.0",
            REGNO,
            REGNO[:-1] + "0",
            "ABCDEFGHJKLMNPQRTU",
            "91110101MA00000000",
            "９１",
            "无资料内容",
            "/",
            "469006NA000212X",
            "1101010000001",
            "企独琼总字第008245号",
        ]
    ),
    st.text(alphabet="0123456789ABCXYZ ", max_size=20),
)
row_values = st.fixed_dictionaries(
    {
        "name": st.sampled_from(["", "北京甲有限公司", "个体户 张三", "a\tb\\c", "无字号"]),
        "uscc": uscc_cells,
        "registration_number": st.sampled_from(
            ["", "", "", REGNO, REGNO[:-1] + "0", "9.1E+14", "无", "企合琼分字第197182号", "12345"]
        ),
        "entity_type": st.sampled_from(["", "企业", "个体工商户", "某某公司", "合作社", "机关"]),
        "industry": st.sampled_from(["", "5212", "5212 百货零售", "a011", "9999", "F"]),
        "region": st.sampled_from(["", "110101", "110101 东城区", "999999", "11"]),
        "address": st.sampled_from(["", "东城区1号", "a\nb"]),
        "status": st.sampled_from(["", "存续", "在营", "吊销", "注销", "迁出", "歇业", "未知"]),
        "credit_class": st.sampled_from(["", "A", "b", "C类", " d ", "E"]),
        "abnormal": st.sampled_from(["", "是", "否", "Y", "也许"]),
        "tags": st.sampled_from(["", "重点、食品", "食品,重点", "、", "z a"]),
        "departments": st.sampled_from(["", "SCJGJ", "卫健委、SCJGJ", "不存在的局"]),
    }
)
field_sets = st.sampled_from(
    [
        ("name", "uscc", "entity_type", "industry", "region", "address", "status",
         "credit_class"),
        ("name", "uscc", "registration_number", "entity_type", "industry", "region",
         "address", "status", "credit_class", "abnormal", "tags", "departments"),
        ("name", "uscc"),
        ("name", "registration_number", "status"),
    ]
)  # fmt: skip


def _expected(values, forced):
    try:
        row = validate_entity_row(values, DEPARTMENTS)
    except RowError as error:
        return ("rejected", error.field, error.reason)
    clean = {k: (v if isinstance(v, (bool, list)) else str(v)) for k, v in row.values.items()}
    ids = set(row.departments) | ({forced} if forced else set())
    return ("valid", row.key, clean, ids, [(w.field, w.reason) for w in row.warnings])


def _actual(valid: dict, errors: dict, warnings: dict, number: int):
    if number in errors:
        return ("rejected", *errors[number])
    row = valid[number]
    clean = {}
    for column in ("uscc", "registration_number", "name", "entity_type", "industry_code",
                   "region_code", "address", "status", "credit_class",
                   "abnormal_listed"):  # fmt: skip
        if row[column] is not None:
            clean[column] = row[column]
    if row["tags"] is not None:
        clean["tags"] = json.loads(row["tags"])
    ids = set(json.loads(row["departments"])) if row["departments"] else set()
    return ("valid", row["key"], clean, ids, warnings.get(number, []))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(row_values, min_size=1, max_size=25), field_sets, st.sampled_from([None, 2]))
def test_vectorised_validation_agrees_with_the_row_validator(rows, fields, forced):
    records = [{f: values[f] for f in fields} for values in rows]
    frame = pl.DataFrame(
        {ROW: list(range(2, len(rows) + 2)), **{f: [r[f] for r in records] for f in fields}},
        schema={ROW: pl.Int64, **dict.fromkeys(fields, pl.String)},
    )
    valid, errors, warnings = validate_entity_frame(frame, DEPARTMENTS, forced)
    assert valid[ROW].to_list() == sorted(valid[ROW].to_list())
    by_row = {r[ROW]: r for r in valid.iter_rows(named=True)}
    failed = {r[ROW]: (r["field"], r["reason"]) for r in errors.iter_rows(named=True)}
    warned: dict[int, list] = {}
    for r in warnings.iter_rows(named=True):
        warned.setdefault(r[ROW], []).append((r["field"], r["reason"]))
    assert len(by_row) + len(failed) == len(rows)
    assert set(warned) <= set(by_row)
    for number, values in enumerate(records, start=2):
        assert _actual(by_row, failed, warned, number) == _expected(values, forced), values


def test_duplicates_name_the_first_valid_row():
    frame = pl.DataFrame(
        {ROW: [2, 3, 4, 5], "name": ["甲", "乙", "", "丁"], "uscc": GOOD_USCCS[:1] * 4}
    )
    valid, errors, _ = validate_entity_frame(frame, {})
    kept, duplicates = refuse_duplicates(valid)
    assert kept[ROW].to_list() == [2]
    assert errors.rows() == [(4, "name", "名称为空")]
    assert duplicates.rows() == [
        (3, "", "与第 2 行重复（同一文件中出现两次），本行未导入"),
        (5, "", "与第 2 行重复（同一文件中出现两次），本行未导入"),
    ]


# ------------------------------------------------------------------ reading
def _awkward_csv(path: Path, encoding: str) -> Path:
    rows = [
        ["2025年度名录"],
        [],
        ["序号", "企业名称", "统一社会信用代码", "企业类型", "经营地址", "备注"],
        ["1", " 北京甲公司\u3000", GOOD_USCCS[0], "企业", "朝阳路\n1号", "x"],
        [],
        ["", "", "", "", "", ""],
        ["2", "乙_x000D_\n商店", GOOD_USCCS[1], "", "  ", "y", "extra", "cells"],
        ["3", "丙"],
        ["4", '带"引号"的\t名称', "9.1E+17", "个体", "路,2号"],
    ]
    with open(path, "w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_the_polars_csv_reader_reads_what_the_row_reader_reads(tmp_path, encoding):
    path = _awkward_csv(tmp_path / "e.csv", encoding)
    table = load_table(path, "entities")
    stream = read_rows(path, "entities")
    expected = _stream_frame(stream, stream.fields, None)
    assert table.fields == stream.fields
    assert table.frame.rows() == expected.rows()
    assert table.frame[ROW].to_list() == [4, 7, 8, 9]


def test_lone_carriage_returns_fall_back_to_the_row_reader(tmp_path):
    path = tmp_path / "mac.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\r").writerows(
            [["企业名称", "统一社会信用代码"], ["甲", GOOD_USCCS[0]], ["乙", GOOD_USCCS[1]]]
        )
    table = load_table(path, "entities")
    assert table.frame.rows() == [(2, "甲", GOOD_USCCS[0]), (3, "乙", GOOD_USCCS[1])]


# ------------------------------------------------------------------ fingerprints
fingerprint_values = st.fixed_dictionaries(
    {
        **{f: st.text(max_size=6) for f in FINGERPRINT_FIELDS[:-2]},
        "abnormal_listed": st.booleans(),
        "tags": st.lists(st.text(min_size=1, max_size=4), max_size=4, unique=True),
    }
)


def _no_nul(values):
    return all("\x00" not in str(v) for v in values.values()) and all(
        "\x00" not in t for t in values["tags"]
    )


@settings(max_examples=100, deadline=None)
@given(st.lists(fingerprint_values.filter(_no_nul), min_size=1, max_size=10))
def test_the_writers_fingerprints_are_entity_fingerprint(rows):
    frame = pl.DataFrame(
        [{**r, "tags": json.dumps(r["tags"], ensure_ascii=False) if r["tags"] else "[]"}
         for r in rows],
        schema={**dict.fromkeys(FINGERPRINT_FIELDS, pl.String), "abnormal_listed": pl.Boolean},
    )  # fmt: skip
    assert writer.fingerprints(frame).to_list() == [entity_fingerprint(r) for r in rows]


@pytest.mark.django_db
def test_the_databases_fingerprint_is_entity_fingerprint():
    rng = random.Random(5)
    samples = [
        {**{f: "".join(rng.choice("aZ9中文 ,\\'\x1f") for _ in range(rng.randrange(6)))
            for f in FINGERPRINT_FIELDS[:-2]},
         "abnormal_listed": rng.random() < 0.5,
         "tags": sorted({rng.choice(["重点", "b", "B", "a,c", "é", "z"]) for _ in range(3)})}
        for _ in range(40)
    ]  # fmt: skip
    samples.append({**samples[0], "tags": []})
    with connection.cursor() as cursor:
        for values in samples:
            params = [values[f] for f in FINGERPRINT_FIELDS[:-1]]
            tags = json.dumps(values["tags"], ensure_ascii=False)
            names = ", ".join(FINGERPRINT_FIELDS)
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"SELECT {postgres_fingerprint_sql('v')} FROM (SELECT "
                    + ", ".join(f"%s AS {f}" for f in FINGERPRINT_FIELDS[:-1])
                    + ", %s::jsonb AS tags) v",
                    [*params, tags],
                )
            else:
                register_sqlite_fingerprint(connection.connection)
                placeholders = ", ".join(["%s"] * len(FINGERPRINT_FIELDS))
                cursor.execute(
                    f"SELECT spotcheck_entity_fingerprint({placeholders})", [*params, tags]
                )
            assert cursor.fetchone()[0] == entity_fingerprint(values), (names, values)


# ------------------------------------------------------------------ the writer
def _index_names() -> set[str]:
    with connection.cursor() as cursor:
        tables = [writer.ENTITY_TABLE, writer.HISTORY_TABLE]
        return {
            name
            for table in tables
            for name in connection.introspection.get_constraints(cursor, table)
        }


@pytest.mark.parametrize("bulk", [False, True])
def test_bulk_load_and_row_path_give_the_same_directory(
    db, tmp_path, monkeypatch, bulk, market_dept, health_dept
):
    if bulk:
        monkeypatch.setattr(writer, "BULK_LOAD_MIN_ROWS", 1)
    indexes = _index_names()
    usccs = valid_usccs(6, seed=21)
    header = ["企业名称", "统一社会信用代码", "注册号", "企业类型", "行业代码", "行政区划",
              "经营地址", "登记状态", "信用风险分类", "经营异常", "标签", "监管部门"]  # fmt: skip
    rows = [
        ["甲\t公司", usccs[0], "", "", "5212", "110101", "路\\1号", "存续", "A", "是", "重点、食品",
         "SCJGJ"],
        ["乙公司", usccs[1], "", "企业", "", "", "", "", "", "", "", ""],
        ["丙商店", "", REGNO, "个体", "", "110101", "", "吊销", "C类", "否", "", "东城区卫生健康委员会、SCJGJ"],
        ["丁公司", usccs[2], "", "企业", "", "", "", "", "", "", "", "不存在的局"],
    ]  # fmt: skip
    first = import_file(kind="entities", path=write_csv(tmp_path / "a.csv", rows, header))
    # 丁公司's unknown department is left out with a warning: the entity itself is imported
    assert (first.imported, first.updated, first.unchanged, first.rejected) == (4, 0, 0, 0)
    assert [(w.row, w.column, w.reason) for w in first.warnings] == [
        (5, "L", "部门“不存在的局”不在部门名单中，未关联监管部门")
    ]
    assert _index_names() == indexes
    gia = MarketEntity.objects.get(key=usccs[0])
    assert (gia.name, gia.address, gia.abnormal_listed, gia.tags) == (
        "甲\t公司", "路\\1号", True, ["重点", "食品"]
    )  # fmt: skip
    assert gia.entity_type == "enterprise" and gia.credit_class == "A"
    assert gia.fingerprint == entity_fingerprint({f: getattr(gia, f) for f in FINGERPRINT_FIELDS})
    yi = MarketEntity.objects.get(key=usccs[1])
    assert (yi.status, yi.credit_class, yi.tags, yi.abnormal_listed) == (
        "operating",
        "B",
        [],
        False,
    )
    shop = MarketEntity.objects.get(key=REGNO)
    assert set(shop.departments.values_list("code", flat=True)) == {"SCJGJ", "WJW"}
    assert [h.history_type for h in shop.history.all()] == ["+"]
    # the same file again changes nothing; a narrower file with one change updates one row
    again = import_file(kind="entities", path=write_csv(tmp_path / "b.csv", rows, header))
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 4)
    narrow = [[r[0], r[1], r[2], r[7]] for r in rows[:3]]
    narrow[2][3] = "注销"
    changed = import_file(
        kind="entities",
        path=write_csv(
            tmp_path / "c.csv", narrow, ["企业名称", "统一社会信用代码", "注册号", "登记状态"]
        ),
    )
    assert (changed.imported, changed.updated, changed.unchanged) == (0, 1, 2)
    shop.refresh_from_db()
    assert (shop.status, shop.credit_class, shop.region_code) == ("deregistered", "C", "110101")
    assert shop.fingerprint == entity_fingerprint({f: getattr(shop, f) for f in FINGERPRINT_FIELDS})
    assert [h.history_type for h in shop.history.order_by("history_id")] == ["+", "~"]
    # and a new row next to stored ones, through the bulk path too
    more = [*rows[:2], ["戊公司", usccs[3], "", "", "", "", "", "", "", "", "", ""]]
    added = import_file(kind="entities", path=write_csv(tmp_path / "d.csv", more, header))
    assert (added.imported, added.updated, added.unchanged) == (1, 0, 2)
    assert MarketEntity.history.count() == 6  # 4 first imports, 1 change, 1 new
    assert _index_names() == indexes


def test_a_large_file_imports_rows_in_file_order(db, tmp_path):
    usccs = valid_usccs(30, seed=4)
    import_file(kind="entities", path=write_csv(tmp_path / "e.csv", entity_rows(usccs)))
    assert list(MarketEntity.objects.order_by("id").values_list("uscc", flat=True)) == usccs


def test_a_bulk_load_that_dies_leaves_nothing_and_keeps_the_indexes(db, tmp_path, monkeypatch):
    from spotcheck.imports import services

    monkeypatch.setattr(writer, "BULK_LOAD_MIN_ROWS", 1)
    monkeypatch.setattr(services, "CHUNK_SIZE", 2)
    indexes = _index_names()
    calls = []

    def dying_write(rows, **kwargs):
        calls.append(len(rows))
        if len(calls) == 2:
            raise OSError("disk full")
        return writer.write_entity_chunk(rows, **kwargs)

    monkeypatch.setattr(services, "write_entity_chunk", dying_write)
    path = write_csv(tmp_path / "big.csv", entity_rows(valid_usccs(6, seed=8)))
    with pytest.raises(OSError):
        import_file(kind="entities", path=path)
    assert not MarketEntity.objects.exists() and not MarketEntity.history.exists()
    assert _index_names() == indexes


def test_a_file_with_only_a_header_imports_nothing(db, tmp_path):
    from .helpers import write_xlsx

    for path in (write_csv(tmp_path / "e.csv", []), write_xlsx(tmp_path / "e.xlsx", [])):
        outcome = import_file(kind="entities", path=path)
        assert (outcome.rows_read, outcome.imported, outcome.rejected) == (0, 0, 0)


def test_lists_of_entity_rows_still_write(db, market_dept):
    """The demo loader hands write_entity_chunk lists of EntityRow, with any subset of fields."""
    from spotcheck.imports.validators.entities import EntityRow

    usccs = valid_usccs(3, seed=30)
    rows = [
        EntityRow(usccs[0], {"uscc": usccs[0], "name": "甲", "entity_type": "enterprise",
                             "tags": ["b", "a"], "abnormal_listed": True}, [market_dept.pk]),
        EntityRow(usccs[1], {"uscc": usccs[1], "name": "乙"}, []),
    ]  # fmt: skip
    counts = writer.write_entity_chunk(rows, actor_id=None, reason="演示数据", department_id=None)
    assert (counts.created, counts.updated, counts.unchanged) == (2, 0, 0)
    again = [rows[0], EntityRow(usccs[1], {"name": "乙二"}, [])]
    counts = writer.write_entity_chunk(again, actor_id=None, reason="", department_id=None)
    assert (counts.created, counts.updated, counts.unchanged) == (0, 1, 1)
    for entity in MarketEntity.objects.all():
        assert entity.fingerprint == entity_fingerprint(
            {f: getattr(entity, f) for f in FINGERPRINT_FIELDS}
        )
    second = MarketEntity.objects.get(key=usccs[1])
    assert (second.name, second.uscc, second.entity_type) == ("乙二", usccs[1], "other")
    assert list(MarketEntity.objects.get(key=usccs[0]).departments.all()) == [market_dept]


def test_repeats_across_twenty_slices_are_each_rejected_naming_their_first_row():
    # Given 20 slices of 1,000 valid rows, each after the first repeating 2 earlier keys at
    # random places (the layout that made polars 2.1 panic on a join left in pieces)
    from spotcheck.imports.services import _Sieve

    rng = random.Random(1)
    sieve, earlier, expected = _Sieve(None, False), [], []
    for index in range(20):
        keys = [f"K{index}_{j}" for j in range(1_000)]
        for at in rng.sample(range(100, 1_000), 2 if earlier else 0):
            key, first = rng.choice(earlier)
            keys[at] = key
            expected.append((2 + index * 1_000 + at, first))
        earlier += [(key, 2 + index * 1_000 + j) for j, key in enumerate(keys[:100])]
        rows = {name: [None] * 1_000 for name in VALID_SCHEMA}
        rows |= {"_row": list(range(2 + index * 1_000, 1_002 + index * 1_000)), "key": keys}
        empty = pl.DataFrame(schema=ERROR_SCHEMA)
        sieve.keep(pl.DataFrame(rows, schema=VALID_SCHEMA), empty, empty)
    # Then each repeat is rejected with the row where its key first appeared
    rejected = sieve.rejected()
    assert rejected["_row"].to_list() == sorted(row for row, _ in expected)
    assert rejected["reason"].to_list() == [
        f"与第 {first} 行重复（同一文件中出现两次），本行未导入" for _, first in sorted(expected)
    ]


def test_a_big_file_of_bad_rows_is_no_bulk_load(db, tmp_path, monkeypatch):
    # Given a file over the bulk-load size whose rows are mostly bad (wrong check characters)
    monkeypatch.setattr(writer, "BULK_LOAD_MIN_ROWS", 4)
    usccs = valid_usccs(6, seed=13)
    rows = entity_rows(usccs)
    for row in rows[1:]:
        row[1] = row[1][:17] + ("0" if row[1][17] != "0" else "1")
    dropped = []
    real = writer._drop_secondary_indexes
    monkeypatch.setattr(writer, "_drop_secondary_indexes", lambda *a: dropped.append(1) or real(*a))
    # When it is imported, its one good row is written without dropping the indexes
    outcome = import_file(kind="entities", path=write_csv(tmp_path / "bad.csv", rows))
    assert (outcome.imported, outcome.rejected) == (1, 5) and not dropped
    # while six good rows are a bulk load
    import_file(kind="entities", path=write_csv(tmp_path / "good.csv", entity_rows(valid_usccs(6))))
    assert dropped
