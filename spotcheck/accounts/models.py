from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    """A member unit of the joint meeting (成员单位), e.g. the market-supervision bureau."""

    code = models.CharField(_("部门代码"), max_length=32, unique=True)
    name = models.CharField(_("部门名称"), max_length=100)
    region_code = models.CharField(_("行政区划代码"), max_length=12)
    is_active = models.BooleanField(_("启用"), default=True)
    # Printed on notice letters so a firm knows whom to call.
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    address = models.CharField(_("办公地址"), max_length=200, blank=True)
    # The cap of general check items whose list sets none (provincial lists carry no ratio);
    # empty: the district's SPOTCHECK_RULES["DEFAULT_RATIO_CAP"].
    default_ratio_cap = models.DecimalField(
        _("一般检查事项默认抽查比例上限"), max_digits=5, decimal_places=4, null=True, blank=True
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("部门")
        verbose_name_plural = _("部门")

    def __str__(self) -> str:
        return self.name


class DepartmentAlias(models.Model):
    """Another name a spreadsheet gives a department (省卫健委, 区卫健局): imports resolve it."""

    department = models.ForeignKey(
        Department, verbose_name=_("部门"), on_delete=models.CASCADE, related_name="aliases"
    )
    alias = models.CharField(_("别名"), max_length=100, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["department", "alias"]
        verbose_name = _("部门别名")
        verbose_name_plural = _("部门别名")

    def __str__(self) -> str:
        return f"{self.alias} → {self.department}"


class Role(models.TextChoices):
    OFFICE_ADMIN = (
        "office_admin",
        _("联席会议办公室管理员"),
    )  # sees and coordinates every department
    DEPARTMENT_ADMIN = "department_admin", _("部门联络员")  # manages one department's data
    REVIEWER = "reviewer", _("审核人")  # approves plans and results of one department
    INSPECTOR = "inspector", _("执法检查人员")  # sees own visits only
    # Discipline inspection, justice, a court: reads every batch and downloads the full
    # verification kit (credit classes, conflicts), each download audited; changes nothing.
    OVERSIGHT = "oversight", _("监督人员（纪检监察、司法）")
    # A firm signed in to its own page (firms.FirmAccount binds it to one entity); no department,
    # no internal page (accounts.middleware.FirmAreaMiddleware).
    FIRM = "firm", _("企业用户")


class User(AbstractUser):
    department = models.ForeignKey(
        Department,
        verbose_name=_("部门"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices, default=Role.INSPECTOR)
    full_name = models.CharField(_("姓名"), max_length=50, blank=True)

    @property
    def is_office(self) -> bool:
        return self.role == Role.OFFICE_ADMIN or self.is_superuser

    @property
    def is_oversight(self) -> bool:
        return self.role == Role.OVERSIGHT

    @property
    def is_firm(self) -> bool:
        return self.role == Role.FIRM

    @property
    def can_manage_department_data(self) -> bool:
        return self.role in (Role.OFFICE_ADMIN, Role.DEPARTMENT_ADMIN) or self.is_superuser

    def __str__(self) -> str:
        return self.full_name or self.username


class TokenScope(models.TextChoices):
    READ = "read", _("只读")  # GET requests only
    WRITE = "write", _("读写")  # every operation the user may do


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now):
        """Not revoked and not expired at `now`."""
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    """A bearer token for the API; only its SHA-256 is stored, the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    label = models.CharField(_("用途"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    # Existing tokens keep working with the rights they had (write).
    scope = models.CharField(
        _("权限范围"), max_length=5, choices=TokenScope.choices, default=TokenScope.WRITE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("有效期至"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} · {self.label}"
