from enum import StrEnum


class PublicationErrorCode(StrEnum):
    YEAR_NOT_IN_CALENDAR = "year_not_in_calendar"  # never guess a deadline
    CALENDAR_FILE = "calendar_file"
    NOTHING_TO_PUBLISH = "nothing_to_publish"
    LEGAL_GROUND_REQUIRED = "legal_ground_required"
    WRONG_STATE = "wrong_state"
