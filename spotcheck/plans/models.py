from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from spotcheck.accounts.models import Department
from spotcheck.items.models import CheckItemVersion


class NumberSequence(models.Model):
    """Next sequence number per (kind, region, year): plan and task numbers 110101-2026-0007."""

    kind = models.CharField(max_length=16)
    region_code = models.CharField(max_length=12)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "region_code", "year"], name="one_sequence")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.region_code}-{self.year}: {self.last}"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")  # waiting for the department's reviewer
    RETURNED = "returned", _("已退回")  # back to the author with a reason
    APPROVED = "approved", _("已审核")  # approved inside the department
    FILED = "filed", _("已备案")  # filed with the coordinating office
    PUBLISHED = "published", _("已公示")  # on the public portal


class AnnualPlan(models.Model):
    """A department's annual spot-check plan (年度抽查工作计划)."""

    number = models.CharField(_("计划编号"), max_length=32, unique=True)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="plans")
    year = models.PositiveIntegerField(_("年度"))
    name = models.CharField(_("计划名称"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    return_reason = models.TextField(_("退回原因"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # A published plan is never edited: a change is a new version that names the one it
    # replaces and why; the public sees the old version until the new one is published.
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("修订自"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
    )
    revision_reason = models.TextField(_("修订原因"), blank=True)

    class Meta:
        ordering = ["-year", "number"]
        verbose_name = _("年度抽查计划")
        verbose_name_plural = _("年度抽查计划")

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class PlanBatch(models.Model):
    """One batch of an annual plan: what is checked, in which months, how many."""

    plan = models.ForeignKey(AnnualPlan, on_delete=models.CASCADE, related_name="batches")
    name = models.CharField(_("批次名称"), max_length=200)
    items = models.ManyToManyField(CheckItemVersion, verbose_name=_("抽查事项"), related_name="+")
    scope = models.CharField(_("抽查范围"), max_length=300, blank=True)
    ratio = models.DecimalField(
        _("抽查比例"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    count = models.PositiveIntegerField(_("抽查数量"), null=True, blank=True)
    start_month = models.PositiveSmallIntegerField(_("开始月份"))
    end_month = models.PositiveSmallIntegerField(_("结束月份"))

    class Meta:
        ordering = ["plan", "start_month", "pk"]

    def __str__(self) -> str:
        return self.name


class DesignMode(models.TextChoices):
    COUNT = "count", _("按数量")  # n entities per stratum
    RATIO = "ratio", _("按比例")  # ceil(ratio × N) per stratum
    POISSON = "poisson", _("按信用风险分类概率")  # each entity with its class's probability
    SEQUENTIAL_POISSON = "sequential_poisson", _("按概率定量")  # n entities, weighted by class


class TaskStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    READY = "ready", _("待抽取")  # rules passed; may join a draw batch
    COMMITTED = "committed", _("已锁定")  # its batch published commitments: no more edits
    DRAWN = "drawn", _("已抽取")


class SpotCheckTask(models.Model):
    """A spot-check task (抽查任务) of one department: items, population, design."""

    number = models.CharField(_("任务编号"), max_length=32, unique=True)
    name = models.CharField(_("任务名称"), max_length=200)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="tasks")
    plan = models.ForeignKey(
        AnnualPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )
    joint_check = models.ForeignKey(
        "JointCheck", on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )
    directed = models.BooleanField(_("定向抽查"), default=False)  # 定向: a targeted group
    items = models.ManyToManyField(
        CheckItemVersion, verbose_name=_("抽查事项"), related_name="tasks"
    )
    # Which entities may be drawn: see plans.population for the keys.
    population_filter = models.JSONField(_("抽查对象范围"), default=dict)
    design_mode = models.CharField(_("抽取方式"), max_length=20, choices=DesignMode.choices)
    # stratum ("A".."D" or "*") → count (int) or decimal string; n for sequential_poisson.
    design_values = models.JSONField(_("抽取参数"), default=dict)
    design_n = models.PositiveIntegerField(_("抽取数量"), null=True, blank=True)
    planned_start = models.DateField(_("计划开始日期"))
    planned_end = models.DateField(_("计划结束日期"))
    status = models.CharField(
        _("状态"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("抽查任务")
        verbose_name_plural = _("抽查任务")

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def is_editable(self) -> bool:
        return self.status in (TaskStatus.DRAFT, TaskStatus.READY)


class JointCheckStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")  # lead department inviting partners
    SUBMITTED = "submitted", _("待办公室审批")
    APPROVED = "approved", _("已批准")  # may be committed as one draw batch
    RETURNED = "returned", _("已退回")
    IN_BATCH = "in_batch", _("已进入抽取")


class JointCheck(models.Model):
    """A joint check (联合抽查): a lead department and partners, drawn as one batch."""

    number = models.CharField(_("联合抽查编号"), max_length=32, unique=True)
    name = models.CharField(_("联合抽查名称"), max_length=200)
    lead_department = models.ForeignKey(
        Department, verbose_name=_("发起部门"), on_delete=models.PROTECT, related_name="+"
    )
    partners = models.ManyToManyField(
        Department, verbose_name=_("配合部门"), related_name="joint_checks", blank=True
    )
    planned_start = models.DateField(_("计划开始日期"))
    planned_end = models.DateField(_("计划结束日期"))
    status = models.CharField(
        _("状态"), max_length=12, choices=JointCheckStatus.choices, default=JointCheckStatus.DRAFT
    )
    return_reason = models.TextField(_("退回原因"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("联合抽查")
        verbose_name_plural = _("联合抽查")

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    def department_ids(self) -> set[int]:
        return {self.lead_department_id, *self.partners.values_list("pk", flat=True)}
