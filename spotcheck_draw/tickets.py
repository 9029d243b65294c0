"""Seed and tickets (§2, §3).

ticket(uscc) = "0." + reverse(zero_pad_64(decimal(x))) with x = SHA-256(hex(SHA-256(seed)) ‖ uscc)
read as a big-endian integer: exactly ``consistent_sampler.first_fraction(uscc, seed)``.

The leading k digits of a ticket are the low k decimal digits of x, reversed:
lead_k = reverse_k(x mod 10^k). The fast path only ever needs x mod 10^k, so a hash state is
prepared once per seed (the 64 hex characters of the seed hash are one SHA-256 block) and each
entity costs one copy, one short update and one digest.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from spotcheck_draw.errors import DrawError, DrawErrorCode

KEY_DIGITS = 20  # leading ticket digits kept as an integer key, and published
KEY_MODULUS: int = 10**KEY_DIGITS
CUT_DIGITS = 5  # leading digits decided by the lookup table of the hot loop
CUT_MODULUS: int = 10**CUT_DIGITS


def make_seed(population_root: str, design_hash: str, randomness: str) -> str:
    """seed = "<population root>:<design hash>:<public randomness as entered>" (§2)."""
    for name, value in (("population root", population_root), ("design hash", design_hash)):
        if len(value) != 64 or value.strip("0123456789abcdef"):
            raise DrawError(DrawErrorCode.SEED_INVALID, f"{name} must be 64 lower-case hex digits")
    if not randomness:
        raise DrawError(DrawErrorCode.SEED_INVALID, "the public randomness is empty")
    return f"{population_root}:{design_hash}:{randomness}"


def seed_prefix(seed: str) -> bytes:
    """prefix = hex(SHA-256(UTF-8(seed))) as 64 ASCII bytes (consistent_sampler.sha256_hex)."""
    return hashlib.sha256(seed.encode("utf-8")).hexdigest().encode("ascii")


def ticket_integer(uscc: str, seed: str) -> int:
    """x = SHA-256(prefix ‖ UTF-8(uscc)) as a big-endian integer."""
    return int.from_bytes(hashlib.sha256(seed_prefix(seed) + uscc.encode("utf-8")).digest())


def fraction_of(x: int) -> str:
    """ticket = "0." + reverse(format(x, "064d"))."""
    return "0." + f"{x:064d}"[::-1]


def first_fraction(uscc: str, seed: str) -> str:
    """The full ticket, equal to ``consistent_sampler.first_fraction(uscc, seed)``."""
    return fraction_of(ticket_integer(uscc, seed))


def lead_key(x: int, digits: int = KEY_DIGITS) -> int:
    """lead_k = int(reverse(format(x mod 10^k, "0kd"))): the ticket's first k digits."""
    return int(f"{x % 10**digits:0{digits}d}"[::-1])


KEY_FORMAT = f"0.%0{KEY_DIGITS}d"  # KEY_FORMAT % key is key_text(key)


def key_text(key: int) -> str:
    """The published ticket: "0." + the first 20 digits (truncated, never rounded)."""
    return KEY_FORMAT % key


@dataclass(frozen=True, slots=True)
class Cut:
    """Candidates are the entities whose ticket < limit / 10^5.

    table[r] is 1 iff reverse_5(r) < limit, for r = x mod 10^5 (bytes: 100 kB, stays in the
    cache). When the limit is below 10^(5-q), a candidate's first q digits are 0, so
    x ≡ 0 (mod 10^q), hence x ≡ 0 (mod 2^q): the low q bits of the digest's last byte must be
    zero (mask = 2^q − 1), a test that skips most of the integer work."""

    limit: int
    table: bytes
    mask: int

    @classmethod
    def below(cls, limit: int) -> Cut:
        return _cut_below(max(0, min(CUT_MODULUS, limit)))


@functools.lru_cache(maxsize=32)
def _cut_below(limit: int) -> Cut:
    table = bytearray(CUT_MODULUS)
    for lead in range(limit):
        table[int(f"{lead:0{CUT_DIGITS}d}"[::-1])] = 1
    zeros = CUT_DIGITS - len(str(limit - 1)) if limit > 1 else CUT_DIGITS
    return Cut(limit, bytes(table), (1 << zeros) - 1 if limit else 0)


class TicketHasher:
    """The prepared state of one seed: SHA-256 with the 64-byte seed prefix already absorbed."""

    def __init__(self, seed: str) -> None:
        self.seed = seed
        self._state = hashlib.sha256(seed_prefix(seed))

    def prepared(self, start: bytes) -> Any:
        """The state with ``start`` absorbed too: each text that begins with it then costs one
        copy and one short update."""
        h = self._state.copy()
        h.update(start)
        return h

    def integer(self, uscc: bytes) -> int:
        """x for one UTF-8 encoded USCC."""
        h = self._state.copy()
        h.update(uscc)
        return int.from_bytes(h.digest())

    def ticket(self, uscc: bytes) -> str:
        """The full ticket of one UTF-8 encoded USCC."""
        return fraction_of(self.integer(uscc))

    def key(self, uscc: bytes) -> int:
        """The first 20 digits of the ticket as an integer."""
        return lead_key(self.integer(uscc))

    def scan(self, ids: Iterable[bytes], cut: Cut) -> tuple[list[bytes], list[int]]:
        """The hot loop: ids whose ticket < cut.limit / 10^5, with their 20-digit keys."""
        if cut.limit == 0:
            return [], []
        copy, from_bytes, table, mask = self._state.copy, int.from_bytes, cut.table, cut.mask
        modulus = CUT_MODULUS
        found: list[bytes] = []
        digests: list[bytes] = []
        keep, note = found.append, digests.append
        for uscc in ids:
            h = copy()
            h.update(uscc)
            digest = h.digest()
            if not digest[31] & mask and table[from_bytes(digest) % modulus]:
                keep(uscc)
                note(digest)
        return found, keys_of(digests)


_LAST_DIGITS_REVERSED = itemgetter(slice(None, -KEY_DIGITS - 1, -1))


def keys_of(digests: list[bytes]) -> list[int]:
    """lead_key of each digest: the last 20 decimal digits of x read backwards, by one chain of
    C-level maps (no bytecode per digest; %020d pads the x < 10^19 that never come)."""
    decimal = map(f"%0{KEY_DIGITS}d".__mod__, map(int.from_bytes, digests))
    return list(map(int, map(_LAST_DIGITS_REVERSED, decimal)))
