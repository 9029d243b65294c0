"""Same-firm merging (合并检查): several departments' drawn visits of one firm, planned within a
few working days of each other, offered as one joint visit before anyone visits twice."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from spotcheck.accounts.models import Department
from spotcheck.directory.models import MarketEntity
from spotcheck.draws.models import Visit


class MergeOfferStatus(models.TextChoices):
    OPEN = "open", _("待各部门答复")
    MERGED = "merged", _("已合并")
    DECLINED = "declined", _("已拒绝")  # a department said no, with its reason
    REFUSED = "refused", _("不能合并")  # a rule forbids it (arrival, results, conflict, quiet day)


class MergeOffer(models.Model):
    """A proposal (合并检查建议) to check a firm once for every department that drew it."""

    entity = models.ForeignKey(MarketEntity, on_delete=models.PROTECT, related_name="+")
    visits = models.ManyToManyField(Visit, related_name="merge_offers")
    planned_date = models.DateField(_("合并后检查日期"))
    status = models.CharField(
        _("状态"), max_length=10, choices=MergeOfferStatus.choices, default=MergeOfferStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    kept_visit = models.ForeignKey(
        Visit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )  # the visit that goes ahead, once merged
    refusal = models.TextField(_("不能合并的原因"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("合并检查建议")
        verbose_name_plural = _("合并检查建议")

    def __str__(self) -> str:
        return f"{self.entity.name} · {self.planned_date.isoformat()}"


class MergeDecision(models.TextChoices):
    PENDING = "pending", _("待答复")
    ACCEPTED = "accepted", _("同意")
    DECLINED = "declined", _("不同意")


class MergeAnswer(models.Model):
    """One involved department's answer to an offer, given by its liaison."""

    offer = models.ForeignKey(MergeOffer, on_delete=models.CASCADE, related_name="answers")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(
        max_length=10, choices=MergeDecision.choices, default=MergeDecision.PENDING
    )
    reason = models.TextField(_("理由"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["offer", "department__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "department"], name="one_answer_per_department"
            )
        ]

    def __str__(self) -> str:
        return f"{self.offer} · {self.department} · {self.get_decision_display()}"
