from enum import StrEnum


class CreditErrorCode(StrEnum):
    REASON_REQUIRED = "reason_required"  # overrides and their removal are explained
    CLASS_REQUIRED = "class_required"
    NO_OVERRIDE = "no_override"  # nothing to clear
