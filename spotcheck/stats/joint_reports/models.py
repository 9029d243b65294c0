"""The written reports of a joint check (Lüyuan steps 6 and 8) and the yearly timetable.

A report is drafted from the data, edited, then signed: signing freezes a version; a change
after that is a new version with a reason, the earlier ones stay."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from spotcheck.accounts.models import Department
from spotcheck.plans.models import JointCheck


class ReportKind(models.TextChoices):
    RESULT = "result", _("检查结果报告")  # each department → the team leader (step 6)
    SUMMARY = "summary", _("汇总报告")  # the team leader (lead department) → the office (step 6)
    DEPARTMENT_SUMMARY = "department_summary", _("部门总结")  # each department → office (step 8)
    YEARLY = "yearly", _("年度总结")  # the office, from all of them


class ReportState(models.TextChoices):
    DRAFT = "draft", _("起草中")
    SIGNED = "signed", _("已签发")


class CheckReport(models.Model):
    """One report; `body` is the text being written, the signed texts are its versions."""

    kind = models.CharField(_("报告类型"), max_length=20, choices=ReportKind.choices)
    joint_check = models.ForeignKey(
        JointCheck, on_delete=models.PROTECT, null=True, blank=True, related_name="reports"
    )  # empty for the yearly summary
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )  # empty for the office's yearly summary
    year = models.PositiveIntegerField(_("年度"))
    state = models.CharField(
        _("状态"), max_length=8, choices=ReportState.choices, default=ReportState.DRAFT
    )
    body = models.TextField(_("报告正文"))
    figures = models.JSONField(default=dict)  # what the data said when the draft was made
    revision_reason = models.TextField(_("修订原因"), blank=True)  # of the version being written
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "joint_check", "kind", "department"]
        verbose_name = _("联合抽查报告")
        verbose_name_plural = _("联合抽查报告")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "joint_check", "department"],
                name="one_report_per_check_and_department",
            ),
            models.UniqueConstraint(
                fields=["year"],
                condition=models.Q(kind="yearly"),
                name="one_yearly_summary_a_year",
            ),
        ]

    def __str__(self) -> str:
        who = self.department.name if self.department_id else _("联席会议办公室")
        check = self.joint_check.name if self.joint_check_id else f"{self.year}"
        return f"{check} · {who} · {self.get_kind_display()}"

    @property
    def is_signed(self) -> bool:
        return self.state == ReportState.SIGNED


class CheckReportVersion(models.Model):
    """A signed text, frozen: never edited, never deleted."""

    report = models.ForeignKey(CheckReport, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("版本"))
    body = models.TextField(_("报告正文"))
    figures = models.JSONField(default=dict)
    reason = models.TextField(_("修订原因"), blank=True)  # empty for the first version
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(_("签发时间"))
    due_on = models.DateField(_("报送期限"), null=True, blank=True)
    on_time = models.BooleanField(null=True)

    class Meta:
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="one_report_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"


class MilestoneMeasure(models.TextChoices):
    """What the data says about a milestone; the computation is in joint_reports.timetable."""

    NONE = "none", _("线下工作（平台无数据）")
    PLANS_PUBLISHED = "plans_published", _("各部门年度抽查计划已公示")
    JOINT_CHECKS_APPROVED = "joint_checks_approved", _("联合抽查方案已审批")
    JOINT_CHECKS_DONE = "joint_checks_done", _("联合抽查已抽取并完成现场检查")
    REPORTS_SIGNED = "reports_signed", _("检查结果报告、汇总报告和部门总结按期签发")
    YEARLY_SUMMARY = "yearly_summary", _("年度总结已签发")


class TimetableMilestone(models.Model):
    """One line of the district's yearly timetable, by month and day so it holds every year;
    Lüyuan's is the default (migration), another district edits the rows."""

    order = models.PositiveSmallIntegerField(_("序号"), unique=True)
    name = models.CharField(_("工作安排"), max_length=100)
    responsible = models.CharField(_("责任单位"), max_length=100)
    start_month = models.PositiveSmallIntegerField(_("开始月份"))
    start_day = models.PositiveSmallIntegerField(_("开始日"))
    end_month = models.PositiveSmallIntegerField(_("截止月份"))
    end_day = models.PositiveSmallIntegerField(_("截止日"))
    measure = models.CharField(
        _("完成情况依据"),
        max_length=24,
        choices=MilestoneMeasure.choices,
        default=MilestoneMeasure.NONE,
    )
    source = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        ordering = ["order"]
        verbose_name = _("年度工作安排")
        verbose_name_plural = _("年度工作安排")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_month__range=(1, 12), end_month__range=(1, 12))
                & models.Q(start_day__range=(1, 31), end_day__range=(1, 31)),
                name="milestone_month_and_day_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"
