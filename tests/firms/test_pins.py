"""The PIN printed beside the code: six digits, the same on every reprint, typed loosely."""

from hypothesis import given
from hypothesis import strategies as st

from spotcheck.draws.models import ACCESS_CODE_ALPHABET
from spotcheck.firms.pins import PIN_DIGITS, normalized, pin_matches, visit_pin

codes = st.text(alphabet=ACCESS_CODE_ALPHABET, min_size=16, max_size=16)


@given(codes)
def test_a_pin_is_six_digits_and_stable(code):
    pin = visit_pin(code)
    assert len(pin) == PIN_DIGITS and pin.isdigit()
    assert visit_pin(code) == pin


@given(codes, st.sampled_from(["", " ", "  "]))
def test_the_pin_matches_with_spaces_typed_around_or_inside(code, space):
    pin = visit_pin(code)
    assert pin_matches(code, f"{space}{pin[:3]}{space}{pin[3:]}{space}")


@given(codes, st.text(max_size=12))
def test_anything_but_the_pin_is_refused(code, typed):
    if normalized(typed) != visit_pin(code):
        assert not pin_matches(code, typed)


def test_the_pin_depends_on_the_server_secret(settings):
    code = "ABCDEFGHJKMNPQRS"
    before = visit_pin(code)
    settings.SECRET_KEY = "another-secret"
    assert visit_pin(code) != before


def test_full_width_digits_from_a_chinese_input_method_match():
    code = "ABCDEFGHJKMNPQRS"
    full_width = "".join(chr(ord(d) + 0xFEE0) for d in visit_pin(code))
    assert pin_matches(code, full_width)
