from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from spotcheck.directory.models import CreditClass, MarketEntity


class CreditRunTrigger(models.TextChoices):
    MONTHLY = "monthly", _("每月定期计算")
    COMMAND = "command", _("命令行计算")
    ON_DEMAND = "on_demand", _("按需计算")


class CreditRun(models.Model):
    """One recomputation of every entity's class by the rules of `rule_version`."""

    trigger = models.CharField(max_length=12, choices=CreditRunTrigger.choices)
    rule_version = models.CharField(_("规则版本"), max_length=32)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    entities = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict)  # class → entities in it after the run

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.rule_version} {self.started_at:%Y-%m-%d %H:%M}"

    def counts_line(self) -> str:
        return "classes: " + ", ".join(f"{c} {self.counts.get(c, 0)}" for c in CreditClass.values)


class CreditAssessment(models.Model):
    """An entity's computed class with its reason and rule version, and an owner's override,
    which sticks until an owner clears it (recomputation never overwrites it). Never public."""

    entity = models.OneToOneField(
        MarketEntity, on_delete=models.CASCADE, primary_key=True, related_name="credit"
    )
    computed_class = models.CharField(_("计算分类"), max_length=1, choices=CreditClass.choices)
    score = models.SmallIntegerField(_("风险分值"), default=0)
    reason = models.TextField(_("分类理由"))
    factors = models.JSONField(default=list)  # [{"rule", "count", "points"}]
    rule_version = models.CharField(_("规则版本"), max_length=32)
    computed_at = models.DateTimeField(_("计算时间"))
    override_class = models.CharField(
        _("人工调整分类"), max_length=1, choices=CreditClass.choices, blank=True
    )
    override_reason = models.TextField(_("人工调整理由"), blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    override_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("信用风险分类")
        verbose_name_plural = _("信用风险分类")

    def __str__(self) -> str:
        return f"{self.entity_id}: {self.effective_class}"

    @property
    def effective_class(self) -> str:
        return self.override_class or self.computed_class


class CreditChangeSource(models.TextChoices):
    RULES = "rules", _("按规则计算")
    OVERRIDE = "override", _("人工调整")
    OVERRIDE_CLEARED = "cleared", _("取消人工调整")


class CreditClassChange(models.Model):
    """The history of an entity's class: every change, why, and by which rules or whom."""

    entity = models.ForeignKey(
        MarketEntity, on_delete=models.CASCADE, related_name="credit_changes"
    )
    old_class = models.CharField(max_length=1, choices=CreditClass.choices)
    new_class = models.CharField(max_length=1, choices=CreditClass.choices)
    source = models.CharField(max_length=8, choices=CreditChangeSource.choices)
    reason = models.TextField()
    rule_version = models.CharField(max_length=32, blank=True)
    run = models.ForeignKey(CreditRun, on_delete=models.PROTECT, null=True, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.entity_id}: {self.old_class}→{self.new_class}"
