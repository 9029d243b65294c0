"""Name-fragment search in the directory (LIKE '%…%') uses a trigram index on PostgreSQL: at a
province's million entities a scan takes half a second. The pg_trgm extension comes from the
publication app's migration; SQLite scans, which is fine at a district's size."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS directory_entity_name_trgm "
        "ON directory_marketentity USING gin (name gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS directory_entity_name_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0005_entity_established_on"),
        ("publication", "0004_trigram_search"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
