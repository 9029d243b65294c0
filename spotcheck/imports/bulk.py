"""Raw bulk writes for million-row imports: PostgreSQL COPY, SQLite executemany."""

from collections.abc import Iterable, Sequence

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
