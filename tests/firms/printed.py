"""The PIN on a visit's printed notice, for tests: printing issues a PIN and keeps only its hash,
so the plain PIN is remembered here, per stored hash, the way the paper remembers it."""

import subprocess

from spotcheck.accounts.models import Role
from spotcheck.firms.models import VisitPin
from spotcheck.firms.services import visit_pin_issue
from tests.factories import UserFactory

_printed: dict[str, str] = {}  # stored hash → the PIN printed with it


def remember(visit, pin: str) -> str:
    """Keep the PIN just printed for `visit` (a first print or a reissue)."""
    _printed[VisitPin.objects.get(visit=visit).pin_hash] = pin
    return pin


def printed_pin(visit) -> str:
    """The PIN on the visit's paper notice; prints the first notice if none was."""
    stored = VisitPin.objects.filter(visit=visit).values_list("pin_hash", flat=True).first()
    if stored is None:
        return remember(visit, visit_pin_issue(actor=sender(visit), visit=visit))
    # Only the first print carries the PIN: one printed elsewhere in the test is not known here.
    assert stored in _printed, "the visit's PIN was printed on a letter this helper did not keep"
    return _printed[stored]


def sender(visit):
    """The organising department's liaison, who prints and sends the visit's first letter."""
    department = visit.batch.department
    liaison = department.users.filter(role=Role.DEPARTMENT_ADMIN, is_active=True).first()
    return liaison or UserFactory(role=Role.DEPARTMENT_ADMIN, department=department)


def pdf_text(content: bytes) -> str:
    """A letter's text without white space (the letter wraps lines anywhere)."""
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    return "".join(text.split())
