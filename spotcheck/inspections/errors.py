from enum import StrEnum


class ResultErrorCode(StrEnum):
    WRONG_STATE = "wrong_state"
    NO_CATEGORY = "no_category"
    TOO_FEW_CONFIRMATIONS = "too_few_confirmations"
    REVIEWER_ON_TEAM = "reviewer_on_team"  # nobody reviews a check they made
    REASON_REQUIRED = "reason_required"
    NOT_ALL_APPROVED = "not_all_approved"
    EVIDENCE_TYPE = "evidence_type"
    EVIDENCE_SIZE = "evidence_size"
    CATEGORY_NOT_ALLOWED = "category_not_allowed"
    CATEGORIES_CONTRADICT = "categories_contradict"  # e.g. 未发现问题 with 注销
    FINDING_REQUIRED = "finding_required"
    MEASURE_REQUIRED = "measure_required"
