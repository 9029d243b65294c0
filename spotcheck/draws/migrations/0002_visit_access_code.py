"""Every visit gets its own random access code; existing visits get one each (not one shared
default), so the column is added nullable, filled, then made unique and required."""

from django.db import migrations, models

import spotcheck.draws.models


def fill_codes(apps, schema_editor):
    Visit = apps.get_model("draws", "Visit")
    for visit in Visit.objects.filter(access_code__isnull=True).only("pk"):
        visit.access_code = spotcheck.draws.models.new_access_code()
        visit.save(update_fields=["access_code"])


class Migration(migrations.Migration):
    dependencies = [
        ("draws", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="visit",
            name="access_code",
            field=models.CharField(max_length=16, null=True, verbose_name="查询码"),
        ),
        migrations.RunPython(fill_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="visit",
            name="access_code",
            field=models.CharField(
                default=spotcheck.draws.models.new_access_code,
                max_length=16,
                unique=True,
                verbose_name="查询码",
            ),
        ),
    ]
