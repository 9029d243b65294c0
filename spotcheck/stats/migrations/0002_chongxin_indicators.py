"""Chongxin county's assessment table (崇信县全面推行“双随机、一公开”监督工作考评标准), the
default; the seed gives no weights, these sum to 100 and are data a district edits."""

from django.db import migrations

# (number, category, name, content, weight, method, measure)
INDICATORS = [
    (1, "组织领导", "组织领导", "有健全的“双随机、一公开”监管工作组织机构。", 5, "evidence", ""),
    (2, "组织领导", "宣传活动", "采取各种形式，运用多种渠道，开展宣传工作，有相关宣传资料。", 5, "evidence", ""),
    (3, "组织领导", "人员培训", "加强执法人员业务培训，有相关培训计划等资料。", 5, "evidence", ""),
    (4, "组织领导", "经费投入", "有必要的经费保障，有会议研究记录和相关凭证。", 5, "evidence", ""),
    (5, "“一单两库”建设", "市场主体名录库", "建立了本部门双随机市场主体名录库。", 8, "data", "entity_directory"),
    (6, "“一单两库”建设", "执法检查人员名录库", "建立了本部门执法检查人员名录库。", 8, "data", "inspector_directory"),
    (7, "“一单两库”建设", "抽查事项清单库", "依照法律法规规章的规定，建立了本部门双随机抽查事项清单，通过国家企业信用信息公示系统向社会公示。", 8, "data", "item_list"),
    (8, "“一单两库”建设", "抽查工作计划任务库", "制定年度抽查工作计划，并依托国家企业信用信息公示系统向社会统一公示。", 8, "data", "plan_published"),
    (9, "“一单两库”建设", "抽查工作细则", "根据本部门实际，制定了相应的随机抽查工作细则。", 5, "evidence", ""),
    (10, "双随机抽查", "双随机抽查", "认真组织开展双随机抽查工作，没有随意增加或减少检查次数。", 12, "data", "drawn_as_planned"),
    (11, "双随机抽查", "跨部门联查", "牵头或配合其他政府部门开展联合抽查。", 8, "data", "joint_checks"),
    (12, "结果公示与运用", "抽查结果公示", "按照“谁检查、谁录入、谁公示”的原则，在抽查结束之日起20个工作日内向社会进行公示，并将抽查结果归集于企业名下。", 12, "data", "published_on_time"),
    (13, "结果公示与运用", "检查结果运用", "强化抽查结果运用，注重分析研判和后续监管，建立问题线索转办机制。", 8, "data", "results_used"),
    (14, "日常监管", "其他检查", "除完成双随机年度抽查计划外，坚持问题导向，开展专项整治和有针对性的监管。", 3, "evidence", ""),
]


def add(apps, schema_editor):
    Indicator = apps.get_model("stats", "AssessmentIndicator")
    for number, category, name, content, weight, method, measure in INDICATORS:
        Indicator.objects.update_or_create(
            number=number,
            defaults={
                "category": category,
                "name": name,
                "content": content,
                "weight": weight,
                "method": method,
                "measure": measure,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("stats", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
