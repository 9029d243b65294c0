from django.core.exceptions import PermissionDenied
from django.db import models


class DirectoryErrorCode(models.TextChoices):
    REGISTRATION_OWNED = "registration_owned"  # a non-owner tried to change the shared record
    REASON_REQUIRED = "reason_required"  # class or abnormal flag changed without a reason
    NOT_SUPERVISED = "not_supervised"  # a department wrote about an entity it does not supervise


class RegistrationOwnedError(PermissionDenied):
    """A department that does not own the shared record tried to change it; the message says
    who does, in Chinese, for the page and the API."""

    code = DirectoryErrorCode.REGISTRATION_OWNED
