"""Bounded input types for the API schemas: every id fits a database bigint, every text fits its
column and holds no NUL byte, every decimal is finite. A request outside these bounds is a 422
with the field named, never a database error."""

from decimal import Decimal, InvalidOperation
from typing import Annotated

from django.utils.translation import gettext as _
from pydantic import AfterValidator, BeforeValidator, Field, StrictInt

# A database primary key: a signed 64-bit integer (PostgreSQL bigint), never zero or negative.
INT64_MAX = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=INT64_MAX)]

# Free text without a column limit (TextField) still gets one: no form lets anyone type more.
LONG_TEXT = 10_000


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError(_("不得包含空字符（NUL）"))
    return value


def Text(max_length: int, min_length: int = 0):  # a function that reads as a type
    """A string that fits a column of `max_length` characters and holds no NUL byte."""
    return Annotated[
        str, Field(min_length=min_length, max_length=max_length), AfterValidator(_no_nul)
    ]


def _finite_decimal_text(value: str) -> str:
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueError(_("不是有效的小数")) from None
    if not number.is_finite():
        raise ValueError(_("须为有限小数（不接受 NaN 或 Infinity）"))
    return format(number.normalize(), "f")


# A ratio or probability as the design keeps it: a decimal string ("0.05"); numbers are accepted
# and kept as their decimal text.
DecimalText = Annotated[
    str,
    BeforeValidator(lambda value: repr(value) if isinstance(value, float) else value),
    Field(max_length=40),
    AfterValidator(_finite_decimal_text),
]
# A count (strict integer) or a ratio/probability (finite decimal text).
DesignValue = StrictInt | DecimalText
