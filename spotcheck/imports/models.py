from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from spotcheck.accounts.models import Department


class ImportKind(models.TextChoices):
    ENTITIES = "entities", _("检查对象")
    INSPECTORS = "inspectors", _("执法检查人员")
    ITEMS = "items", _("抽查事项")
    JOINT_ITEMS = "joint_items", _("联合抽查事项")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("导入中")
    PREVIEWED = "previewed", _("预览完成，待确认")  # read and checked; nothing applied yet
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")  # nothing was applied


class ImportJob(models.Model):
    """One uploaded file and what became of it; rows are applied all together or not at all."""

    kind = models.CharField(_("导入类型"), max_length=16, choices=ImportKind.choices)
    department = models.ForeignKey(
        Department, verbose_name=_("部门"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    original_name = models.CharField(_("文件名"), max_length=255)
    stored_path = models.CharField(max_length=500)
    status = models.CharField(
        _("状态"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    rows_read = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(null=True)
    imported = models.PositiveIntegerField(_("新增"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    unchanged = models.PositiveIntegerField(_("未变化"), default=0)
    rejected = models.PositiveIntegerField(_("拒绝"), default=0)
    # Valid rows the importing department may not apply (others' entities, links or shared data).
    not_applied = models.PositiveIntegerField(_("未应用"), default=0)
    warned = models.PositiveIntegerField(_("有警告的行"), default=0)
    # First rejected rows and warnings, for the page; the full lists are in the XLSX report.
    rejections_preview = models.JSONField(default=list)
    warnings_preview = models.JSONField(default=list)
    # department name -> {"imported": n, "updated": n, "unchanged": n} (check-item lists)
    per_department = models.JSONField(default=dict)
    # The web import first previews the file; it is applied only once someone confirms.
    confirmed_at = models.DateTimeField(_("确认导入时间"), null=True)
    report_path = models.CharField(max_length=500, blank=True)
    failure = models.TextField(_("失败原因"), blank=True)
    finished_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")

    def __str__(self) -> str:
        return f"#{self.pk} {self.original_name}"

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 100 if self.status == ImportStatus.DONE else 0
        return min(100, round(100 * self.rows_read / self.rows_total))
