from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from spotcheck.accounts.models import Department


class EntityType(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    INDIVIDUAL = "individual", _("个体工商户")
    COOPERATIVE = "cooperative", _("农民专业合作社")
    OTHER = "other", _("其他")


class EntityStatus(models.TextChoices):
    OPERATING = "operating", _("存续")  # 在营、开业、在册
    REVOKED = "revoked", _("吊销")
    DEREGISTERED = "deregistered", _("注销")
    MOVED_OUT = "moved_out", _("迁出")
    CLOSED = "closed", _("停业")


class CreditClass(models.TextChoices):
    """企业信用风险分类: internal, never published."""

    A = "A", _("A类（信用风险低）")
    B = "B", _("B类（信用风险一般）")
    C = "C", _("C类（信用风险较高）")
    D = "D", _("D类（信用风险高）")


#: The name an individual business registered without a trade name (无字号) is kept under, the
#: address following it, until someone completes it.
NAMELESS = "（无字号）"


class EntityQuerySet(models.QuerySet):
    def operating(self):
        """Entities that can be inspected: still registered and trading."""
        return self.filter(status=EntityStatus.OPERATING)

    def abnormal_listed(self):
        """Entities on the abnormal-operations list (经营异常名录)."""
        return self.filter(abnormal_listed=True)

    def nameless(self):
        """Individual businesses imported without a name (无字号), to be completed."""
        return self.filter(name__startswith=NAMELESS)


class MarketEntity(models.Model):
    """A market entity in the inspection-object directory (检查对象名录库)."""

    # The USCC when there is one, else the registration number in one of its legacy forms
    # (15 or 13 digits, 469006NA000212X, 企独琼总字第008245号): one unique key to upsert on.
    key = models.CharField(max_length=40, unique=True, editable=False)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    registration_number = models.CharField(_("注册号"), max_length=40, blank=True)
    name = models.CharField(_("名称"), max_length=200)
    entity_type = models.CharField(_("主体类型"), max_length=16, choices=EntityType.choices)
    industry_code = models.CharField(_("行业代码"), max_length=5, blank=True)
    region_code = models.CharField(_("行政区划"), max_length=12, blank=True)
    address = models.CharField(_("经营地址"), max_length=300, blank=True)
    status = models.CharField(
        _("登记状态"), max_length=16, choices=EntityStatus.choices, default=EntityStatus.OPERATING
    )
    credit_class = models.CharField(
        _("信用风险分类"), max_length=1, choices=CreditClass.choices, default=CreditClass.B
    )
    abnormal_listed = models.BooleanField(_("列入经营异常名录"), default=False)
    # 成立日期: the credit rules treat young firms as riskier; unknown for older registers.
    established_on = models.DateField(_("成立日期"), null=True, blank=True)
    tags = models.JSONField(_("标签"), default=list, blank=True)
    departments = models.ManyToManyField(
        Department, verbose_name=_("监管部门"), related_name="supervised_entities", blank=True
    )
    # SHA-256 prefix of the imported fields: a re-import compares this instead of every column.
    fingerprint = models.CharField(max_length=32, editable=False, default="")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["fingerprint", "updated_at"])

    objects = EntityQuerySet.as_manager()

    class Meta:
        ordering = ["key"]
        verbose_name = _("检查对象")
        verbose_name_plural = _("检查对象")
        indexes = [
            models.Index(fields=["name"]),
            models.Index(fields=["region_code", "entity_type"]),
            models.Index(fields=["credit_class"]),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.key}）"


class InspectorStatus(models.TextChoices):
    ACTIVE = "active", _("在岗")
    ON_LEAVE = "leave", _("休假")
    LEFT = "left", _("离岗")


class InspectorQuerySet(models.QuerySet):
    def drawable_on(self, day):
        """Active inspectors whose enforcement certificate is valid on `day`."""
        return self.filter(status=InspectorStatus.ACTIVE, certificate_expiry__gte=day)


class Inspector(models.Model):
    """An inspector in the enforcement-staff directory (执法检查人员名录库)."""

    department = models.ForeignKey(
        Department, verbose_name=_("部门"), on_delete=models.PROTECT, related_name="inspectors"
    )
    user = models.OneToOneField(
        "accounts.User",
        verbose_name=_("登录账号"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inspector",
    )
    name = models.CharField(_("姓名"), max_length=50)
    certificate_number = models.CharField(_("执法证号"), max_length=40, unique=True)
    certificate_expiry = models.DateField(_("执法证有效期至"))
    expertise = models.JSONField(_("执法领域"), default=list, blank=True)
    region_code = models.CharField(_("行政区划"), max_length=12, blank=True)
    status = models.CharField(
        _("状态"), max_length=8, choices=InspectorStatus.choices, default=InspectorStatus.ACTIVE
    )
    capacity_per_batch = models.PositiveIntegerField(_("每批次检查上限"), default=20)
    history = HistoricalRecords()

    objects = InspectorQuerySet.as_manager()

    class Meta:
        ordering = ["department", "name"]
        verbose_name = _("执法检查人员")
        verbose_name_plural = _("执法检查人员")

    def __str__(self) -> str:
        return f"{self.name}（{self.certificate_number}）"


class InspectorConflict(models.Model):
    """A declared conflict of interest (回避关系): this inspector never checks that entity."""

    inspector = models.ForeignKey(Inspector, on_delete=models.CASCADE, related_name="conflicts")
    entity = models.ForeignKey(MarketEntity, on_delete=models.CASCADE, related_name="conflicts")
    reason = models.CharField(_("回避原因"), max_length=200)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["inspector", "entity"], name="one_conflict_per_pair")
        ]
        verbose_name = _("回避关系")
        verbose_name_plural = _("回避关系")

    def __str__(self) -> str:
        return f"{self.inspector} ↔ {self.entity}"


class DepartmentEntityRecord(models.Model):
    """What one department keeps about a shared entity (部门自有信息): its own tags and internal
    notes. They sit beside the shared record, whose registration fields, credit class and
    abnormal flag only the registration authority and the office change; never public."""

    entity = models.ForeignKey(
        MarketEntity, on_delete=models.CASCADE, related_name="department_records"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("部门"), on_delete=models.CASCADE, related_name="entity_records"
    )
    tags = models.JSONField(_("本部门标签"), default=list, blank=True)
    notes = models.TextField(_("本部门内部备注"), max_length=2000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "department"], name="one_record_per_entity_department"
            )
        ]
        verbose_name = _("部门自有信息")
        verbose_name_plural = _("部门自有信息")

    def __str__(self) -> str:
        return f"{self.department} · {self.entity}"
