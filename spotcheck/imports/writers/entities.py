"""Upsert validated entity rows set-wise: stage a chunk, then a few SQL statements.

A chunk (a polars DataFrame in ``entity_frame.VALID_SCHEMA``) is staged in a temporary table
(PostgreSQL: one COPY; SQLite: executemany). Then, inside the caller's transaction:

1. stored entities with the chunk's keys are matched and merged (a null staged value keeps the
   stored one) and the merged row's fingerprint computed in the database;
2. matched rows whose fingerprint changed, and that the importing department may edit, are
   updated, and get a '~' history row;
3. new keys are inserted (absent fields take the model defaults) with a '+' history row;
4. department links are added (duplicates skipped).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from django.db import connection
from django.utils import timezone

from spotcheck.directory.fingerprint import (
    FINGERPRINT_FIELDS,
    SQL_FUNCTION,
    postgres_fingerprint_sql,
    register_sqlite_fingerprint,
)
from spotcheck.directory.models import CreditClass, EntityStatus, MarketEntity

from ..bulk import db_datetime

ENTITY_TABLE = MarketEntity._meta.db_table
HISTORY_TABLE = MarketEntity.history.model._meta.db_table
LINK_TABLE = MarketEntity.departments.through._meta.db_table
DATA_COLUMNS = list(FINGERPRINT_FIELDS)
STAGE = "spotcheck_import_stage"
MATCH = "spotcheck_import_match"
STAGE_COLUMNS = ["rn", "key", *DATA_COLUMNS, "departments"]
# Model defaults for fields a file does not give (uscc, registration_number, name and
# entity_type always come from the row).
DEFAULTS = {
    "industry_code": "''", "region_code": "''", "address": "''",
    "status": f"'{EntityStatus.OPERATING.value}'", "credit_class": f"'{CreditClass.B.value}'",
}  # fmt: skip
ALWAYS_GIVEN = ("uscc", "registration_number", "name", "entity_type")
_ESCAPED = ("name", "address", "tags")  # free text: may hold \ tab CR LF


@dataclass
class ChunkCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _columns(names, prefix: str = "") -> str:
    return ", ".join(f"{prefix}{_q(n)}" for n in names)


def write_entity_chunk(
    rows: pl.DataFrame, *, actor_id: int | None, reason: str, department_id: int | None
) -> ChunkCounts:
    """Insert new keys, update changed ones, leave identical ones alone. Caller holds the
    transaction; keys are unique within ``rows``."""
    postgres = connection.vendor == "postgresql"
    now = db_datetime(timezone.now())
    with connection.cursor() as cursor:
        if postgres:
            _stage_postgres(cursor, rows)
        else:
            register_sqlite_fingerprint(connection.connection)
            _stage_sqlite(cursor, rows)
        _match(cursor, postgres, department_id)
        counts = ChunkCounts()
        counts.updated = _update_changed(cursor, postgres, now, reason, actor_id)
        cursor.execute(f"SELECT count(*) FROM {MATCH}")
        counts.unchanged = cursor.fetchone()[0] - counts.updated
        counts.created = _insert_new(cursor, postgres, now, reason, actor_id)
        if rows["departments"].null_count() < rows.height:
            _link(cursor, postgres)
    return counts


def drop_staging() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        cursor.execute(f"DROP TABLE IF EXISTS {MATCH}")


# ------------------------------------------------------------------ staging
def _stage_postgres(cursor, rows: pl.DataFrame) -> None:
    cursor.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {STAGE} (rn bigint, key text, uscc text, "
        "registration_number text, name text, entity_type text, industry_code text, "
        "region_code text, address text, status text, credit_class text, "
        "abnormal_listed boolean, tags jsonb, departments text)"
    )
    cursor.execute(f"TRUNCATE {STAGE}")
    escape = [
        pl.col(name)
        .str.replace_all("\\", "\\\\", literal=True)
        .str.replace_all("\t", "\\t", literal=True)
        .str.replace_all("\n", "\\n", literal=True)
        .str.replace_all("\r", "\\r", literal=True)
        for name in _ESCAPED
    ]
    text = (
        rows.rename({"_row": "rn"})
        .select(STAGE_COLUMNS)
        .with_columns(escape)
        .write_csv(separator="\t", include_header=False, quote_style="never", null_value="\\N")
    )
    with cursor.cursor.copy(f"COPY {STAGE} ({', '.join(STAGE_COLUMNS)}) FROM STDIN") as copy:
        data = text.encode()
        block = 1 << 20
        for start in range(0, len(data), block):
            copy.write(data[start : start + block])
    cursor.execute(f"ANALYZE {STAGE}")


def _stage_sqlite(cursor, rows: pl.DataFrame) -> None:
    cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {STAGE} ({', '.join(STAGE_COLUMNS)})")
    cursor.execute(f"DELETE FROM {STAGE}")
    placeholders = ", ".join(["?"] * len(STAGE_COLUMNS))
    connection.connection.executemany(
        f"INSERT INTO {STAGE} VALUES ({placeholders})",
        rows.rename({"_row": "rn"}).select(STAGE_COLUMNS).iter_rows(),
    )


# ------------------------------------------------------------------ set-wise upsert
def _fingerprint(postgres: bool, alias: str) -> str:
    if postgres:
        return postgres_fingerprint_sql(alias)
    return f"{SQL_FUNCTION}({_columns(DATA_COLUMNS, f'{alias}.')})"


def _match(cursor, postgres: bool, department_id: int | None) -> None:
    """MATCH: the chunk's rows that exist, merged with the stored values, with both fingerprints."""
    merged = [
        f"s.{_q(c)}" if c in ALWAYS_GIVEN else f"COALESCE(s.{_q(c)}, e.{_q(c)}) AS {_q(c)}"
        for c in DATA_COLUMNS
    ]
    if department_id is None:
        read_only = "0 = 1"
    else:  # supervised by other departments only: a department import may link, not edit
        read_only = (
            f"EXISTS (SELECT 1 FROM {_q(LINK_TABLE)} l WHERE l.marketentity_id = e.id) "
            f"AND NOT EXISTS (SELECT 1 FROM {_q(LINK_TABLE)} l WHERE l.marketentity_id = e.id "
            f"AND l.department_id = {int(department_id)})"
        )
    select = (
        f"SELECT q.*, {_fingerprint(postgres, 'q')} AS fp FROM ("
        f"SELECT s.rn, e.id, s.key, {', '.join(merged)}, e.fingerprint AS old_fp, "
        f"({read_only}) AS ro FROM {STAGE} s JOIN {_q(ENTITY_TABLE)} e ON e.{_q('key')} = s.key) q"
    )
    cursor.execute(f"DROP TABLE IF EXISTS {MATCH}")
    cursor.execute(f"CREATE TEMP TABLE {MATCH} AS {select}")


def _update_changed(cursor, postgres: bool, now, reason: str, actor_id) -> int:
    changed = "m.fp <> m.old_fp AND NOT m.ro"
    assignments = ", ".join(f"{_q(c)} = m.{_q(c)}" for c in DATA_COLUMNS)
    target = _q(ENTITY_TABLE)
    cursor.execute(
        f"UPDATE {target} SET {assignments}, fingerprint = m.fp, updated_at = %s "
        f"FROM {MATCH} m WHERE {target}.id = m.id AND {changed}",
        [now],
    )
    updated = cursor.rowcount
    if updated:
        history = _columns(["id", "key", *DATA_COLUMNS])
        cursor.execute(
            f"INSERT INTO {_q(HISTORY_TABLE)} ({history}, history_date, history_change_reason, "
            f"history_type, history_user_id) SELECT {_columns(['id', 'key', *DATA_COLUMNS], 'm.')}, "
            f"%s, %s, '~', %s FROM {MATCH} m WHERE {changed} ORDER BY m.rn",
            [now, reason, actor_id],
        )
    return updated


def _insert_new(cursor, postgres: bool, now, reason: str, actor_id) -> int:
    abnormal_default = "false" if postgres else "0"
    tags_default = "'[]'::jsonb" if postgres else "'[]'"
    defaults = DEFAULTS | {"abnormal_listed": abnormal_default, "tags": tags_default}
    filled = [
        f"s.{_q(c)}" if c in ALWAYS_GIVEN else f"COALESCE(s.{_q(c)}, {defaults[c]}) AS {_q(c)}"
        for c in DATA_COLUMNS
    ]
    new = (
        f"SELECT s.rn, s.key, {', '.join(filled)} FROM {STAGE} s "
        f"WHERE NOT EXISTS (SELECT 1 FROM {MATCH} m WHERE m.rn = s.rn)"
    )
    entity_columns = _columns(["key", *DATA_COLUMNS, "fingerprint", "updated_at"])
    history_columns = (
        f"{_columns(['id', 'key', *DATA_COLUMNS])}, history_date, history_change_reason, "
        "history_type, history_user_id"
    )
    insert = (
        f"INSERT INTO {_q(ENTITY_TABLE)} ({entity_columns}) "
        f"SELECT n.key, {_columns(DATA_COLUMNS, 'n.')}, {_fingerprint(postgres, 'n')}, %s "
        f"FROM ({new}) n ORDER BY n.rn"
    )
    if postgres:
        cursor.execute(
            f"WITH ins AS ({insert} RETURNING {_columns(['id', 'key', *DATA_COLUMNS])}) "
            f"INSERT INTO {_q(HISTORY_TABLE)} ({history_columns}) "
            f"SELECT {_columns(['id', 'key', *DATA_COLUMNS], 'ins.')}, %s, %s, '+', %s "
            "FROM ins ORDER BY ins.id",
            [now, now, reason, actor_id],
        )
        return cursor.rowcount
    cursor.execute(insert, [now])
    created = cursor.rowcount
    if created:
        cursor.execute(
            f"INSERT INTO {_q(HISTORY_TABLE)} ({history_columns}) "
            f"SELECT {_columns(['id', 'key', *DATA_COLUMNS], 'e.')}, %s, %s, '+', %s "
            f"FROM {STAGE} s JOIN {_q(ENTITY_TABLE)} e ON e.{_q('key')} = s.key "
            f"WHERE NOT EXISTS (SELECT 1 FROM {MATCH} m WHERE m.rn = s.rn) ORDER BY e.id",
            [now, reason, actor_id],
        )
    return created


def _link(cursor, postgres: bool) -> None:
    if postgres:
        ids = "jsonb_array_elements_text(s.departments::jsonb) AS d(v)"
        department = "d.v::bigint"
    else:
        ids = "json_each(s.departments) AS d"
        department = "d.value"
    cursor.execute(
        f"INSERT INTO {_q(LINK_TABLE)} (marketentity_id, department_id) "
        f"SELECT DISTINCT e.id, {department} FROM {STAGE} s "
        f"JOIN {_q(ENTITY_TABLE)} e ON e.{_q('key')} = s.key, {ids} "
        "WHERE s.departments IS NOT NULL ON CONFLICT DO NOTHING"
    )
