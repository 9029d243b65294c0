"""Unified social credit codes (统一社会信用代码, GB 32100-2015) and 15-digit registration numbers.

Follows ``stdnum.cn.uscc`` (the tests hold the two to the same verdict). stdnum insists that the first eight characters are
digits, but GB 32100-2015 lets the registration authority (position 1) and the entity type
(position 2) be any character of the code alphabet, so codes such as ``A1…`` or ``N2…`` or
``Y1…`` are valid. Everything else (length, alphabet, region digits, check character) is
checked as stdnum does. The check itself is computed here with a lookup table because the
importer validates a million codes at a time and stdnum's version costs ~10 µs a code.
Registration numbers use stdnum's ISO 7064 MOD 11,10.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from operator import mul
from random import Random

from stdnum.iso7064 import mod_11_10

#: The 31 characters of GB 32100-2015 (digits and capitals without I, O, S, V, Z).
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
_ALLOWED = frozenset(ALPHABET)
#: Weight of position i (0-based) is 3**i mod 31.
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))

_SEPARATORS = re.compile(r"[\s\-‐‑–—]+")
_EXCEL_FLOAT = re.compile(
    r"""^[+-]?(?:
        \d+(?:\.\d*)?[eE][+-]?\d+     # 9.14690062012665e+17, 9.1469006201266E+17
        |\d+\.\d+                     # 914690062012665000.0
    )$""",
    re.VERBOSE,
)


class USCCErrorCode(enum.StrEnum):
    EMPTY = "empty"  # nothing given
    EXCEL_FLOAT = "excel_float"  # Excel turned the code into a number; digits are lost
    LENGTH = "length"  # not 18 characters
    FORMAT = "format"  # a character outside the alphabet, or letters in the region code
    CHECKSUM = "checksum"  # the 18th character does not match


_REASONS = {
    USCCErrorCode.EMPTY: "统一社会信用代码为空",
    USCCErrorCode.EXCEL_FLOAT: (
        "统一社会信用代码被Excel存成了数字（科学计数法），后几位已丢失，"
        "请把该列设为文本格式后重新填写"
    ),
    USCCErrorCode.LENGTH: "统一社会信用代码应为18位",
    USCCErrorCode.FORMAT: (
        "统一社会信用代码含有不允许的字符（只能是数字和除I、O、S、V、Z以外的大写字母，"
        "第3至8位必须是数字）"
    ),
    USCCErrorCode.CHECKSUM: "统一社会信用代码校验位错误",
}


class InvalidUSCC(ValueError):
    """A code that is not a valid USCC; ``reason`` is a Chinese sentence for the user."""

    def __init__(self, code: USCCErrorCode, value: str = "") -> None:
        self.code = code
        self.value = value
        self.reason = _REASONS[code]
        super().__init__(self.reason)


def looks_like_excel_float(raw: str) -> bool:
    """True for text that is a number Excel printed as a float, e.g. ``9.14690062012665e+17``.

    Such a value has lost digits; it is rejected, never repaired.
    """
    return bool(_EXCEL_FLOAT.match(raw.strip()))


def normalize_uscc(raw: str) -> str:
    """Full-width to half-width, separators and spaces removed, upper case."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", raw)).upper()


def uscc_check_character(first17: str) -> str:
    """The 18th character for the first 17 (GB 32100-2015, weights 3^i mod 31).

    ``stdnum.cn.uscc.calc_check_digit`` gives the same answer; it is used in the tests.
    """
    return ALPHABET[-sum(map(mul, map(_VALUE.__getitem__, first17), WEIGHTS)) % 31]


def validate_uscc(code: str) -> str:
    """Return the normalised code, or raise :class:`InvalidUSCC`."""
    if len(code) == 18 and code.isascii() and code.isalnum():
        number = code.upper()  # the common case: skip the Unicode normalisation
    else:
        if looks_like_excel_float(code):
            raise InvalidUSCC(USCCErrorCode.EXCEL_FLOAT, code)
        number = normalize_uscc(code)
        if not number:
            raise InvalidUSCC(USCCErrorCode.EMPTY, code)
        if len(number) != 18:
            raise InvalidUSCC(USCCErrorCode.LENGTH, code)
    if not _ALLOWED.issuperset(number) or not number[2:8].isdigit():
        raise InvalidUSCC(USCCErrorCode.FORMAT, code)
    if number[17] != uscc_check_character(number[:17]):
        raise InvalidUSCC(USCCErrorCode.CHECKSUM, code)
    return number


def is_valid_uscc(code: str) -> bool:
    try:
        validate_uscc(code)
    except InvalidUSCC:
        return False
    return True


def is_registration_number(code: str) -> bool:
    """A 15-digit business registration number (注册号) with a valid ISO 7064 MOD 11,10 check."""
    number = normalize_uscc(code)
    return (
        len(number) == 15 and number.isascii() and number.isdigit() and mod_11_10.is_valid(number)
    )


def registration_number_check_digit(first14: str) -> str:
    return mod_11_10.calc_check_digit(first14)


# GB 11714 organisation code: 8 body characters and a check character, weights below, mod 11.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def generate_uscc(
    rng: Random,
    *,
    registration_authority: str = "9",
    org_type: str = "1",
    region: str = "110101",
) -> str:
    """A valid USCC drawn from ``rng``; the same seed gives the same codes.

    The organisation-code part is eight random digits and its GB 11714 check character.
    """
    digits = f"{rng.randrange(100_000_000):08d}"
    org_sum = sum(map(mul, map(int, digits), _ORG_WEIGHTS))
    org_check = (11 - org_sum % 11) % 11
    first17 = (
        f"{registration_authority}{org_type}{region}{digits}{'X' if org_check == 10 else org_check}"
    )
    return first17 + uscc_check_character(first17)
