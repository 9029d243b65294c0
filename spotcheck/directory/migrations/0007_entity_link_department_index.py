"""A department's entities are found from the link table by department first: with this index
the EXISTS of the entity list and the population reads only the index (an index-only scan of
the department's 150,000 links at a province instead of 150,000 heap fetches)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("directory", "0006_entity_name_trigram")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS directory_entity_link_department_entity "
            "ON directory_marketentity_departments (department_id, marketentity_id)",
            "DROP INDEX IF EXISTS directory_entity_link_department_entity",
        )
    ]
