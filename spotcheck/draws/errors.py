from enum import StrEnum


class BatchErrorCode(StrEnum):
    NO_TASKS = "no_tasks"
    TASK_NOT_READY = "task_not_ready"
    JOINT_CHECK_NOT_APPROVED = "joint_check_not_approved"
    WRONG_STATE = "wrong_state"  # e.g. a second draw of a drawn batch
    RANDOMNESS_MISSING = "randomness_missing"
    RANDOMNESS_TOO_EARLY = "randomness_too_early"  # before the time named at commitment
    WITNESSES_MISSING = "witnesses_missing"
    REASON_REQUIRED = "reason_required"
    POPULATION_EMPTY = "population_empty"
    NO_REPLACEMENT = "no_replacement"
    DRAW_NOT_STALLED = "draw_not_stalled"  # resume asked while the draw still moves
