"""The one-time PIN printed on the notice beside the code: it proves the paper, not the link.

The PIN is six random digits made when the visit's notice letter is first printed; the database
keeps only a salted scrypt hash of it, so neither the database nor the server's secret yields the
PIN. Later prints carry no PIN (the firm's paper stays valid); only a reissue (补发) by the
organising department makes a new one and voids the old. "One-time": each thing it opens (a
rating) can be done once per visit.
"""

import base64
import hashlib
import hmac
import secrets
import unicodedata

PIN_DIGITS = 6
# scrypt cost: about 16 MiB and some tens of milliseconds a hash. A notice archive hashes one PIN
# a letter; the rate limit (limits.py), not the cost, keeps the 10^6 PINs from being guessed.
_N, _R, _P = 2**14, 8, 1
_ALGORITHM = "scrypt"


def new_pin() -> str:
    return str(secrets.randbelow(10**PIN_DIGITS)).zfill(PIN_DIGITS)


def _derive(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024, dklen=32)


def pin_hash(pin: str) -> str:
    """`scrypt$n$r$p$salt$hash` (base64): the cost is stored, so it can be raised later."""
    salt = secrets.token_bytes(16)
    digest = _derive(pin, salt, _N, _R, _P)
    encoded = [base64.b64encode(part).decode() for part in (salt, digest)]
    return "$".join([_ALGORITHM, str(_N), str(_R), str(_P), *encoded])


def normalized(typed: str) -> str:
    return "".join(unicodedata.normalize("NFKC", typed).split())


def pin_matches(stored: str, typed: str) -> bool:
    """Whether `typed` is the PIN behind `stored`, compared in constant time."""
    # A Chinese input method may give full-width digits (１２３): NFKC makes them ASCII.
    typed = normalized(typed)
    if not stored or not typed.isascii() or len(typed) > 2 * PIN_DIGITS:
        return False
    algorithm, n, r, p, salt, digest = stored.split("$")
    if algorithm != _ALGORITHM:
        return False
    derived = _derive(typed, base64.b64decode(salt), int(n), int(r), int(p))
    return hmac.compare_digest(derived, base64.b64decode(digest))
