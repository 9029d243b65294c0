from django.db import migrations, models

# Which standard categories stand alone, which exclude each other, which need a finding or a
# measure. A no-problem result cannot also report a problem; a deregistered or moved-out firm
# has no other result; an order to correct (责令改正) must say what was ordered.
STANDS_ALONE = [
    "no_problem",
    "unreachable",
    "activity_not_found",
    "closed",
    "deregistered",
    "licence_revoked",
    "registration_revoked",
    "moved_out",
]
DISPOSAL = ["corrected", "follow_up"]  # corrected on the spot, or handled later: one of them
NEEDS_FINDING = ["corrected", "follow_up", "not_published", "falsified", "uncooperative"]
NEEDS_MEASURE = ["corrected"]


def add_rules(apps, schema_editor):
    category = apps.get_model("inspections", "ResultCategory")
    standard = category.objects.filter(department=None)
    standard.filter(code__in=STANDS_ALONE).update(stands_alone=True)
    standard.filter(code__in=DISPOSAL).update(exclusive_group="disposal")
    standard.filter(code__in=NEEDS_FINDING).update(needs_finding=True)
    standard.filter(code__in=NEEDS_MEASURE).update(needs_measure=True)


class Migration(migrations.Migration):
    dependencies = [("inspections", "0002_standard_result_categories")]
    operations = [
        migrations.AddField(
            model_name="resultcategory",
            name="stands_alone",
            field=models.BooleanField(default=False, verbose_name="不得与其他类别同时选择"),
        ),
        migrations.AddField(
            model_name="resultcategory",
            name="exclusive_group",
            field=models.CharField(
                blank=True, max_length=32, verbose_name="互斥组（同组只能选一项）"
            ),
        ),
        migrations.AddField(
            model_name="resultcategory",
            name="needs_finding",
            field=models.BooleanField(default=False, verbose_name="须填写检查情况"),
        ),
        migrations.AddField(
            model_name="resultcategory",
            name="needs_measure",
            field=models.BooleanField(default=False, verbose_name="须填写处理措施"),
        ),
        migrations.RunPython(add_rules, migrations.RunPython.noop),
    ]
