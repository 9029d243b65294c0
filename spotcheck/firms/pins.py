"""The one-time PIN printed on the notice beside the code: it proves the paper, not the link.

The PIN is derived from the code with a keyed hash (HMAC-SHA256 under the server's secret), so
the database holds no PIN at all, not even a hash of one, and a reprinted notice shows the same
PIN. "One-time": each thing it opens (a rating) can be done once per visit.
"""

import hashlib
import hmac
import unicodedata

from django.conf import settings

PIN_DIGITS = 6


def visit_pin(access_code: str) -> str:
    key = hashlib.sha256(f"spotcheck-visit-pin:{settings.SECRET_KEY}".encode()).digest()
    digest = hmac.new(key, access_code.encode(), hashlib.sha256).digest()
    return str(int.from_bytes(digest[:8], "big") % 10**PIN_DIGITS).zfill(PIN_DIGITS)


def normalized(typed: str) -> str:
    return "".join(unicodedata.normalize("NFKC", typed).split())


def pin_matches(access_code: str, typed: str) -> bool:
    # A Chinese input method may give full-width digits (１２３): NFKC makes them ASCII.
    # Bytes: compare_digest refuses a str with anything else non-ASCII in it.
    typed_bytes = normalized(typed).encode("utf-8", "surrogatepass")
    return hmac.compare_digest(visit_pin(access_code).encode(), typed_bytes)
