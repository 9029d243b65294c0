from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from spotcheck.accounts.models import Department
from spotcheck.directory.models import MarketEntity
from spotcheck.draws.models import Visit
from spotcheck.inspections.models import ResultCategory
from spotcheck.plans.models import SpotCheckTask


class PublicRecordQuerySet(models.QuerySet):
    def corrected(self):
        """Records republished after an approved amendment."""
        return self.filter(corrected_at__isnull=False)

    def late(self):
        """Published after the working-day deadline."""
        return self.filter(on_time=False)


class PublicRecord(models.Model):
    """A published result record (检查结果公示) of one task at one visit. Only the fields of the
    published layout are copied here, so nothing internal (inspectors, credit classes, notes,
    evidence) can reach a public page, the public API or an export by a careless join."""

    record_id = models.CharField(_("公示编号"), max_length=64, unique=True)  # stable across updates
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="+")
    task = models.ForeignKey(SpotCheckTask, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    entity = models.ForeignKey(MarketEntity, on_delete=models.PROTECT, related_name="+")
    plan_number = models.CharField(_("计划编号"), max_length=32, blank=True)
    plan_name = models.CharField(_("计划名称"), max_length=200, blank=True)
    task_number = models.CharField(_("任务编号"), max_length=32)
    task_name = models.CharField(_("任务名称"), max_length=200)
    directed = models.BooleanField(_("定向抽查"))
    department_name = models.CharField(_("检查机关"), max_length=100)
    entity_name = models.CharField(_("市场主体名称"), max_length=200)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18)  # or the registration number
    completed_on = models.DateField(_("检查完成日期"))
    # [{"item": name, "results": [category names], "codes": [category codes]}], item order.
    items = models.JSONField(_("检查事项及结果"))
    categories = models.ManyToManyField(ResultCategory, related_name="+")  # for the search
    # Empty while the deadline falls in a year whose holiday notice the office has not entered
    # yet (every December); filled in when it is entered (`services/calendar.py`).
    due_on = models.DateField(_("公示期限"), null=True, blank=True)
    published_on = models.DateField(_("公示日期"))
    on_time = models.BooleanField(_("按期公示"))
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    corrected_at = models.DateTimeField(_("更正时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)  # +1 per republication or withdrawal
    # 信用修复 granted: the record leaves public display (停止公示) and the next national export
    # reports the withdrawal; the row stays for the departments' own records.
    repaired_at = models.DateTimeField(_("信用修复停止公示时间"), null=True, blank=True)

    objects = PublicRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "task"], name="one_record_per_visit_task")
        ]
        indexes = [
            models.Index(fields=["uscc"]),
            models.Index(fields=["entity", "-published_on"]),
            models.Index(fields=["department", "-published_on"]),
            models.Index(fields=["-published_on", "-id"]),
        ]
        verbose_name = _("检查结果公示")
        verbose_name_plural = _("检查结果公示")

    def __str__(self) -> str:
        return f"{self.record_id} {self.entity_name}"


class ExemptionStatus(models.TextChoices):
    PROPOSED = "proposed", _("待办公室审批")
    APPROVED = "approved", _("不予公开")  # counted as such in the statistics
    REFUSED = "refused", _("未批准（应公开）")


class DisclosureExemption(models.Model):
    """不宜公开: a task's result at one visit kept off the public record, on a legal ground the
    office approved."""

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="+")
    task = models.ForeignKey(SpotCheckTask, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    legal_ground = models.TextField(_("不宜公开的法律依据"))
    status = models.CharField(
        max_length=10, choices=ExemptionStatus.choices, default=ExemptionStatus.PROPOSED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("不宜公开申请")
        verbose_name_plural = _("不宜公开申请")

    def __str__(self) -> str:
        return f"{self.task.number}/{self.visit.visit_id} {self.get_status_display()}"


class PublicationReminder(models.Model):
    """An in-app reminder from the daily deadline job; one per user, task and day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    task = models.ForeignKey(SpotCheckTask, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    message = models.CharField(max_length=300)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-day", "task"]
        constraints = [
            models.UniqueConstraint(fields=["user", "task", "day"], name="one_reminder_a_day")
        ]

    def __str__(self) -> str:
        return self.message


class NationalExport(models.Model):
    """What was sent to the national enterprise credit publicity system, and when: every record
    id with the version sent, so the next export marks a changed record as an update."""

    class Format(models.TextChoices):
        XLSX = "xlsx", "XLSX"
        JSON = "json", "JSON"

    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField(_("起始日期"))
    period_end = models.DateField(_("截止日期"))
    format = models.CharField(max_length=4, choices=Format.choices)
    sent = models.JSONField(default=dict)  # record_id -> version
    record_count = models.PositiveIntegerField(_("条数"))
    sha256 = models.CharField(max_length=64)  # of the file handed over
    created_at = models.DateTimeField(_("导出时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("报送记录")
        verbose_name_plural = _("报送记录")

    def __str__(self) -> str:
        return f"{self.department} {self.period_start}–{self.period_end} {self.format}"


class PrecheckAnnouncement(models.Model):
    """拟检查公告: before checking, the entities a task will visit and its items, on the portal."""

    task = models.OneToOneField(SpotCheckTask, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("公告时间"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-published_at"]
        verbose_name = _("拟检查公告")
        verbose_name_plural = _("拟检查公告")

    def __str__(self) -> str:
        return f"{self.task.number} {self.task.name}"
