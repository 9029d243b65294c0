from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarYear(models.Model):
    """A year whose working days are known; deadlines in any other year are refused."""

    class Source(models.TextChoices):
        CHINESECALENDAR = "chinesecalendar", _("国务院办公厅通知（chinesecalendar 数据）")
        OFFICE = "office", _("联席会议办公室录入")

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices)
    notice = models.CharField(_("通知文号"), max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["year"]
        verbose_name = _("工作日历年度")
        verbose_name_plural = _("工作日历年度")

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """One day of a covered year: every day is stored, so a count is a plain query."""

    date = models.DateField(_("日期"), unique=True)
    is_working = models.BooleanField(_("工作日"))
    # Holiday name, or "调休上班" for a weekend day made a working day.
    note = models.CharField(_("说明"), max_length=50, blank=True)

    class Meta:
        ordering = ["date"]
        indexes = [models.Index(fields=["is_working", "date"])]
        verbose_name = _("日历日")
        verbose_name_plural = _("日历日")

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {'工作日' if self.is_working else '休息日'}"
