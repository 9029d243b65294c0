from .calendar import CalendarDay, CalendarYear
from .records import (
    DisclosureExemption,
    ExemptionStatus,
    NationalExport,
    PrecheckAnnouncement,
    PublicationReminder,
    PublicRecord,
)

__all__ = [
    "CalendarDay",
    "CalendarYear",
    "DisclosureExemption",
    "ExemptionStatus",
    "NationalExport",
    "PrecheckAnnouncement",
    "PublicRecord",
    "PublicationReminder",
]
