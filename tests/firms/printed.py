"""The PIN on a visit's printed notice, for tests: printing issues a PIN and keeps only its hash,
so the plain PIN is remembered here, per stored hash, the way the paper remembers it."""

from spotcheck.firms.models import VisitPin
from spotcheck.firms.services import visit_pin_issue

_printed: dict[str, str] = {}  # stored hash → the PIN printed with it


def remember(visit, pin: str) -> str:
    """Keep the PIN just printed for `visit` (a first print or a reissue)."""
    _printed[VisitPin.objects.get(visit=visit).pin_hash] = pin
    return pin


def printed_pin(visit) -> str:
    """The PIN on the visit's paper notice; prints the first notice if none was."""
    stored = VisitPin.objects.filter(visit=visit).values_list("pin_hash", flat=True).first()
    if stored is None:
        return remember(visit, visit_pin_issue(visit=visit))
    # Only the first print carries the PIN: one printed elsewhere in the test is not known here.
    assert stored in _printed, "the visit's PIN was printed on a letter this helper did not keep"
    return _printed[stored]
