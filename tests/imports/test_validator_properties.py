"""Property tests for the cell parsers every import relies on."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spotcheck.imports.rejections import RowError
from spotcheck.imports.validators.common import parse_date, parse_yes_no, split_list
from spotcheck.imports.validators.items import _ratio

dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31))


@given(
    dates,
    st.sampled_from(
        [
            "{y}-{m:02d}-{d:02d}",
            "{y}/{m}/{d}",
            "{y}年{m}月{d}日",
            "{y}.{m}.{d}",
            "{y}-{m:02d}-{d:02d} 00:00:00",
        ]
    ),
)
def test_any_written_date_reads_back(day, shape):
    text = shape.format(y=day.year, m=day.month, d=day.day)
    assert parse_date("d", text) == day


@given(dates)
def test_excel_serial_dates_read_back(day):
    serial = (day - date(1899, 12, 30)).days
    assert parse_date("d", str(serial)) == day


@given(st.text(min_size=1).filter(lambda t: not any(c.isdigit() for c in t)))
def test_text_without_digits_is_never_a_date(text):
    with pytest.raises(RowError):
        parse_date("d", text)


@given(st.integers(min_value=1, max_value=10000))
def test_percent_and_fraction_agree(basis_points):
    percent = Decimal(basis_points) / 100
    assert (
        _ratio(f"{percent}%")
        == _ratio(str(percent / 100))
        == (percent / 100).quantize(Decimal("0.0001"))
    )


@given(st.decimals(min_value=Decimal("1.0001"), max_value=Decimal("1000"), places=4))
def test_ratios_above_one_are_refused(value):
    with pytest.raises(RowError):
        _ratio(str(value))


@given(
    st.lists(st.text(alphabet="食品安全特种设备广告", min_size=1, max_size=4), max_size=5),
    st.sampled_from(["、", "，", ",", "；", " / "]),
)
def test_lists_split_on_every_common_separator(parts, separator):
    assert split_list(separator.join(parts)) == sorted(set(parts))


@pytest.mark.parametrize("text,expected", [("是", True), ("否", False), ("Y", True), ("0", False)])
def test_yes_no(text, expected):
    assert parse_yes_no("f", text) is expected


def test_unknown_yes_no_names_the_choices():
    with pytest.raises(RowError, match="请填写“是”或“否”"):
        parse_yes_no("f", "也许")
