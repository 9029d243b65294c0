from .calendar import CalendarDay, CalendarYear
from .records import (
    DisclosureExemption,
    ExemptionStatus,
    NationalExport,
    PublicationReminder,
    PublicRecord,
)

__all__ = [
    "CalendarDay",
    "CalendarYear",
    "DisclosureExemption",
    "ExemptionStatus",
    "NationalExport",
    "PublicRecord",
    "PublicationReminder",
]
