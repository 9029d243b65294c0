from enum import StrEnum
from typing import NoReturn

from django.core.exceptions import ValidationError


class CheckErrorCode(StrEnum):
    GROUND_REQUIRED = "ground_required"  # a case check names one of the listed grounds
    PLAN_REQUIRED = "plan_required"  # a special check comes from an approved plan
    LEAD_REQUIRED = "lead_required"
    FOLLOW_UP_REQUIRED = "follow_up_required"
    DESCRIPTION_REQUIRED = "description_required"
    NOT_BEFORE = "not_before"  # approval comes before the check, except in an emergency
    FILED_LATE = "filed_late"  # an emergency is filed within the working days allowed
    WRONG_STATE = "wrong_state"
    NOTE_REQUIRED = "note_required"  # a refusal says why
    OWN_REQUEST = "own_request"  # nobody approves their own request
    NOT_ELIGIBLE = "not_eligible"  # the same entity violated the same tolerance entry before


def refuse(message: str, code: CheckErrorCode) -> NoReturn:
    """A refusal of the checks' services: the Chinese message with its machine-readable code."""
    raise ValidationError(message, code=code)
