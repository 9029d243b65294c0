from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from spotcheck.accounts.models import Department


class ItemKind(models.TextChoices):
    KEY = "key", _("重点检查事项")  # safety, quality, public interest: no ratio cap
    GENERAL = "general", _("一般检查事项")  # ratio capped (e.g. 5%)


class CheckMethod(models.TextChoices):
    ON_SITE = "on_site", _("现场检查")
    WRITTEN = "written", _("书面检查")
    ONLINE = "online", _("网络检查")
    PROFESSIONAL = "professional", _("专业机构核查")


class CheckItemQuerySet(models.QuerySet):
    def current(self):
        """Items still on the published list, with their current version."""
        return self.filter(is_active=True).select_related("current_version", "department")


class CheckItem(models.Model):
    """An item on a department's spot-check list (随机抽查事项清单); its text lives in versions."""

    department = models.ForeignKey(
        Department, verbose_name=_("部门"), on_delete=models.PROTECT, related_name="check_items"
    )
    code = models.CharField(_("事项编号"), max_length=40)
    is_active = models.BooleanField(_("在清单中"), default=True)
    current_version = models.ForeignKey(
        "CheckItemVersion", on_delete=models.PROTECT, null=True, related_name="+"
    )

    objects = CheckItemQuerySet.as_manager()

    class Meta:
        ordering = ["department", "code"]
        constraints = [
            models.UniqueConstraint(fields=["department", "code"], name="item_code_per_department")
        ]
        verbose_name = _("抽查事项")
        verbose_name_plural = _("抽查事项")

    def __str__(self) -> str:
        version = self.current_version
        return version.name if version else self.code


class CheckItemVersion(models.Model):
    """One wording of an item. Never edited: a change makes a new version, past tasks keep theirs."""

    item = models.ForeignKey(CheckItem, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本"))
    category = models.CharField(_("抽查类别"), max_length=100)
    name = models.CharField(_("抽查事项"), max_length=200)
    inspection_object = models.CharField(_("检查对象"), max_length=200, blank=True)
    legal_basis = models.TextField(_("抽查依据"), blank=True)
    inspecting_body = models.CharField(_("检查主体"), max_length=200, blank=True)
    content = models.TextField(_("抽查内容"), blank=True)
    methods = models.JSONField(_("检查方式"), default=list)
    kind = models.CharField(_("事项类型"), max_length=8, choices=ItemKind.choices)
    ratio_cap = models.DecimalField(
        _("抽查比例上限"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    frequency = models.CharField(_("抽查频次"), max_length=50, blank=True)
    level = models.CharField(_("抽查层级"), max_length=50, blank=True)
    # The field of expertise an inspector needs for this item; blank: any certified inspector.
    expertise = models.CharField(_("所需执法领域"), max_length=50, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["item", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="one_version_number_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.number}"

    def method_labels(self) -> list[str]:
        return [CheckMethod(m).label for m in self.methods if m in CheckMethod.values]

    @property
    def cap_set_in_list(self) -> bool:
        """False for a general item whose list set no ratio (provincial lists set none)."""
        return self.kind != ItemKind.GENERAL or self.ratio_cap is not None

    def effective_ratio_cap(self) -> Decimal | None:
        """The cap a task's ratio must respect: the list's, else the department's default,
        else the district's (SPOTCHECK_RULES["DEFAULT_RATIO_CAP"]); key items have none."""
        if self.kind != ItemKind.GENERAL:
            return None
        if self.ratio_cap is not None:
            return self.ratio_cap
        department_cap = self.item.department.default_ratio_cap
        if department_cap is not None:
            return department_cap
        return Decimal(settings.SPOTCHECK_RULES["DEFAULT_RATIO_CAP"])


class JointField(models.Model):
    """A field of the joint-item list (抽查领域, e.g. 学校办学情况抽查): items whose lead
    departments check together with the same partners."""

    number = models.PositiveIntegerField(_("序号"), default=0)  # order in the published list
    name = models.CharField(_("抽查领域"), max_length=200, unique=True)
    partners = models.ManyToManyField(
        Department, verbose_name=_("配合部门"), related_name="joint_fields", blank=True
    )
    partners_text = models.CharField(_("配合部门（清单原文）"), max_length=300, blank=True)
    # "市场监管领域相关部门": any member department of the joint meeting may join
    any_member_partners = models.BooleanField(_("相关部门均可配合"), default=False)

    class Meta:
        ordering = ["number", "name"]
        verbose_name = _("联合抽查领域")
        verbose_name_plural = _("联合抽查领域")

    def __str__(self) -> str:
        return self.name

    def proposed_departments(self) -> list[Department]:
        """Leads of its items first, then its named partners: a joint check's proposal."""
        seen: dict[int, Department] = {}
        for item in self.joint_items.all():
            for department in item.lead_departments.all():
                seen.setdefault(department.pk, department)
        for department in self.partners.all():
            seen.setdefault(department.pk, department)
        return list(seen.values())


class JointItem(models.Model):
    """A joint check item (部门联合抽查事项): departments that check the same objects together."""

    field = models.ForeignKey(
        JointField,
        verbose_name=_("抽查领域"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="joint_items",
    )
    # all leads (发起部门), sometimes two ("生态环境部门、市场监管部门"); lead_department is the first
    lead_departments = models.ManyToManyField(
        Department, verbose_name=_("发起部门"), related_name="joint_items_led", blank=True
    )

    code = models.CharField(_("编号"), max_length=40, unique=True)
    name = models.CharField(_("联合抽查事项"), max_length=200)
    inspection_object = models.CharField(_("检查对象"), max_length=200, blank=True)
    lead_department = models.ForeignKey(
        Department, verbose_name=_("发起部门"), on_delete=models.PROTECT, related_name="+"
    )
    departments = models.ManyToManyField(
        Department, verbose_name=_("参与部门"), related_name="joint_items"
    )
    items = models.ManyToManyField(
        CheckItem, verbose_name=_("各部门事项"), related_name="joint_items"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("联合抽查事项")
        verbose_name_plural = _("联合抽查事项")

    def __str__(self) -> str:
        return self.name
