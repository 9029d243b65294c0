from enum import StrEnum


class ExportErrorCode(StrEnum):
    ACCOUNT_INACTIVE = "account_inactive"
    NO_LONGER_PERMITTED = "no_longer_permitted"
    SCOPE_CHANGED = "scope_changed"
