from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .event_types import AuditEventType

GENESIS_HASH = "0" * 64


class AuditEvent(models.Model):
    """Append-only, hash-chained record of every state change (审计日志)."""

    occurred_at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, null=True, related_name="+"
    )
    # No choices on the column: new event types need no migration.
    event_type = models.PositiveSmallIntegerField(_("事件"))
    target_type = models.CharField(max_length=50)
    target_id = models.CharField(max_length=64, blank=True)
    extra = models.JSONField(default=dict)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["department", "event_type", "occurred_at"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_event_type_display()} {self.target_type}:{self.target_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("audit events are append-only")

    def get_event_type_display(self) -> str:
        try:
            return str(AuditEventType(self.event_type).label)
        except ValueError:
            return str(self.event_type)


class AuditChainHead(models.Model):
    """Single row holding the newest hash; locking it serialises appends to the chain."""

    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    last_event_id = models.BigIntegerField(null=True)

    def __str__(self) -> str:
        return self.last_hash


class AuditHeadPublication(models.Model):
    """A chain head shown on the public portal: anyone who keeps one can detect a rewrite."""

    class Source(models.TextChoices):
        DAILY = "daily", _("每日自动公布")
        OFFICE = "office", _("办公室手动公布")

    published_at = models.DateTimeField(_("公布时间"))
    head_hash = models.CharField(_("链头哈希"), max_length=64)
    # The head is the publication's own audit event, so the published hash is in the chain.
    event_id = models.BigIntegerField(_("事件编号"))
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("公布的审计链头")
        verbose_name_plural = _("公布的审计链头")

    def __str__(self) -> str:
        return f"{self.published_at:%Y-%m-%d %H:%M} {self.head_hash}"
