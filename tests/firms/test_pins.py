"""The PIN printed beside the code: six random digits, stored only as a salted hash, typed loosely."""

from hypothesis import given, settings
from hypothesis import strategies as st

from spotcheck.firms.models import VisitPin
from spotcheck.firms.pins import PIN_DIGITS, new_pin, normalized, pin_hash, pin_matches
from spotcheck.firms.services import visit_pin_issue, visit_pin_reissue

pins = st.from_regex(r"\A[0-9]{6}\Z")
# scrypt costs tens of milliseconds a hash: a few examples are enough for each property
few = settings(max_examples=10, deadline=None)


def test_a_pin_is_six_random_digits():
    made = {new_pin() for _ in range(50)}
    assert all(len(pin) == PIN_DIGITS and pin.isdigit() for pin in made)
    assert len(made) > 40  # random, not derived from anything


@few
@given(pins)
def test_the_hash_is_salted_and_never_holds_the_pin(pin):
    first, second = pin_hash(pin), pin_hash(pin)
    assert first != second  # a fresh salt each time: equal PINs give unequal hashes
    assert pin not in first and pin not in second
    assert pin_matches(first, pin) and pin_matches(second, pin)


@few
@given(pins, st.sampled_from(["", " ", "  "]))
def test_the_pin_matches_with_spaces_typed_around_or_inside(pin, space):
    assert pin_matches(pin_hash(pin), f"{space}{pin[:3]}{space}{pin[3:]}{space}")


@few
@given(pins, st.text(max_size=12))
def test_anything_but_the_pin_is_refused(pin, typed):
    stored = pin_hash(pin)
    if normalized(typed) != pin:
        assert not pin_matches(stored, typed)


def test_no_stored_hash_matches_nothing():
    assert not pin_matches("", "123456")


def test_full_width_digits_from_a_chinese_input_method_match():
    full_width = "".join(chr(ord(d) + 0xFEE0) for d in "042917")
    assert pin_matches(pin_hash("042917"), full_width)


def test_the_pin_is_not_derived_from_the_code(joint_visit, liaison_zhao):
    """The old PIN was an HMAC of the code: anyone with the server's secret and a code had it.
    Now the same visit gets unrelated PINs, whatever the secret."""
    issued = [visit_pin_issue(actor=liaison_zhao, visit=joint_visit)]
    issued += [visit_pin_reissue(actor=liaison_zhao, visit=joint_visit) for _ in range(4)]
    assert len(set(issued)) >= 4
    stored = VisitPin.objects.get(visit=joint_visit).pin_hash
    # a reissued PIN replaces the earlier paper's
    assert pin_matches(stored, issued[-1])
    assert not any(pin_matches(stored, pin) for pin in issued[:-1] if pin != issued[-1])
