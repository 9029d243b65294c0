import base64
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from spotcheck.accounts.models import Department
from spotcheck.common.file_jobs import FileJob, FileJobStatus
from spotcheck.directory.models import Inspector, MarketEntity
from spotcheck.plans.models import JointCheck, SpotCheckTask


class BatchStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    COMMITTED = "committed", _("已公布承诺")  # inputs frozen and published; awaits randomness
    DRAWING = "drawing", _("抽取中")  # randomness entered, the job is running
    DRAWN = "drawn", _("已抽取")
    FAILED = "failed", _("抽取失败")  # e.g. visits that cannot be staffed; nothing assigned
    SUPERSEDED = "superseded", _("已重新承诺")  # replaced by a redraw with a recorded reason


class BatchQuerySet(models.QuerySet):
    def public(self):
        """Batches whose commitments are published: everything from commit on."""
        return self.exclude(status=BatchStatus.DRAFT)


class DrawBatch(models.Model):
    """Tasks drawn together with one seed (抽取批次); a joint check is one batch."""

    number = models.CharField(_("批次编号"), max_length=32, unique=True)
    name = models.CharField(_("批次名称"), max_length=200)
    department = models.ForeignKey(
        Department, verbose_name=_("组织部门"), on_delete=models.PROTECT, related_name="+"
    )
    joint_check = models.ForeignKey(
        JointCheck, on_delete=models.PROTECT, null=True, blank=True, related_name="batches"
    )
    tasks = models.ManyToManyField(SpotCheckTask, related_name="batches")
    status = models.CharField(
        _("状态"), max_length=12, choices=BatchStatus.choices, default=BatchStatus.DRAFT
    )
    planned_date = models.DateField(_("计划检查日期"))
    # Named in advance: the form and time of the public randomness (e.g. dice by witnesses).
    randomness_source = models.CharField(_("公开随机数来源"), max_length=300)
    randomness_due = models.DateTimeField(_("随机数产生时间"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(_("承诺公布时间"), null=True, blank=True)
    population_root = models.CharField(_("抽查对象承诺值"), max_length=64, blank=True)
    design_hash = models.CharField(_("抽取方案承诺值"), max_length=64, blank=True)
    population_lines = models.PositiveIntegerField(default=0)
    randomness_value = models.CharField(_("公开随机数"), max_length=200, blank=True)
    witnesses = models.CharField(_("见证人"), max_length=300, blank=True)
    randomness_entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    randomness_entered_at = models.DateTimeField(null=True, blank=True)
    # A job of the draw ended on an error that is not the draw's own (a missing file, a database
    # error, a worker stopped): the batch waits in DRAWING until someone resumes it.
    draw_stopped_at = models.DateTimeField(_("抽取中断时间"), null=True, blank=True)
    draw_resumed_at = models.DateTimeField(_("继续抽取时间"), null=True, blank=True)
    seed = models.CharField(_("种子"), max_length=400, blank=True)
    drawn_at = models.DateTimeField(_("抽取完成时间"), null=True, blank=True)
    record = models.JSONField(_("抽取记录"), default=dict, blank=True)
    visits_saved = models.PositiveIntegerField(_("减少入户次数"), default=0)
    failure = models.TextField(_("失败原因"), blank=True)
    redraw_of = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="redrawn_as"
    )
    redraw_reason = models.TextField(_("重新承诺原因"), blank=True)

    objects = BatchQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("抽取批次")
        verbose_name_plural = _("抽取批次")

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


# No 0/O, 1/I: a code read off paper and typed in must not be ambiguous. 32 symbols, 16 of them:
# 80 bits, out of reach of guessing even without a rate limit.
ACCESS_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
ACCESS_CODE_LENGTH = 16


# 10 random bytes are exactly 16 base-32 symbols, spelled in the code's own alphabet: one call
# per code instead of 16 (a province's batch makes 30,000 codes in its one transaction).
_FROM_BASE32 = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", ACCESS_CODE_ALPHABET.encode())


def new_access_code() -> str:
    return base64.b32encode(secrets.token_bytes(10)).translate(_FROM_BASE32).decode()


class VisitQuerySet(models.QuerySet):
    def going_ahead(self):
        """Visits that still happen: not merged into another department's visit."""
        return self.filter(merged_into__isnull=True)


class Visit(models.Model):
    """One entity visited once for every task that drew it (进一次门、查多项事)."""

    batch = models.ForeignKey(DrawBatch, on_delete=models.PROTECT, related_name="visits")
    visit_id = models.CharField(_("检查编号"), max_length=16)  # V000001…, ascending ticket
    entity = models.ForeignKey(MarketEntity, on_delete=models.PROTECT, related_name="visits")
    ticket = models.CharField(_("随机票号"), max_length=24)
    tasks = models.ManyToManyField(SpotCheckTask, related_name="visits")
    planned_date = models.DateField(_("计划检查日期"))
    # Printed on the notice letter: opens the entity's own population lines and their proofs.
    access_code = models.CharField(
        _("查询码"), max_length=ACCESS_CODE_LENGTH, unique=True, default=new_access_code
    )
    # Merged into another department's visit of the same firm (合并检查): kept, never deleted,
    # its code then points the firm to the visit that goes ahead.
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_visits"
    )
    merged_at = models.DateTimeField(_("合并时间"), null=True, blank=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["batch", "visit_id"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "visit_id"], name="visit_id_per_batch"),
            models.UniqueConstraint(fields=["batch", "entity"], name="one_visit_per_entity"),
        ]
        verbose_name = _("检查")
        verbose_name_plural = _("检查")

    def __str__(self) -> str:
        return f"{self.batch.number}/{self.visit_id} {self.entity.name}"


class TeamMemberQuerySet(models.QuerySet):
    def serving(self):
        """Inspectors currently on the visit (not recused)."""
        return self.filter(recused_at__isnull=True)


class VisitInspector(models.Model):
    """An inspector on a visit's team; a recusal keeps the row and points to the replacement."""

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="team")
    inspector = models.ForeignKey(Inspector, on_delete=models.PROTECT, related_name="visit_roles")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveSmallIntegerField()  # order in the department's ranking for the visit
    recused_at = models.DateTimeField(null=True, blank=True)
    recusal_reason = models.CharField(_("回避原因"), max_length=300, blank=True)
    recused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    replaced_by = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaces"
    )

    objects = TeamMemberQuerySet.as_manager()

    class Meta:
        ordering = ["visit", "department", "rank"]
        verbose_name = _("检查组成员")
        verbose_name_plural = _("检查组成员")

    def __str__(self) -> str:
        return f"{self.visit.visit_id}: {self.inspector.name}"


ArchiveStatus = FileJobStatus


class NoticeArchive(FileJob):
    """A zip of a batch's notice letters, built by a background job for the one who asked: a
    544-visit batch takes longer than any web request may. ``total``: letters to write (the
    requester's scope)."""

    batch = models.ForeignKey(DrawBatch, on_delete=models.CASCADE, related_name="notice_archives")
    fmt = models.CharField(max_length=4)  # pdf or docx
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Some letters were first prints with the firm's PIN: only one who still sends the batch's
    # notices may take the file.
    carries_pins = models.BooleanField(default=False)

    class Meta(FileJob.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.batch.number} {self.fmt} #{self.pk}"


class DrawSplit(models.Model):
    """A draw split across queue workers (draw-spec §8) while it runs: the plan the range jobs
    share (seed, each group's cut, the byte ranges of population.tsv). Deleted with its ranges
    in the transaction that stores the drawn batch (or its failure)."""

    batch = models.OneToOneField(DrawBatch, on_delete=models.CASCADE, related_name="split")
    plan = models.TextField()  # spotcheck_draw.split.SplitPlan.encode()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.batch.number} split"


class DrawRange(models.Model):
    """One USCC range of a split draw, drawn once ``finished_at`` is set: a worker that dies
    costs only its own range, drawn again by the next ``run_draw``."""

    split = models.ForeignKey(DrawSplit, on_delete=models.CASCADE, related_name="ranges")
    index = models.PositiveIntegerField()
    start = models.PositiveBigIntegerField()  # byte offsets in population.tsv: [start, end)
    end = models.PositiveBigIntegerField()
    candidates = models.TextField(blank=True)  # spotcheck_draw.split.encode_candidates
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["split", "index"], name="draw_range_unique_index")
        ]
        ordering = ["index"]

    def __str__(self) -> str:
        return f"range {self.index} [{self.start}, {self.end})"
