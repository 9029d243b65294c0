from .calendar import CalendarDay, CalendarYear
from .records import (
    DisclosureExemption,
    ExemptionStatus,
    PublicationReminder,
    PublicRecord,
)

__all__ = [
    "CalendarDay",
    "CalendarYear",
    "DisclosureExemption",
    "ExemptionStatus",
    "PublicRecord",
    "PublicationReminder",
]
