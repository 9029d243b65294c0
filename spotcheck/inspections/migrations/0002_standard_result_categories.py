from django.db import migrations

# The national result categories (检查结果) used when results are published.
# (code, name, problem_found, visit_not_possible, proposes_abnormal_listing)
STANDARD = [
    ("no_problem", "未发现问题", False, False, False),
    ("corrected", "发现问题已责令改正", True, False, False),
    ("follow_up", "发现问题待后续处理", True, False, False),
    ("not_published", "未按规定公示应当公示的信息", True, False, True),
    ("falsified", "公示信息隐瞒真实情况、弄虚作假", True, False, True),
    ("unreachable", "通过登记的住所（经营场所）无法联系", False, True, True),
    ("uncooperative", "不配合检查情节严重", True, True, False),
    ("activity_not_found", "未发现开展本次抽查涉及的经营活动", False, False, False),
    ("closed", "已关闭停业或正在组织清算", False, True, False),
    ("deregistered", "注销", False, True, False),
    ("licence_revoked", "被吊销", False, True, False),
    ("registration_revoked", "被撤销", False, True, False),
    ("moved_out", "迁出", False, True, False),
]


def add(apps, schema_editor):
    category = apps.get_model("inspections", "ResultCategory")
    for order, (code, name, problem, not_possible, abnormal) in enumerate(STANDARD, start=1):
        category.objects.update_or_create(
            code=code,
            defaults={"name": name, "problem_found": problem, "visit_not_possible": not_possible,
                      "proposes_abnormal_listing": abnormal, "order": order},
        )


def remove(apps, schema_editor):
    apps.get_model("inspections", "ResultCategory").objects.filter(
        code__in=[row[0] for row in STANDARD], department=None
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
