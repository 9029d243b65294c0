"""Kinds of check (国办发〔2024〕54号): routine checks are drawn (draws.Visit); every other on-site
check is a case check (个案检查, on a listed ground) or a special check (专项检查, from an approved
plan), approved before it happens (检查审批) or, in an emergency, filed afterwards."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from spotcheck.accounts.models import Department
from spotcheck.directory.models import MarketEntity
from spotcheck.inspections.models import FollowUp, ItemResult, Lead
from spotcheck.plans.models import AnnualPlan


class CheckKind(models.TextChoices):
    CASE = "case", _("个案检查")
    SPECIAL = "special", _("专项检查")


class CheckGround(models.TextChoices):
    """The listed grounds of a case check; each also justifies going over the yearly caps."""

    COMPLAINT = "complaint", _("投诉举报")
    REFERRAL = "referral", _("转办交办")
    LEAD = "lead", _("线索核查")
    FIRM_REQUEST = "firm_request", _("企业申请")
    RECHECK = "recheck", _("整改复查")  # exempt from the caps: the firm was told to correct
    LICENSING = "licensing", _("许可核查")
    EMERGENCY = "emergency", _("突发事件应急处置")  # checked first, filed afterwards
    SPECIAL_PLAN = "special_plan", _("专项检查计划")  # special checks only


class CheckRequestStatus(models.TextChoices):
    REQUESTED = "requested", _("待审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("不予批准")


class CheckRequest(models.Model):
    """One on-site check outside a draw, with its ground, and the decision of the department's
    head or reviewer (never the requester)."""

    kind = models.CharField(_("检查类别"), max_length=8, choices=CheckKind.choices)
    ground = models.CharField(_("检查事由"), max_length=16, choices=CheckGround.choices)
    entity = models.ForeignKey(MarketEntity, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(
        AnnualPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lead = models.ForeignKey(
        Lead, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    follow_up = models.ForeignKey(
        FollowUp, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    planned_date = models.DateField(_("检查日期"))
    description = models.TextField(_("检查依据和内容"))
    # Over a yearly cap when requested: allowed on a listed ground, flagged for the office.
    over_cap = models.BooleanField(_("超过年度检查上限"), default=False)
    status = models.CharField(
        max_length=10, choices=CheckRequestStatus.choices, default=CheckRequestStatus.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("检查审批")
        verbose_name_plural = _("检查审批")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.entity.name} {self.planned_date}"


# ---------------------------------------------------------------- tolerance (首违不罚 / 轻微免罚)


class ToleranceKind(models.TextChoices):
    FIRST_VIOLATION = "first", _("首违不罚")  # 初次违法、危害后果轻微并及时改正
    MINOR = "minor", _("轻微免罚")  # 违法行为轻微并及时改正，没有造成危害后果


class ToleranceList(models.Model):
    """A maintained list of behaviours not punished on conditions: SAMR's national list
    (department None) or a department's local list."""

    name = models.CharField(_("清单名称"), max_length=200)
    document = models.CharField(_("文号"), max_length=100)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["department_id", "pk"]
        verbose_name = _("免罚清单")
        verbose_name_plural = _("免罚清单")

    def __str__(self) -> str:
        return self.name


class ToleranceEntry(models.Model):
    tolerance_list = models.ForeignKey(
        ToleranceList, on_delete=models.PROTECT, related_name="entries"
    )
    number = models.PositiveSmallIntegerField(_("序号"))
    kind = models.CharField(_("类型"), max_length=8, choices=ToleranceKind.choices)
    behaviour = models.TextField(_("违法行为"))
    legal_basis = models.TextField(_("法律依据"))
    conditions = models.TextField(_("适用条件"))
    rectification_days = models.PositiveSmallIntegerField(_("整改期限（日）"), default=15)

    class Meta:
        ordering = ["tolerance_list", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["tolerance_list", "number"], name="one_entry_number_per_list"
            )
        ]

    def __str__(self) -> str:
        return f"{self.tolerance_list.document} 第{self.number}项"


class ToleranceCitation(models.Model):
    """A result citing an entry: no penalty, a rectification order instead. The same entity
    violating the same entry again is not eligible."""

    result = models.OneToOneField(ItemResult, on_delete=models.PROTECT, related_name="tolerance")
    entry = models.ForeignKey(ToleranceEntry, on_delete=models.PROTECT, related_name="citations")
    entity = models.ForeignKey(MarketEntity, on_delete=models.PROTECT, related_name="+")
    follow_up = models.OneToOneField(FollowUp, on_delete=models.PROTECT, related_name="+")
    cited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    cited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-cited_at"]
        constraints = [
            models.UniqueConstraint(fields=["entity", "entry"], name="one_tolerance_per_entry")
        ]

    def __str__(self) -> str:
        return f"{self.entity_id} · {self.entry}"
