"""Raw bulk writes for million-row imports: PostgreSQL COPY, SQLite executemany."""

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime

from django.db import connection


def _quoted(names: Sequence[str]) -> str:
    return ", ".join(connection.ops.quote_name(name) for name in names)


def bulk_insert(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            sql = f"COPY {connection.ops.quote_name(table)} ({_quoted(columns)}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
        return
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {connection.ops.quote_name(table)} ({_quoted(columns)}) VALUES ({placeholders})"
    with connection.cursor() as cursor:
        cursor.executemany(sql, list(rows))


def bulk_insert_ignoring_duplicates(
    table: str, columns: Sequence[str], rows: Sequence[Sequence]
) -> None:
    """Insert rows that are not there yet (e.g. many-to-many links); duplicates are skipped."""
    if not rows:
        return
    placeholders = ", ".join(["%s"] * len(columns))
    sql = (
        f"INSERT INTO {connection.ops.quote_name(table)} ({_quoted(columns)}) "
        f"VALUES ({placeholders}) ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def bulk_update_by_id(table: str, columns: Sequence[str], rows: Sequence[Sequence]) -> None:
    """Each row is (*values, id)."""
    if not rows:
        return
    assignments = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in columns)
    sql = f"UPDATE {connection.ops.quote_name(table)} SET {assignments} WHERE id = %s"
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _where_key_in(keys: Sequence[str]) -> Iterator[tuple[str, list]]:
    """(condition, params) pairs that together select the rows with `keys`.

    On PostgreSQL one comma-joined string: psycopg dumps an array parameter element by element
    in Python, which costs more than the query (keys are USCCs or registration numbers, never
    commas). On SQLite, batches of placeholders under its parameter limit.
    """
    key = connection.ops.quote_name("key")
    if connection.vendor == "postgresql":
        yield f"{key} = ANY(string_to_array(%s, ','))", [",".join(keys)]
        return
    for start in range(0, len(keys), 5000):
        batch = list(keys[start : start + 5000])
        yield f"{key} IN ({', '.join(['%s'] * len(batch))})", batch


def keys_to_ids(table: str, keys: Sequence[str]) -> dict[str, int]:
    """key -> id of the rows of `table` with those keys.

    Plain SQL because it runs on every 5,000-row chunk and the ORM's ``key__in`` spends more
    time preparing 5,000 parameters than the database spends answering.
    """
    found: dict[str, int] = {}
    key = connection.ops.quote_name("key")
    with connection.cursor() as cursor:
        for condition, params in _where_key_in(keys):
            cursor.execute(
                f"SELECT {key}, id FROM {connection.ops.quote_name(table)} WHERE {condition}",
                params,
            )
            found.update(cursor.fetchall())
    return found


def insert_select_by_key(
    target: str, source: str, columns: Sequence[str], constants: dict, keys: Sequence[str]
) -> None:
    """INSERT INTO target (columns, *constants) SELECT columns, *constant values FROM source
    for the rows with `keys`, in id order: the database copies rows it already has (history
    rows of just-inserted entities) instead of the client sending them a second time."""
    names = _quoted([*columns, *constants])
    selected = ", ".join([_quoted(columns), *["%s"] * len(constants)])
    with connection.cursor() as cursor:
        for condition, params in _where_key_in(keys):
            cursor.execute(
                f"INSERT INTO {connection.ops.quote_name(target)} ({names}) "
                f"SELECT {selected} FROM {connection.ops.quote_name(source)} "
                f"WHERE {condition} ORDER BY id",
                [*constants.values(), *params],
            )


def db_datetime(value: datetime) -> datetime | str:
    """`value` as the driver would send it. SQLite's adapter (Django's ``adapt_datetime``)
    formats every datetime parameter; doing it once per chunk saves a call per row."""
    return value.isoformat(" ") if connection.vendor == "sqlite" else value
