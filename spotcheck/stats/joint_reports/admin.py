from django.contrib import admin

from .models import TimetableMilestone


@admin.register(TimetableMilestone)
class TimetableMilestoneAdmin(admin.ModelAdmin):
    """The district's yearly timetable: dates and what marks each line done are data."""

    list_display = [
        "order",
        "name",
        "responsible",
        "start_month",
        "start_day",
        "end_month",
        "end_day",
        "measure",
    ]
    list_editable = ["start_month", "start_day", "end_month", "end_day"]
