from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from spotcheck.directory.models import MarketEntity
from spotcheck.draws.models import Visit, VisitInspector


class CodeScan(models.Model):
    """The visit's code was opened (scanned from the notice or an inspector's phone)."""

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="code_scans")
    scanned_at = models.DateTimeField(_("扫码时间"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["scanned_at"]
        verbose_name = _("亮码记录")
        verbose_name_plural = _("亮码记录")

    def __str__(self) -> str:
        return f"{self.visit_id} @ {self.scanned_at:%Y-%m-%d %H:%M}"


class VisitPin(models.Model):
    """The salted hash of the PIN on the visit's first printed notice, or of its reissue (补发)."""

    visit = models.OneToOneField(Visit, on_delete=models.CASCADE, related_name="pin")
    pin_hash = models.CharField(max_length=200)
    issued_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("通知书PIN码")
        verbose_name_plural = _("通知书PIN码")

    def __str__(self) -> str:
        return f"{self.visit_id} @ {self.issued_at:%Y-%m-%d %H:%M}"


class VisitRating(models.Model):
    """The firm's rating of a visit, once per visit; never shown to the inspectors one by one."""

    visit = models.OneToOneField(Visit, on_delete=models.PROTECT, related_name="rating")
    stars = models.PositiveSmallIntegerField(
        _("评分"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    text = models.TextField(_("评价意见"), blank=True, max_length=1000)
    objects_to_result = models.BooleanField(_("对检查结果有异议"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stars__gte=1, stars__lte=5), name="rating_stars_1_to_5"
            )
        ]
        verbose_name = _("企业评价")
        verbose_name_plural = _("企业评价")

    def __str__(self) -> str:
        return f"{self.visit_id}: {self.stars}"


class RecusalRequestStatus(models.TextChoices):
    PENDING = "pending", _("待决定")
    GRANTED = "granted", _("已同意回避")  # decided through the recusal service: a replacement
    REFUSED = "refused", _("不予回避")


class RecusalRequest(models.Model):
    """A firm asks, before the visit, that one inspector of the team step aside."""

    member = models.ForeignKey(
        VisitInspector, on_delete=models.PROTECT, related_name="recusal_requests"
    )
    reason = models.TextField(_("申请理由"), max_length=1000)
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=RecusalRequestStatus.choices,
        default=RecusalRequestStatus.PENDING,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_reason = models.TextField(_("决定理由"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("企业回避申请")
        verbose_name_plural = _("企业回避申请")

    def __str__(self) -> str:
        return f"{self.member_id} · {self.get_status_display()}"


class CreditRepairStatus(models.TextChoices):
    PENDING = "pending", _("待决定")
    GRANTED = "granted", _("准予信用修复")
    REFUSED = "refused", _("不予信用修复")


class CreditRepairRequest(models.Model):
    """A firm asks that a published negative record be repaired (信用修复) after correcting."""

    record = models.ForeignKey(
        "publication.PublicRecord", on_delete=models.PROTECT, related_name="+"
    )
    # The code the firm used; the request is about its own entity's record only.
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="+")
    correction = models.TextField(_("整改情况"), max_length=2000)
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=CreditRepairStatus.choices,
        default=CreditRepairStatus.PENDING,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_reason = models.TextField(_("决定理由"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("信用修复申请")
        verbose_name_plural = _("信用修复申请")

    def __str__(self) -> str:
        return f"{self.record_id} · {self.get_status_display()}"


class FirmAccount(models.Model):
    """A firm's sign-in, bound to its one entity (its USCC) by a code and PIN of its notices."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="firm_account"
    )
    entity = models.ForeignKey(MarketEntity, on_delete=models.PROTECT, related_name="+")
    # The visit whose code and PIN proved the binding.
    bound_by_visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="+")
    bound_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-bound_at"]
        verbose_name = _("企业账号")
        verbose_name_plural = _("企业账号")

    def __str__(self) -> str:
        return f"{self.user} → {self.entity_id}"
