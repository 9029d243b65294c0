from django.contrib import messages
from django.core.exceptions import ValidationError


def flash_errors(request, error: ValidationError) -> None:
    """A service's refusal, shown to the user on the next page."""
    messages.error(request, "；".join(error.messages))
