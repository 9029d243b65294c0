from enum import StrEnum


class FirmSideErrorCode(StrEnum):
    WRONG_PIN = "wrong_pin"
    PIN_LOCKED = "pin_locked"
    NOT_YET_CHECKED = "not_yet_checked"
    ALREADY_RATED = "already_rated"
    STARS_OUT_OF_RANGE = "stars_out_of_range"
    TOO_LATE = "too_late"
    NOT_ON_TEAM = "not_on_team"
    REASON_REQUIRED = "reason_required"
    ALREADY_DECIDED = "already_decided"
    NOT_NEGATIVE = "not_negative"
    ALREADY_REQUESTED = "already_requested"
    UNKNOWN_CODE = "unknown_code"
    USERNAME_TAKEN = "username_taken"
    VISIT_GONE = "visit_gone"
    PIN_ALREADY_ISSUED = "pin_already_issued"
