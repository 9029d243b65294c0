"""The PIN on a visit's printed notice, for tests: printing issues a PIN and keeps only its hash,
so the plain PIN is remembered here, per stored hash, the way the paper remembers it."""

from spotcheck.firms.models import VisitPin
from spotcheck.firms.services import visit_pin_issue

_printed: dict[str, str] = {}  # stored hash → the PIN printed with it


def printed_pin(visit) -> str:
    """The PIN of the visit's latest printed notice; prints one if none was."""
    stored = VisitPin.objects.filter(visit=visit).values_list("pin_hash", flat=True).first()
    if stored in _printed:
        return _printed[stored]
    pin = visit_pin_issue(visit=visit)
    _printed[VisitPin.objects.get(visit=visit).pin_hash] = pin
    return pin
