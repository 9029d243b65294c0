"""Lüyuan district's yearly timetable (2021年绿园区“双随机、一公开”联合抽查监管工作实施方案,
四、工作安排 and 五、联合抽查工作步骤 (6)(8)), the default; another district edits the rows.
上旬/中旬 are days 1–10 / 11–20, 初 days 1–10, 末 from day 21."""

from django.db import migrations

# (order, name, responsible, start (month, day), end (month, day), measure, source)
MILESTONES = [
    (1, "前期筹划：动员部署，制定年度实施方案", "领导小组办公室", (1, 1), (1, 10), "none",
     "四（一）前期筹划（1月初启动）"),
    (2, "确定年度抽查计划", "各成员部门", (2, 1), (2, 10), "plans_published",
     "四（2）确定年度抽查计划（2月上旬）"),
    (3, "研究制定联合抽查办法和工作方案", "领导小组办公室", (2, 11), (2, 20),
     "joint_checks_approved", "四（3）研究制定联合抽查办法和工作方案（2月中旬）"),
    (4, "开展跨部门联合抽查", "各联合抽查牵头部门", (2, 21), (11, 30), "joint_checks_done",
     "四（四）开展跨部门联合抽查（2月末-11月末）"),
    (5, "检查结果报告、汇总报告、部门总结", "各抽查部门、联合检查组组长", (2, 21), (12, 10),
     "reports_signed", "五（6）检查活动结束10日内书面报告；五（8）结束后一周内报送总结"),
    (6, "总结工作", "领导小组办公室", (12, 1), (12, 10), "yearly_summary",
     "四（5）总结工作（12月初）"),
]


def add(apps, schema_editor):
    Milestone = apps.get_model("stats", "TimetableMilestone")
    for order, name, responsible, start, end, measure, source in MILESTONES:
        Milestone.objects.update_or_create(
            order=order,
            defaults={
                "name": name,
                "responsible": responsible,
                "start_month": start[0],
                "start_day": start[1],
                "end_month": end[0],
                "end_day": end[1],
                "measure": measure,
                "source": source,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("stats", "0003_joint_check_reports")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
