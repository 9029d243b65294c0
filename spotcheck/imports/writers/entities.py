"""Upsert validated entity rows set-wise, a chunk (a polars DataFrame in
``entity_frame.VALID_SCHEMA`` plus ``id``) at a time, inside the caller's transaction.

Rows whose key is already stored (``id`` not null, asked once per file by :func:`mark_known`) are
staged in a temporary table (PostgreSQL: one COPY; SQLite: executemany), matched and merged with
the stored values (a null staged value keeps the stored one) with both fingerprints computed in
the database; the changed ones are updated and get a '~' history row; department links are added
(duplicates skipped). A restricted (non-owner department's) import changes and links no stored
row: it reports the ones it could not apply.

Rows with new keys get their ids from the table's sequence first (file order), defaults and
fingerprints filled in here, and are written straight into the entity table (COPY or
executemany); the database copies their '+' history rows from the rows just written.

:func:`import_session` wraps the whole import: session settings, and for a large first load the
secondary indexes of the entity and history tables dropped and rebuilt at the end.
"""

from __future__ import annotations

import io
import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from hashlib import sha256

import polars as pl
from django.db import connection
from django.utils import timezone

from spotcheck.directory.fingerprint import (
    FINGERPRINT_FIELDS,
    SQL_FUNCTION,
    postgres_fingerprint_sql,
    register_sqlite_fingerprint,
)
from spotcheck.directory.models import CreditClass, EntityStatus, EntityType, MarketEntity

from ..bulk import db_datetime
from ..validators.entity_frame import VALID_SCHEMA, tags_json

ENTITY_TABLE = MarketEntity._meta.db_table
HISTORY_TABLE = MarketEntity.history.model._meta.db_table
LINK_TABLE = MarketEntity.departments.through._meta.db_table
DATA_COLUMNS = list(FINGERPRINT_FIELDS)
STAGE = "spotcheck_import_stage"
MATCH = "spotcheck_import_match"
KEYS = "spotcheck_import_keys"
IDS = "spotcheck_import_ids"
STAGE_COLUMNS = ["rn", "id", *DATA_COLUMNS, "departments"]
ENTITY_COLUMNS = ["id", "key", *DATA_COLUMNS, "fingerprint", "updated_at"]
LINK_COLUMNS = ["marketentity_id", "department_id"]
_ESCAPED = ("name", "address", "tags")  # free text: may hold \ tab CR LF


@dataclass
class ChunkCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # A restricted import's stored rows it may not apply: (row number, key, linked to the
    # importing department already). Their values and links are left as they were.
    refused: list[tuple[int, str, bool]] = field(default_factory=list)


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _columns(names, prefix: str = "") -> str:
    return ", ".join(f"{prefix}{_q(n)}" for n in names)


def frame_of_entity_rows(rows) -> pl.DataFrame:
    """A list of validated ``EntityRow`` (the demo loader's input) as a chunk frame."""
    columns: dict[str, list] = {name: [] for name in VALID_SCHEMA}
    for number, row in enumerate(rows, start=1):
        values = row.values
        columns["_row"].append(number)
        columns["key"].append(row.key)
        for name in DATA_COLUMNS[:-2]:
            value = values.get(name)
            columns[name].append(None if value is None else str(value))
        abnormal = values.get("abnormal_listed")
        columns["abnormal_listed"].append(None if abnormal is None else bool(abnormal))
        tags = values.get("tags")
        columns["tags"].append(None if tags is None else tags_json(list(tags)))
        departments = sorted(set(row.departments))
        columns["departments"].append(json.dumps(departments) if departments else None)
    return pl.DataFrame(columns, schema=VALID_SCHEMA)


def write_entity_chunk(
    rows: pl.DataFrame | list,
    *,
    actor_id: int | None,
    reason: str,
    department_id: int | None,
    restricted: bool = False,
    now=None,
    new: NewRows | None = None,
) -> ChunkCounts:
    """Insert new keys, update changed ones, leave identical ones alone. Caller holds the
    transaction; keys are unique within ``rows``.

    A ``restricted`` import (a department that does not own the shared record, see
    ``directory.ownership``) only creates entities: a stored row that differs from the file, or
    that the department does not already supervise, is refused (``ChunkCounts.refused``), never
    changed nor linked, so the import opens no entity to the importer.

    ``new`` is the chunk's new rows made ready ahead (:func:`prepare_chunk`, with ``now`` the
    time it stamped them, as the driver takes it: ``bulk.db_datetime``); without it they are
    made ready here."""
    if not isinstance(rows, pl.DataFrame):
        rows = frame_of_entity_rows(rows)
    postgres = connection.vendor == "postgresql"
    now = now if now is not None else db_datetime(timezone.now())
    if "id" not in rows.columns:
        rows = mark_known(rows)
    if new is None and rows["id"].null_count():
        if "new_id" not in rows.columns:
            rows = assign_new_ids(rows)
        new = prepare_chunk(rows, now, postgres)
    with connection.cursor() as cursor:
        if not postgres:
            register_sqlite_fingerprint(connection.connection)
        # rows already stored go through the stage; new ones are written straight in
        stored = pl.col("id").is_not_null()
        counts = _merge_known(
            cursor, rows.filter(stored), postgres, now, reason, actor_id, department_id, restricted
        )
        if new is not None:
            counts.created = _write_new(cursor, new, postgres, now, reason, actor_id)
    return counts


def _merge_known(
    cursor, rows, postgres, now, reason, actor_id, department_id, restricted
) -> ChunkCounts:
    counts = ChunkCounts()
    if not rows.height:
        return counts
    if postgres:
        _stage_postgres(cursor, rows)
    else:
        _stage_sqlite(cursor, rows)
    _match(cursor, postgres, department_id, restricted)
    counts.updated = _update_changed(cursor, postgres, now, reason, actor_id)
    if restricted:
        cursor.execute(
            f"SELECT m.rn, m.{_q('key')}, m.linked FROM {MATCH} m "
            "WHERE NOT m.linked OR m.fp <> m.old_fp ORDER BY m.rn"
        )
        counts.refused = [(rn, key, bool(linked)) for rn, key, linked in cursor.fetchall()]
    cursor.execute(f"SELECT count(*) FROM {MATCH}")
    counts.unchanged = cursor.fetchone()[0] - counts.updated - len(counts.refused)
    if not restricted and rows["departments"].null_count() < rows.height:
        _link(cursor, postgres)
    return counts


def drop_staging() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        cursor.execute(f"DROP TABLE IF EXISTS {MATCH}")


def directory_is_empty() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {_q(ENTITY_TABLE)} LIMIT 1")
        return cursor.fetchone() is None


def mark_known(rows: pl.DataFrame, empty: bool | None = None) -> pl.DataFrame:
    """``rows`` with ``id``: the stored entity's id, null for a new key. Keys are unique in a
    file, so a slice never matches rows written for an earlier slice of it: ``empty``, the
    directory was empty when the file's import began (asked once), skips the look-up. Later
    statements find stored rows by id, so a bulk load needs no index on the key."""
    keys = rows["key"]
    found: list[tuple[str, int]] = []
    with connection.cursor() as cursor:
        if empty is None:
            empty = directory_is_empty()
        if not empty and len(keys):
            if connection.vendor == "postgresql":
                cursor.execute(f"CREATE TEMP TABLE {KEYS} (key text)")
                _copy(cursor, KEYS, ["key"], memoryview("\n".join(keys.to_list()).encode()))
                cursor.execute(f"ANALYZE {KEYS}")
            else:
                cursor.execute(f"CREATE TEMP TABLE {KEYS} (key text)")
                connection.connection.executemany(
                    f"INSERT INTO {KEYS} VALUES (?)", ((k,) for k in keys.to_list())
                )
            cursor.execute(
                f"SELECT k.key, e.id FROM {KEYS} k "
                f"JOIN {_q(ENTITY_TABLE)} e ON e.{_q('key')} = k.key"
            )
            found = cursor.fetchall()
            cursor.execute(f"DROP TABLE {KEYS}")
    ids = pl.DataFrame(found, schema={"key": pl.String, "id": pl.Int64}, orient="row")
    return rows.join(ids, on="key", how="left", maintain_order="left")


# ------------------------------------------------------------------ staging
def _stage_postgres(cursor, rows: pl.DataFrame) -> None:
    cursor.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {STAGE} (rn bigint, id bigint, uscc text, "
        "registration_number text, name text, entity_type text, industry_code text, "
        "region_code text, address text, status text, credit_class text, "
        "abnormal_listed boolean, tags text, departments text)"
    )
    cursor.execute(f"TRUNCATE {STAGE}")
    _copy(
        cursor, STAGE, STAGE_COLUMNS, _copy_text(rows.rename({"_row": "rn"}).select(STAGE_COLUMNS))
    )


def _stage_sqlite(cursor, rows: pl.DataFrame) -> None:
    cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {STAGE} ({', '.join(STAGE_COLUMNS)})")
    cursor.execute(f"DELETE FROM {STAGE}")
    placeholders = ", ".join(["?"] * len(STAGE_COLUMNS))
    connection.connection.executemany(
        f"INSERT INTO {STAGE} VALUES ({placeholders})",
        rows.rename({"_row": "rn"}).select(STAGE_COLUMNS).iter_rows(),
    )


# ------------------------------------------------------------------ new rows
PY_DEFAULTS = {
    "uscc": "", "registration_number": "", "name": "", "entity_type": EntityType.OTHER.value,
    "industry_code": "", "region_code": "", "address": "", "status": EntityStatus.OPERATING.value,
    "credit_class": CreditClass.B.value, "abnormal_listed": False, "tags": "[]",
}  # fmt: skip


def fingerprints(frame: pl.DataFrame) -> pl.Series:
    """entity_fingerprint of each row of a frame holding every DATA_COLUMNS (tags as JSON)."""
    tags = (
        pl.when(pl.col("tags") == "[]")
        .then(pl.lit(""))
        .otherwise(pl.col("tags").str.json_decode(pl.List(pl.String)).list.sort().list.join(","))
    )
    abnormal = pl.when(pl.col("abnormal_listed")).then(pl.lit("1")).otherwise(pl.lit("0"))
    joined = pl.concat_str([*(pl.col(c) for c in DATA_COLUMNS[:-2]), abnormal, tags],
                           separator="\x1f")  # fmt: skip
    texts = frame.select(joined).to_series().cast(pl.Binary).to_list()  # UTF-8, encoded by polars
    return pl.Series("fingerprint", [sha256(t).hexdigest()[:32] for t in texts])


@dataclass
class NewRows:
    """A chunk's rows with new keys, ready to write: ids drawn, defaults and fingerprints filled
    in, and the entity and link rows as COPY payloads (PostgreSQL) or frames (SQLite)."""

    first: int
    last: int
    ids: pl.Series
    count: int
    entities: memoryview | pl.DataFrame
    links: memoryview | pl.DataFrame | None


def assign_new_ids(rows: pl.DataFrame) -> pl.DataFrame:
    """``rows`` (after :func:`mark_known`) with ``new_id``: for each new key an id drawn now
    from the entity table's sequence, in file order; null for stored keys. Drawn once for the
    whole file, so that each chunk's rows can be made ready to write ahead of the database."""
    count = rows["id"].null_count()
    if not count:
        return rows.with_columns(pl.lit(None, dtype=pl.Int64).alias("new_id"))
    drawn = _draw_ids if connection.vendor == "postgresql" else _next_ids
    with connection.cursor() as cursor:
        ids = drawn(cursor, count)[2]
    positions = rows.select(pl.arg_where(pl.col("id").is_null())).to_series()
    new_id = pl.Series("new_id", [None] * rows.height, dtype=pl.Int64).scatter(positions, ids)
    return rows.with_columns(new_id)


def prepare_chunk(rows: pl.DataFrame, now, postgres: bool) -> NewRows | None:
    """The part of writing a chunk that needs no database, for its new keys (ids from
    :func:`assign_new_ids`). The import runs it one chunk ahead in a thread, while the database
    works on the chunk before."""
    new = rows.filter(pl.col("id").is_null())
    if not new.height:
        return None
    filled = new.with_columns(
        pl.col("new_id").alias("id"), *(pl.col(c).fill_null(v) for c, v in PY_DEFAULTS.items())
    )
    filled = filled.with_columns(fingerprints(filled))
    stamp = now.isoformat() if postgres else now
    entities = filled.select("id", "key", *DATA_COLUMNS, "fingerprint",
                             pl.lit(stamp).alias("updated_at"))  # fmt: skip
    links = (
        filled.filter(pl.col("departments").is_not_null())
        .select(
            pl.col("id").alias("marketentity_id"),
            pl.col("departments").str.json_decode(pl.List(pl.Int64)).alias("department_id"),
        )
        .explode("department_id")
        .drop_nulls()
    )
    ids = filled["id"]
    return NewRows(
        first=ids[0],
        last=ids[-1],
        ids=ids,
        count=filled.height,
        entities=_copy_text(entities) if postgres else entities,
        links=None if not links.height else _copy_text(links) if postgres else links,
    )


def _copy_text(frame: pl.DataFrame, escaped=_ESCAPED) -> memoryview:
    """PostgreSQL COPY text format: tab-separated, \\N for null, \\ \\t \\n \\r escaped."""
    special = [name for name in escaped if name in frame.columns]
    if special:  # most chunks have no backslash, tab or line break at all: skip the rewrites
        found = frame.select(pl.col(special).str.contains(r"[\\\t\n\r]").any())
        special = [name for name, hit in zip(special, found.row(0), strict=True) if hit]
    escape = [
        pl.col(name)
        .str.replace_all("\\", "\\\\", literal=True)
        .str.replace_all("\t", "\\t", literal=True)
        .str.replace_all("\n", "\\n", literal=True)
        .str.replace_all("\r", "\\r", literal=True)
        for name in special
    ]
    text = io.BytesIO()  # bytes straight from polars: no str built and encoded again
    frame.with_columns(escape).write_csv(
        text, separator="\t", include_header=False, quote_style="never", null_value="\\N"
    )
    return text.getbuffer()


def _copy(cursor, table: str, columns: list[str], data: memoryview) -> None:
    with cursor.cursor.copy(f"COPY {_q(table)} ({_columns(columns)}) FROM STDIN") as copy:
        for start in range(0, len(data), 1 << 20):
            copy.write(data[start : start + (1 << 20)])


def _draw_ids(cursor, count: int) -> tuple[int, int, pl.Series]:
    """``count`` ids from the entity table's sequence, increasing: (first, last, ids).

    While the import holds the table's exclusive lock (a bulk load), nobody else inserts, so a
    block is taken with one setval; otherwise each id is drawn with nextval."""
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [ENTITY_TABLE])
    sequence = cursor.fetchone()[0]
    cursor.execute(
        "SELECT 1 FROM pg_locks WHERE pid = pg_backend_pid() AND granted "
        "AND mode = 'AccessExclusiveLock' AND relation = %s::regclass",
        [ENTITY_TABLE],
    )
    if cursor.fetchone() is not None:
        cursor.execute("SELECT setval(%s, nextval(%s) + %s - 1)", [sequence, sequence, count])
        last = cursor.fetchone()[0]
        ids = pl.int_range(last - count + 1, last + 1, dtype=pl.Int64, eager=True)
        return last - count + 1, last, ids
    literal = sequence.replace("'", "''")
    draw = f"COPY (SELECT nextval('{literal}') FROM generate_series(1, {count})) TO STDOUT"
    with cursor.cursor.copy(draw) as copy:
        drawn = b"".join(bytes(block) for block in copy)
    ids = pl.read_csv(drawn, has_header=False, schema={"id": pl.Int64})["id"]
    return ids[0], ids[-1], ids


def _write_new(cursor, new: NewRows, postgres: bool, now, reason: str, actor_id) -> int:
    """Rows with new keys, made ready by :func:`prepare_chunk`: written with COPY (PostgreSQL)
    or executemany (SQLite); their '+' history rows are copied by the database from the rows
    just written; then their department links."""
    _write(cursor, postgres, ENTITY_TABLE, ENTITY_COLUMNS, new.entities)
    spread = "" if new.last - new.first + 1 == new.count else f" AND id IN (SELECT id FROM {IDS})"
    if spread:  # only PostgreSQL draws ids that may have gaps
        cursor.execute(f"CREATE TEMP TABLE {IDS} (id bigint)")
        _copy(cursor, IDS, ["id"], _copy_text(new.ids.to_frame("id"), ()))
    cursor.execute(
        f"INSERT INTO {_q(HISTORY_TABLE)} ({_columns(['id', 'key', *DATA_COLUMNS])}, "
        "history_date, history_change_reason, history_type, history_user_id) "
        f"SELECT {_columns(['id', 'key', *DATA_COLUMNS])}, %s, %s, '+', %s "
        f"FROM {_q(ENTITY_TABLE)} WHERE id BETWEEN %s AND %s{spread} ORDER BY id",
        [now, reason, actor_id, new.first, new.last],
    )
    if spread:
        cursor.execute(f"DROP TABLE {IDS}")
    if new.links is not None:
        _write(cursor, postgres, LINK_TABLE, LINK_COLUMNS, new.links)
    return new.count


def _write(cursor, postgres: bool, table: str, columns: list[str], rows) -> None:
    """COPY text (PostgreSQL) or a frame's rows (SQLite) into ``columns`` of ``table``."""
    if postgres:
        _copy(cursor, table, columns, rows)
        return
    placeholders = ", ".join(["?"] * len(columns))
    connection.connection.executemany(
        f"INSERT INTO {_q(table)} ({_columns(columns)}) VALUES ({placeholders})",
        rows.iter_rows(),
    )


def _next_ids(cursor, count: int) -> tuple[int, int, pl.Series]:
    """SQLite: the next ``count`` ids (the import's write transaction excludes other writers)."""
    cursor.execute(
        f"SELECT max(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "
        f"COALESCE((SELECT max(id) FROM {_q(ENTITY_TABLE)}), 0))",
        [ENTITY_TABLE],
    )
    first = cursor.fetchone()[0] + 1
    last = first + count - 1
    return first, last, pl.int_range(first, last + 1, dtype=pl.Int64, eager=True)


# ------------------------------------------------------------------ set-wise upsert
def _fingerprint(postgres: bool, alias: str) -> str:
    if postgres:
        return postgres_fingerprint_sql(alias)
    return f"{SQL_FUNCTION}({_columns(DATA_COLUMNS, f'{alias}.')})"


def _cast(postgres: bool, column: str) -> str:
    """Tags are staged as JSON text (COPY parses text faster than jsonb)."""
    return "::jsonb" if postgres and column == "tags" else ""


def _match(cursor, postgres: bool, department_id: int | None, restricted: bool) -> None:
    """MATCH: the chunk's rows that exist, merged with the stored values, with both fingerprints;
    ``ro`` marks the rows the import may not change, ``linked`` those the importing department
    supervises already."""
    merged = [  # a file row always gives uscc, registration_number, name and entity_type
        f"COALESCE(s.{_q(c)}{_cast(postgres, c)}, e.{_q(c)}) AS {_q(c)}" for c in DATA_COLUMNS
    ]
    if department_id is None:
        linked = "1 = 1"
    else:
        linked = (
            f"EXISTS (SELECT 1 FROM {_q(LINK_TABLE)} l WHERE l.marketentity_id = e.id "
            f"AND l.department_id = {int(department_id)})"
        )
    read_only = "1 = 1" if restricted else "0 = 1"
    select = (
        f"SELECT q.*, {_fingerprint(postgres, 'q')} AS fp FROM ("
        f"SELECT s.rn, e.id, e.{_q('key')}, {', '.join(merged)}, e.fingerprint AS old_fp, "
        f"({read_only}) AS ro, ({linked}) AS linked "
        f"FROM {STAGE} s JOIN {_q(ENTITY_TABLE)} e ON e.id = s.id) q"
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


def _link(cursor, postgres: bool) -> None:
    if postgres:
        ids = "jsonb_array_elements_text(s.departments::jsonb) AS d(v)"
        department = "d.v::bigint"
    else:
        ids = "json_each(s.departments) AS d"
        department = "d.value"
    # Only the missing links: set-based, and correct while a bulk load has dropped the
    # table's unique constraint (ON CONFLICT then has nothing to conflict with).
    cursor.execute(
        f"INSERT INTO {_q(LINK_TABLE)} (marketentity_id, department_id) "
        f"SELECT DISTINCT s.id, {department} FROM {STAGE} s, {ids} "
        f"WHERE s.departments IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {_q(LINK_TABLE)} l "
        f"WHERE l.marketentity_id = s.id AND l.department_id = {department}) "
        "ON CONFLICT DO NOTHING"
    )


# ------------------------------------------------------------------ the import as a whole
#: A PostgreSQL import of at least this many valid rows (estimated from its first slice) into
#: a table with fewer than half as many rows drops the secondary indexes of the entity, history
#: and link tables (the key's and the links' unique constraints, and the links' foreign key to
#: the entities, too) and rebuilds them at the end (one sort each instead of ~10 random index
#: insertions per row). DROP INDEX locks the tables (ACCESS EXCLUSIVE) until the import
#: commits: readers of the directory wait for a large first-time load, which is the trade-off
#: taken; everything is still one transaction.
BULK_LOAD_MIN_ROWS = 100_000


@contextmanager
def import_session(rows: int):
    """Session settings for the import's transaction, and the bulk-load index handling above."""
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgres:  # SET LOCAL: reverts when the import's transaction ends
            cursor.execute("SET LOCAL jit = off")  # compiling costs more than it saves here
            cursor.execute("SET LOCAL work_mem = '64MB'")
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        else:
            cursor.execute("PRAGMA cache_size")
            cache_size = cursor.fetchone()[0]
            cursor.execute("PRAGMA cache_size = -262144")  # 256 MiB of page cache
        dropped = []
        if rows >= BULK_LOAD_MIN_ROWS and _row_count_below(cursor, rows // 2):
            dropped = _drop_secondary_indexes(cursor, [ENTITY_TABLE, HISTORY_TABLE, LINK_TABLE])
    try:
        yield
        if dropped:
            with connection.cursor() as cursor:
                if postgres:  # CREATE INDEX refuses a table with queued deferred FK checks
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                for definition in dropped:
                    cursor.execute(definition)
    finally:
        if not postgres:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")


def _row_count_below(cursor, limit: int) -> bool:
    cursor.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM {_q(ENTITY_TABLE)} LIMIT %s) AS head", [limit]
    )
    return cursor.fetchone()[0] < limit


def _drop_secondary_indexes(cursor, tables: list[str]) -> list[str]:
    """Drop the indexes that back no constraint (PostgreSQL: and the unique constraints no
    foreign key uses); return the statements that rebuild them."""
    if connection.vendor != "postgresql":
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({', '.join(['%s'] * len(tables))}) "
            "AND upper(sql) NOT LIKE 'CREATE UNIQUE%%' ORDER BY name",
            tables,
        )
        found = cursor.fetchall()
        for name, _ in found:
            cursor.execute(f"DROP INDEX {_q(name)}")
        return [definition for _, definition in found]
    # Unique constraints too (the entity key): rows are found by id during the load, keys are
    # unique within the file, and re-adding the constraint checks the whole table once.
    cursor.execute(
        "SELECT format('ALTER TABLE %%s DROP CONSTRAINT %%I', c.conrelid::regclass, c.conname), "
        "format('ALTER TABLE %%s ADD CONSTRAINT %%I %%s', c.conrelid::regclass, c.conname, "
        "pg_get_constraintdef(c.oid)) FROM pg_constraint c "
        "WHERE c.conrelid = ANY(%s::regclass[]) AND c.contype = 'u' AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = c.conindid) "
        "UNION ALL SELECT format('DROP INDEX %%s', i.oid::regclass), pg_get_indexdef(i.oid) "
        "FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
        "WHERE x.indrelid = ANY(%s::regclass[]) "
        "AND NOT x.indisprimary AND NOT x.indisunique AND x.indisvalid "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) "
        "ORDER BY 1",
        [tables, tables],
    )
    found = cursor.fetchall()
    # The links' foreign key to the entity table, checked once by re-adding it rather than per
    # link at commit; the key to the departments stays (dropping it would lock that table).
    # ALTER TABLE refuses a table with queued deferred checks: those run now.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    cursor.execute(
        "SELECT format('ALTER TABLE %%s DROP CONSTRAINT %%I', c.conrelid::regclass, c.conname), "
        "format('ALTER TABLE %%s ADD CONSTRAINT %%I %%s', c.conrelid::regclass, c.conname, "
        "pg_get_constraintdef(c.oid)) FROM pg_constraint c WHERE c.contype = 'f' "
        "AND c.conrelid = %s::regclass AND c.confrelid = %s::regclass",
        [LINK_TABLE, ENTITY_TABLE],
    )
    found += cursor.fetchall()
    for drop, _ in found:
        cursor.execute(drop)
    return [create for _, create in found]
