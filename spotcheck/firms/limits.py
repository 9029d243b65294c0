"""Rate limits for the public code page: by client address for unknown codes, by visit for PINs.

Codes have 80 bits, so the limit is not what protects them; it keeps a scanner from hammering
the page and a PIN (6 digits) from being guessed."""

from django.core.cache import cache

CODE_LOOKUPS_PER_HOUR = 30
PIN_FAILURES_PER_HOUR = 5
HOUR = 3600


def _count(key: str) -> int:
    return cache.get(key, 0)


def _bump(key: str) -> None:
    if not cache.add(key, 1, HOUR):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, HOUR)


def lookups_exhausted(ip: str) -> bool:
    return _count(f"firms:lookups:{ip}") >= CODE_LOOKUPS_PER_HOUR


def lookup_failed(ip: str) -> None:
    _bump(f"firms:lookups:{ip}")


def pin_locked(visit_pk: int) -> bool:
    return _count(f"firms:pin:{visit_pk}") >= PIN_FAILURES_PER_HOUR


def pin_failed(visit_pk: int) -> None:
    _bump(f"firms:pin:{visit_pk}")


SCAN_RECORD_SECONDS = 60


def scan_is_new(visit_pk: int, ip: str) -> bool:
    """One recorded scan per visit and address a minute: a reload loop writes no rows."""
    return cache.add(f"firms:scan:{visit_pk}:{ip}", 1, SCAN_RECORD_SECONDS)
