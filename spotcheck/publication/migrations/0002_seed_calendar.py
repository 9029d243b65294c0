"""Every year `chinesecalendar` knows (holidays and weekend days made working days) goes into
the calendar table, so deadlines work on first start; later years come from the office."""

from django.db import migrations


def seed(apps, schema_editor):
    from spotcheck.publication.seeding import seed_years

    seed_years(apps.get_model("publication", "CalendarYear"), apps.get_model("publication", "CalendarDay"))


class Migration(migrations.Migration):
    dependencies = [("publication", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
