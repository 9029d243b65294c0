from enum import StrEnum


class DirectoryErrorCode(StrEnum):
    IDENTIFIER_MISSING = "identifier_missing"
    USCC_INVALID = "uscc_invalid"
    REGISTRATION_NUMBER_INVALID = "registration_number_invalid"
    DUPLICATE_KEY = "duplicate_key"
    REGION_UNKNOWN = "region_unknown"
    INDUSTRY_UNKNOWN = "industry_unknown"
    OUTSIDE_DEPARTMENT = "outside_department"
