"""Fewer per-row costs on the directory's biggest tables (issue 16: a province's first import).

- The department links' reference to the department, and the entity history's reference to the
  user who made the change, are checked once per statement by triggers instead of once per row
  by a foreign key (PostgreSQL; see ``common.references``).
- Indexes that another index already covers are dropped: the link table's single-column indexes
  (its unique (entity, department) and its (department, entity) index lead with those columns)
  and, on PostgreSQL, the history key's LIKE index (history is read by entity id, never by a key
  prefix).

Django's state still declares those two foreign keys: a later AlterField of either would add a
foreign key back beside the triggers (drop it again, or the triggers, in that migration)."""

from django.db import migrations

from spotcheck.common.references import Reference, install, uninstall

LINKS = "directory_marketentity_departments"
HISTORY = "directory_historicalmarketentity"
REFERENCES = [
    Reference("entity_link_department", LINKS, "department_id", "accounts_department"),
    Reference("entity_history_user", HISTORY, "history_user_id", "accounts_user"),
]
# (table, column, operator class): single-column indexes covered by wider ones
COVERED = [(LINKS, "department_id", None), (LINKS, "marketentity_id", None),
           (HISTORY, "key", "varchar_pattern_ops")]  # fmt: skip


def _covered_indexes(connection, cursor):
    found = []
    for table, column, opclass in COVERED:
        if opclass and connection.vendor != "postgresql":
            continue
        constraints = connection.introspection.get_constraints(cursor, table)
        for name, info in constraints.items():
            plain = info["index"] and not info["unique"] and not info["primary_key"]
            wanted = name.endswith("_like") if opclass else not name.endswith("_like")
            if plain and info["columns"] == [column] and wanted:
                found.append((name, table, column, opclass))
    return found


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for name, *_ in _covered_indexes(connection, cursor):
            cursor.execute(f'DROP INDEX "{name}"')
        if connection.vendor == "postgresql":
            for reference in REFERENCES:
                install(cursor, reference)


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for reference in REFERENCES:
                uninstall(cursor, reference)
        for table, column, opclass in COVERED:
            if opclass and connection.vendor != "postgresql":
                continue
            name = f"{table}_{column}_{'like' if opclass else 'idx'}"[:63]
            cursor.execute(f'CREATE INDEX "{name}" ON {table} ({column} {opclass or ""})')


class Migration(migrations.Migration):
    dependencies = [("directory", "0007_entity_link_department_index"),
                    ("accounts", "0007_alter_user_role")]  # fmt: skip

    operations = [migrations.RunPython(forwards, backwards)]
