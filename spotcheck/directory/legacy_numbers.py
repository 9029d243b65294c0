"""Registration numbers from before the USCC (2015): the keys of entities that never got one.

Real registers still carry them: 15-digit numbers (GB 12402, ISO 7064 MOD 11,10 check digit),
13-digit numbers issued before 2007 (no check digit), farmers' cooperatives' ``469006NA000212X``
form and the foreign-invested ``企独琼总字第008245号`` / ``企合琼分字第197182号`` forms.
Placeholders written where there is no number ("无资料内容", "无", "/") are not numbers at all.
"""

from __future__ import annotations

import re
import unicodedata

from stdnum.iso7064 import mod_11_10

from .uscc import looks_like_excel_float

#: Cell texts meaning "no number": they are not keys.
PLACEHOLDERS = frozenset(
    {"无", "无资料内容", "无资料", "暂无", "空", "/", "／", "-", "--", "—", "——", "NULL", "NONE",
     "无注册号", "未登记"}
)  # fmt: skip
_SPACES = re.compile(r"\s+")
_COOPERATIVE = re.compile(r"^\d{6}NA\d{6}[0-9X]$")
# 企独 (wholly foreign-owned), 企合 (joint venture), 企作 (co-operative), 企外, 企股; then the
# province's one-character name and 总/分 (head office or branch), 字第, the serial, 号.
_FOREIGN = re.compile(r"^(?:工商)?企[独合作外股][\u4e00-\u9fff]{1,3}字第\d{3,8}号$")


class InvalidRegistrationNumber(ValueError):
    """Not a registration number in any known form; ``reason`` is Chinese for the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def normalize_registration_number(raw: str) -> str:
    """Half-width, no spaces, upper case (``na`` and ``x`` written in lower case are common)."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", raw)).upper()


def is_placeholder(raw: str) -> bool:
    return normalize_registration_number(raw) in PLACEHOLDERS or not raw.strip()


def looks_like_registration_number(raw: str) -> bool:
    """Shaped like one of the forms (a 13- or 15-digit number, NA or 企…字第…号), valid or not:
    what a "统一社会信用代码/注册号" column holds when it is not a USCC."""
    number = normalize_registration_number(raw)
    return (
        (number.isascii() and number.isdigit() and len(number) in (13, 15))
        or bool(_COOPERATIVE.match(number))
        or bool(_FOREIGN.match(number))
    )


def validate_registration_number(raw: str) -> str:
    """The normalised number, or :class:`InvalidRegistrationNumber` with the reason."""
    if looks_like_excel_float(raw):
        raise InvalidRegistrationNumber("注册号被Excel存成了数字（科学计数法），后几位已丢失")
    number = normalize_registration_number(raw)
    if number.isascii() and number.isdigit():
        if len(number) == 13:
            return number  # issued before 2007: no check digit to verify
        if len(number) == 15:
            if not mod_11_10.is_valid(number):
                raise InvalidRegistrationNumber("15位注册号校验位错误")
            return number
    if _COOPERATIVE.match(number) or _FOREIGN.match(number):
        return number
    raise InvalidRegistrationNumber(
        "注册号格式无法识别（应为15位或13位数字、农民专业合作社的“…NA…”号，"
        "或外资企业的“企独…字第…号”“企合…字第…号”）"
    )
