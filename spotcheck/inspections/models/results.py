from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from spotcheck.accounts.models import Department
from spotcheck.draws.models import Visit, VisitInspector
from spotcheck.items.models import CheckItemVersion, CheckMethod
from spotcheck.plans.models import SpotCheckTask


class ResultCategory(models.Model):
    """A result category (检查结果) as published; the standard list plus a department's own."""

    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(_("检查结果"), max_length=100)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )  # None: the national standard list
    problem_found = models.BooleanField(default=False)  # opens a follow-up
    visit_not_possible = models.BooleanField(default=False)  # closed, unreachable, moved…
    proposes_abnormal_listing = models.BooleanField(default=False)  # 经营异常名录
    # The rules a result's categories must satisfy together (see inspections/categories.py).
    stands_alone = models.BooleanField(_("不得与其他类别同时选择"), default=False)
    exclusive_group = models.CharField(_("互斥组（同组只能选一项）"), max_length=32, blank=True)
    needs_finding = models.BooleanField(_("须填写检查情况"), default=False)
    needs_measure = models.BooleanField(_("须填写处理措施"), default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("检查结果类别")
        verbose_name_plural = _("检查结果类别")

    def __str__(self) -> str:
        return self.name


class FieldVisit(models.Model):
    """Field work on one drawn visit: arrival, completion or why it could not happen."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("待检查")
        CHECKED = "checked", _("已检查")
        NOT_POSSIBLE = "not_possible", _("未能检查")  # recorded with its category, never dropped

    visit = models.OneToOneField(Visit, on_delete=models.PROTECT, related_name="field")
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.PENDING)
    arrived_at = models.DateTimeField(_("到达时间"), null=True, blank=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    not_possible_category = models.ForeignKey(
        ResultCategory, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    not_possible_note = models.TextField(_("情况说明"), blank=True)
    results_due = models.DateField(_("结果报送期限"), null=True, blank=True)  # visit + 10 days
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.visit} · {self.get_outcome_display()}"

    @property
    def status_label(self) -> str:
        """What an inspector calls the state: arrived but not finished is 检查中."""
        if self.closed_at is not None:
            return str(_("已办结"))
        if self.outcome == self.Outcome.PENDING and self.arrived_at is not None:
            return str(_("检查中"))
        return self.get_outcome_display()


class ResultStatus(models.TextChoices):
    NOT_ENTERED = "not_entered", _("未录入")
    ENTERED = "entered", _("已录入")
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("已审核")  # never changed in place: corrections are amendments
    RETURNED = "returned", _("已退回")  # back to the inspectors with a reason
    REJECTED = "rejected", _("不予采纳")  # refused; the department decides on a new check


class ResultQuerySet(models.QuerySet):
    def pending_review(self):
        """Submitted results waiting for a reviewer."""
        return self.filter(status=ResultStatus.SUBMITTED)

    def overdue(self, today):
        """Not yet submitted although the 10-day deadline has passed."""
        return self.filter(
            status__in=(ResultStatus.NOT_ENTERED, ResultStatus.ENTERED, ResultStatus.RETURNED),
            visit__field__results_due__lt=today,
        )


class ItemResult(FSMModelMixin, models.Model):
    """The result of one check item in one visit, entered by the item's department."""

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="results")
    task = models.ForeignKey(SpotCheckTask, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(CheckItemVersion, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    status = FSMField(
        default=ResultStatus.NOT_ENTERED, choices=ResultStatus.choices, protected=True
    )
    categories = models.ManyToManyField(ResultCategory, verbose_name=_("检查结果"), blank=True)
    finding = models.TextField(_("检查情况"), blank=True)
    legal_basis = models.TextField(_("法律依据"), blank=True)
    measures = models.TextField(_("处理措施"), blank=True)
    method = models.CharField(
        _("检查方式"), max_length=16, choices=CheckMethod.choices, default=CheckMethod.ON_SITE
    )
    confirmed_by = models.ManyToManyField(
        VisitInspector, verbose_name=_("确认人员"), blank=True, related_name="+"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    entered_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(_("审核意见"), blank=True)

    objects = ResultQuerySet.as_manager()

    class Meta:
        ordering = ["visit", "department", "item"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "task", "item"], name="one_result_per_item")
        ]
        verbose_name = _("检查结果")
        verbose_name_plural = _("检查结果")

    def __str__(self) -> str:
        return f"{self.visit.visit_id} {self.item.name}: {self.get_status_display()}"

    @transition(
        field=status,
        source=[ResultStatus.NOT_ENTERED, ResultStatus.ENTERED, ResultStatus.RETURNED],
        target=ResultStatus.ENTERED,
    )
    def enter(self):
        """Record or correct the result before it is submitted."""

    @transition(field=status, source=ResultStatus.ENTERED, target=ResultStatus.SUBMITTED)
    def submit(self):
        """To the department's reviewer; a returned result must be re-entered first."""

    @transition(field=status, source=ResultStatus.SUBMITTED, target=ResultStatus.APPROVED)
    def approve(self):
        """Approved results are final; corrections become amendments."""

    @transition(field=status, source=ResultStatus.SUBMITTED, target=ResultStatus.RETURNED)
    def send_back(self):
        """Returned to the inspectors with the reviewer's reason."""

    @transition(field=status, source=ResultStatus.SUBMITTED, target=ResultStatus.REJECTED)
    def reject(self):
        """Refused by the reviewer."""


def evidence_path(instance, filename: str) -> str:
    # Names are generated: nothing the uploader typed reaches the file system.
    return f"evidence/{instance.result.visit.batch.number}/{instance.sha256[:2]}/{instance.sha256}{instance.extension}"


class Evidence(models.Model):
    """A photo or PDF attached to a result; stored outside the web root, served by a scoped view."""

    result = models.ForeignKey(ItemResult, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to=evidence_path)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=50)  # from the file's bytes, not its name
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.original_name


class AmendmentStatus(models.TextChoices):
    PROPOSED = "proposed", _("待审核")
    APPROVED = "approved", _("已生效")
    REFUSED = "refused", _("未通过")


class ResultAmendment(models.Model):
    """A correction of an approved result: the original stays, the amendment is shown as history."""

    result = models.ForeignKey(ItemResult, on_delete=models.PROTECT, related_name="amendments")
    reason = models.TextField(_("更正原因"))
    categories = models.ManyToManyField(ResultCategory, verbose_name=_("检查结果"))
    finding = models.TextField(_("检查情况"), blank=True)
    measures = models.TextField(_("处理措施"), blank=True)
    status = models.CharField(
        max_length=10, choices=AmendmentStatus.choices, default=AmendmentStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["result", "proposed_at"]

    def __str__(self) -> str:
        return f"{self.result} · {self.get_status_display()}"
