"""A short digest of an entity's directory fields, so a re-import can tell "unchanged" cheaply.

Computed in Python by :func:`entity_fingerprint` (forms, services, factories) and inside the
database by the importer: :func:`register_sqlite_fingerprint` gives SQLite the same Python
function, and :func:`postgres_fingerprint_sql` is the same digest as a PostgreSQL expression
(the tests hold the two to the same answer).
"""

import json
from hashlib import sha256

FINGERPRINT_FIELDS = (
    "uscc",
    "registration_number",
    "name",
    "entity_type",
    "industry_code",
    "region_code",
    "address",
    "status",
    "credit_class",
    "abnormal_listed",
    "tags",
)
_TEXT_FIELDS = FINGERPRINT_FIELDS[:-2]  # the last two, abnormal_listed and tags, need shaping
SQL_FUNCTION = "spotcheck_entity_fingerprint"


def entity_fingerprint(values: dict) -> str:
    """SHA-256 (first 32 hex) of the fields joined by a unit separator; tags sorted.

    Called once per imported row, so written as one join rather than a loop over fields.
    """
    get = values.get
    parts = [str(get(field, "")) for field in _TEXT_FIELDS]
    parts.append("1" if get("abnormal_listed") else "0")
    parts.append(",".join(sorted(get("tags") or ())))
    return sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def _fingerprint_of_columns(*columns) -> str:
    """entity_fingerprint of a database row: FINGERPRINT_FIELDS in order, tags as JSON text."""
    *texts, abnormal, tags = columns
    parts = [str(text) for text in texts]
    parts.append("1" if abnormal else "0")
    parts.append("" if tags in (None, "[]") else ",".join(sorted(json.loads(tags) or ())))
    return sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def register_sqlite_fingerprint(sqlite_connection) -> None:
    """SQL function spotcheck_entity_fingerprint(<FINGERPRINT_FIELDS>) on a sqlite3 connection."""
    sqlite_connection.create_function(
        SQL_FUNCTION, len(FINGERPRINT_FIELDS), _fingerprint_of_columns, deterministic=True
    )


def postgres_fingerprint_sql(alias: str) -> str:
    """The fingerprint of the row ``alias`` (FINGERPRINT_FIELDS columns, tags jsonb) in SQL.

    Tags sort in code-point order (``COLLATE "C"`` on UTF-8), as Python's ``sorted`` does.
    """
    texts = ", ".join(f"{alias}.{field}::text" for field in _TEXT_FIELDS)
    abnormal = f"CASE WHEN {alias}.abnormal_listed THEN '1' ELSE '0' END"
    tags = (
        f"CASE WHEN {alias}.tags IS NULL OR jsonb_typeof({alias}.tags) <> 'array' "
        f"OR {alias}.tags = '[]'::jsonb THEN '' ELSE (SELECT string_agg(v, ',' "
        f'ORDER BY v COLLATE "C") FROM jsonb_array_elements_text({alias}.tags) AS t(v)) END'
    )
    joined = f"concat_ws(E'\\x1f', {texts}, {abnormal}, COALESCE({tags}, ''))"
    return f"left(encode(sha256(convert_to({joined}, 'UTF8')), 'hex'), 32)"
