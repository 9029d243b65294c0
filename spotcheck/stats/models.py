from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from spotcheck.accounts.models import Department


class ScoringMethod(models.TextChoices):
    DATA = "data", _("按平台数据自动评分")  # computed from the records, each score traceable
    EVIDENCE = "evidence", _("上传佐证材料，由考评人评分")  # organisation, publicity, training…


class Measure(models.TextChoices):
    """What the data measures for a DATA indicator; the computation is in stats.assessment."""

    ENTITY_DIRECTORY = "entity_directory", _("建立市场主体名录库")
    INSPECTOR_DIRECTORY = "inspector_directory", _("建立执法检查人员名录库")
    ITEM_LIST = "item_list", _("抽查事项清单向社会公示")
    PLAN_PUBLISHED = "plan_published", _("年度抽查计划向社会公示")
    DRAWN_AS_PLANNED = "drawn_as_planned", _("按计划抽取，未随意增减")
    JOINT_CHECKS = "joint_checks", _("牵头或配合开展联合抽查")
    PUBLISHED_ON_TIME = "published_on_time", _("20个工作日内公示结果")
    RESULTS_USED = "results_used", _("抽查结果运用（后续处置办结）")
    JOINT_SHARE = "joint_share", _("联合抽查任务占比")
    PUBLICATION_RATE = "publication_rate", _("抽查结果公示率")


class AssessmentIndicator(models.Model):
    """One line of a district's assessment table (考评标准); the table is data, so another
    district edits weights or adds its own lines (e.g. joint checks ≥ 40% of tasks)."""

    number = models.PositiveSmallIntegerField(_("序号"), unique=True)
    category = models.CharField(_("指标类别"), max_length=50)
    name = models.CharField(_("指标名称"), max_length=100)
    content = models.TextField(_("考评内容"))
    weight = models.DecimalField(_("分值"), max_digits=5, decimal_places=1)
    method = models.CharField(_("评分方式"), max_length=10, choices=ScoringMethod.choices)
    measure = models.CharField(
        _("数据指标"), max_length=24, choices=Measure.choices, blank=True
    )  # DATA only
    # For a rate: full marks at or above it (0.40 = 40%); empty: the rate itself (1 = 100%).
    target = models.DecimalField(_("达标值"), max_digits=5, decimal_places=4, null=True, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("考评指标")
        verbose_name_plural = _("考评指标")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(method="data") | ~models.Q(measure=""),
                name="data_indicator_has_measure",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class Assessment(models.Model):
    """A department's yearly assessment (年度考评)."""

    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField(_("年度"))
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "department"]
        constraints = [
            models.UniqueConstraint(fields=["department", "year"], name="one_assessment_a_year")
        ]
        verbose_name = _("年度考评")
        verbose_name_plural = _("年度考评")

    def __str__(self) -> str:
        return f"{self.year} {self.department}"


class AssessmentScore(models.Model):
    """The score of one indicator: computed (with how, and which records) or a reviewer's."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(AssessmentIndicator, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=1, null=True, blank=True)
    basis = models.TextField(_("评分依据"), blank=True)
    # The dashboard figure whose records the score was computed from (stats:records).
    figure = models.CharField(max_length=32, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assessment", "indicator__number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="one_score_a_line")
        ]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.indicator.name}: {self.score}"


def assessment_evidence_path(instance, filename: str) -> str:
    # Generated: nothing the uploader typed reaches the file system.
    return f"assessment/{instance.sha256[:2]}/{instance.sha256}{instance.extension}"


class AssessmentEvidence(models.Model):
    """A document a department uploads for an indicator scored by a reviewer."""

    score = models.ForeignKey(AssessmentScore, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to=assessment_evidence_path)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=50)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.original_name


class WarningDigest(models.Model):
    """The weekly early-warning digest one user received (in-app; email where turned on)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week = models.DateField()  # the Monday of the week
    lines = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-week"]
        constraints = [models.UniqueConstraint(fields=["user", "week"], name="one_digest_a_week")]

    def __str__(self) -> str:
        return f"{self.user} {self.week}"


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("生成中")
    READY = "ready", _("已生成")
    FAILED = "failed", _("生成失败")


class YearlyReport(models.Model):
    """A yearly report (年度工作报告) of one department, or of the district when department is
    empty: XLSX and PDF made by a background job."""

    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    year = models.PositiveIntegerField(_("年度"))
    status = models.CharField(
        max_length=8, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    xlsx = models.FileField(upload_to="reports/%Y/", blank=True)
    pdf = models.FileField(upload_to="reports/%Y/", blank=True)
    failure = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("年度报告")
        verbose_name_plural = _("年度报告")

    def __str__(self) -> str:
        return f"{self.year} {self.department or _('全区')}"


class DashboardSnapshot(models.Model):
    """The dashboard's figures precomputed by a job (a live query over a large district takes
    seconds): one row per year for the district (department_key 0) and per department. Pages
    filtered by industry or region are computed live."""

    year = models.PositiveIntegerField()
    department_key = models.PositiveIntegerField()  # a department's id, 0 for the district
    data = models.JSONField()
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "department_key"], name="one_snapshot")
        ]

    def __str__(self) -> str:
        return f"{self.year}/{self.department_key} {self.computed_at:%Y-%m-%d %H:%M}"


class DashboardCell(models.Model):
    """Additive dashboard counts of one year for one department (0: district-wide figures that
    are not a sum of departments') and one industry code and region code of the entities, so a
    page filtered by an industry or region prefix sums the matching cells instead of scanning
    the visits. Built by the snapshot job with the snapshots."""

    year = models.PositiveIntegerField()
    department_key = models.PositiveIntegerField()
    industry_code = models.CharField(max_length=5, blank=True)
    region_code = models.CharField(max_length=12, blank=True)
    figures = models.JSONField()

    class Meta:
        indexes = [models.Index(fields=["year", "department_key", "region_code"])]

    def __str__(self) -> str:
        return f"{self.year}/{self.department_key} {self.industry_code} {self.region_code}"


# The reports of a joint check and the yearly timetable (Lüyuan steps 6–8) have their own module.
from .joint_reports.models import (  # noqa: E402, F401
    CheckReport,
    CheckReportVersion,
    TimetableMilestone,
)
