from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from spotcheck.accounts.models import Department
from spotcheck.directory.models import MarketEntity
from spotcheck.plans.models import SpotCheckTask

from .results import ItemResult, ResultCategory


class FollowUpKind(models.TextChoices):
    UNDECIDED = "undecided", _("待确定处置方式")
    RECTIFICATION = "rectification", _("责令整改")
    FOLLOW_UP_CHECK = "follow_up_check", _("跟踪检查")
    CASE = "case", _("立案查处")
    TRANSFER_DEPARTMENT = "transfer_department", _("移送其他部门")
    TRANSFER_JUDICIARY = "transfer_judiciary", _("移送司法机关")


class FollowUp(models.Model):
    """What happens after a problem is found; stays open until closed with a result."""

    result = models.ForeignKey(ItemResult, on_delete=models.PROTECT, related_name="follow_ups")
    entity = models.ForeignKey(MarketEntity, on_delete=models.PROTECT, related_name="follow_ups")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(
        _("处置方式"), max_length=24, choices=FollowUpKind.choices, default=FollowUpKind.UNDECIDED
    )
    deadline = models.DateField(_("整改期限"), null=True, blank=True)
    transferred_to = models.ForeignKey(
        Department,
        verbose_name=_("移送部门"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    description = models.TextField(_("处置说明"), blank=True)
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closing_result = models.TextField(_("办结结果"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("后续处置")
        verbose_name_plural = _("后续处置")

    def __str__(self) -> str:
        return f"{self.entity.name} · {self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class FollowUpDocument(models.Model):
    """A rectification order, a case file, a transfer letter… stored outside the web root."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.PROTECT, related_name="documents")
    file = models.FileField(upload_to="follow-ups/%Y/%m/")
    title = models.CharField(_("文书名称"), max_length=200)
    content_type = models.CharField(max_length=50)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.title


class AbnormalProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("待决定")
    ACCEPTED = "accepted", _("已列入")
    REFUSED = "refused", _("不予列入")


class AbnormalListProposal(models.Model):
    """A result that puts an entity on the abnormal list (经营异常名录) raises this proposal for
    the registration authority to decide; the entity flag changes only on acceptance."""

    entity = models.ForeignKey(
        MarketEntity, on_delete=models.PROTECT, related_name="abnormal_proposals"
    )
    result = models.ForeignKey(ItemResult, on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(ResultCategory, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=10,
        choices=AbnormalProposalStatus.choices,
        default=AbnormalProposalStatus.PROPOSED,
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # 移出: the firm corrected (e.g. now reachable at its address); the listing stays on record.
    removed_at = models.DateTimeField(_("移出时间"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    removal_reason = models.TextField(_("移出理由"), blank=True)

    class Meta:
        ordering = ["-proposed_at"]

    def __str__(self) -> str:
        return f"{self.entity.name} · {self.category.name}"


class LeadSource(models.TextChoices):
    COMPLAINT = "complaint", _("投诉举报")
    REFERRAL = "referral", _("转办交办")
    MONITORING = "monitoring", _("数据监测")


class LeadStatus(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    IN_CHECK = "in_check", _("已转检查")  # a targeted task exists for it
    CLOSED = "closed", _("已办结")


class Lead(models.Model):
    """A lead (线索) about an entity: acted on at once as a targeted check, or grouped with
    similar leads into a special draw task."""

    number = models.CharField(_("线索编号"), max_length=32, unique=True)
    entity = models.ForeignKey(MarketEntity, on_delete=models.PROTECT, related_name="leads")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("线索来源"), max_length=12, choices=LeadSource.choices)
    description = models.TextField(_("线索内容"))
    status = models.CharField(
        max_length=12, choices=LeadStatus.choices, default=LeadStatus.REGISTERED
    )
    task = models.ForeignKey(
        SpotCheckTask, on_delete=models.PROTECT, null=True, blank=True, related_name="leads"
    )
    received_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("线索")
        verbose_name_plural = _("线索")

    def __str__(self) -> str:
        return f"{self.number} {self.entity.name}"
