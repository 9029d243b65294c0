"""Name-fragment search on the portal (LIKE '%…%') uses a trigram index on PostgreSQL; SQLite
scans, which is fine at a district's size."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS publication_record_name_trgm "
        "ON publication_publicrecord USING gin (entity_name gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS publication_record_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("publication", "0003_disclosureexemption_publicationreminder_publicrecord")]

    operations = [migrations.RunPython(forwards, backwards)]
