from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEventType(models.IntegerChoices):
    """One range per domain so a type says where it came from at a glance."""

    # 100–199 accounts
    USER_CREATED = 101, _("创建用户")
    DEPARTMENT_CREATED = 102, _("创建部门")
    # 200–299 directory
    ENTITY_CREATED = 201, _("新增检查对象")
    ENTITY_UPDATED = 202, _("修改检查对象")
    ENTITY_RISK_CHANGED = 231, _("修改信用风险分类或经营异常标记")
    ENTITY_DEPARTMENT_RECORD_SAVED = 232, _("修改部门自有信息")
    ENTITY_CREDIT_CLASSES_APPLIED = 233, _("批量更新信用风险分类")
    ENTITY_ABNORMAL_REMOVED = 234, _("移出经营异常名录")
    INSPECTOR_CREATED = 211, _("新增执法检查人员")
    INSPECTOR_UPDATED = 212, _("修改执法检查人员")
    CONFLICT_DECLARED = 221, _("申报回避关系")
    # 300–399 items
    ITEM_CREATED = 301, _("新增抽查事项")
    ITEM_REVISED = 302, _("修订抽查事项")
    JOINT_ITEM_SAVED = 311, _("保存联合抽查事项")
    # 400–499 imports and exports
    IMPORT_COMPLETED = 401, _("完成导入")
    IMPORT_FAILED = 402, _("导入失败")
    EXPORT_DOWNLOADED = 411, _("导出数据")
    # 500–599 plans
    PLAN_CREATED = 501, _("新建年度计划")
    PLAN_TRANSITION = 502, _("年度计划流转")
    TASK_CREATED = 511, _("新建抽查任务")
    TASK_UPDATED = 512, _("修改抽查任务")
    JOINT_CHECK_CREATED = 521, _("发起联合抽查")
    JOINT_CHECK_TRANSITION = 522, _("联合抽查流转")
    # 600–699 draws
    BATCH_CREATED = 601, _("新建抽取批次")
    BATCH_COMMITTED = 602, _("公布抽取承诺")
    BATCH_DRAWN = 603, _("完成抽取")
    BATCH_DRAW_FAILED = 604, _("抽取失败")
    BATCH_REDRAW = 605, _("重新承诺（重抽）")
    RANDOMNESS_ENTERED = 606, _("录入公开随机数")
    INSPECTOR_RECUSED = 611, _("执法人员回避递补")
    # 700–799 inspections
    VISIT_ARRIVED = 701, _("到达检查现场")
    VISIT_COMPLETED = 702, _("完成现场检查")
    VISIT_NOT_POSSIBLE = 703, _("未能检查")
    VISIT_CLOSED = 704, _("检查办结")
    RESULT_ENTERED = 711, _("录入检查结果")
    RESULT_SUBMITTED = 712, _("提交检查结果")
    RESULT_APPROVED = 713, _("审核通过")
    RESULT_RETURNED = 714, _("退回检查结果")
    RESULT_REJECTED = 715, _("不予采纳")
    EVIDENCE_ADDED = 716, _("上传证据")
    AMENDMENT_PROPOSED = 721, _("提出更正")
    AMENDMENT_DECIDED = 722, _("审核更正")
    FOLLOW_UP_OPENED = 731, _("启动后续处置")
    FOLLOW_UP_CLOSED = 732, _("后续处置办结")
    FOLLOW_UP_UPDATED = 733, _("修改处置方式")
    FOLLOW_UP_DOCUMENT_ADDED = 734, _("上传处置文书")
    ABNORMAL_PROPOSED = 741, _("提请列入经营异常名录")
    ABNORMAL_DECIDED = 742, _("经营异常名录决定")
    LEAD_REGISTERED = 751, _("登记线索")
    LEAD_ACTED = 752, _("线索转检查")
    # 800–899 credit classes and caps
    CREDIT_RECOMPUTED = 801, _("重新计算信用风险分类")
    CREDIT_OVERRIDE_SET = 802, _("人工调整信用风险分类")
    CREDIT_OVERRIDE_CLEARED = 803, _("取消人工调整信用风险分类")
    CHECK_REQUESTED = 811, _("申请检查审批")
    CHECK_DECIDED = 812, _("检查审批决定")
    TOLERANCE_CITED = 821, _("适用免罚清单")
    TOLERANCE_ENTRY_ADDED = 822, _("新增地方免罚清单事项")
    # 900–999 platform
    DEMO_LOADED = 901, _("载入演示数据")
