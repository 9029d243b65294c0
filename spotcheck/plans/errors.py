from enum import StrEnum


class TaskErrorCode(StrEnum):
    NO_ITEMS = "no_items"
    ITEM_OF_ANOTHER_DEPARTMENT = "item_of_another_department"
    ITEM_NOT_ON_LIST = "item_not_on_list"  # 清单之外无监管
    POPULATION_EMPTY = "population_empty"
    RATIO_BELOW_MINIMUM = "ratio_below_minimum"
    GENERAL_ITEM_CAP_EXCEEDED = "general_item_cap_exceeded"
    DESIGN_INVALID = "design_invalid"
    DATES_INVALID = "dates_invalid"
    NOT_EDITABLE = "not_editable"
    QUIET_DAY = "quiet_day"  # 企业安静日: no routine on-site check planned on it


class JointCheckErrorCode(StrEnum):
    NOT_A_PARTNER = "not_a_partner"
    WRONG_STATE = "wrong_state"
    MISSING_TASKS = "missing_tasks"
    PARTNER_INVALID = "partner_invalid"  # a partner code names no department, or the lead's own
