from random import Random

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc as stdnum_uscc
from stdnum.iso7064 import mod_11_10

from spotcheck.directory.uscc import (
    ALPHABET,
    InvalidUSCC,
    USCCErrorCode,
    generate_uscc,
    is_registration_number,
    is_valid_uscc,
    looks_like_excel_float,
    normalize_uscc,
    uscc_check_character,
    validate_uscc,
)


def independent_check(first17: str) -> str:
    """GB 32100-2015 written out from the standard: weights 3^i mod 31, check = 31 - sum mod 31."""
    total = sum(ALPHABET.index(c) * (3**i % 31) for i, c in enumerate(first17))
    return ALPHABET[(31 - total % 31) % 31]


def allowed_by_standard(code: str) -> bool:
    return (
        len(code) == 18
        and all(c in ALPHABET for c in code)
        and code[2:8].isdigit()
        and code[17] == independent_check(code[:17])
    )


codes = st.builds(
    lambda seed, authority, org_type, region: generate_uscc(
        Random(seed), registration_authority=authority, org_type=org_type, region=region
    ),
    st.integers(0, 2**32),
    st.sampled_from(ALPHABET),
    st.sampled_from(ALPHABET),
    st.from_regex(r"[0-9]{6}", fullmatch=True),
)


def test_a_published_code_is_valid():
    assert validate_uscc("91110000600037341L") == "91110000600037341L"


@pytest.mark.parametrize("authority", ["A", "N", "Y"])
def test_letter_first_codes_are_accepted_where_stdnum_refuses(authority):
    # given a code whose registration authority is a letter
    code = generate_uscc(Random(7), registration_authority=authority, org_type="1")
    # then stdnum refuses it and we accept it
    assert not stdnum_uscc.is_valid(code)
    assert is_valid_uscc(code)


@given(codes)
def test_every_generated_code_validates(code):
    assert is_valid_uscc(code)
    assert allowed_by_standard(code)
    assert uscc_check_character(code[:17]) == stdnum_uscc.calc_check_digit(code[:17])


@given(codes, st.integers(0, 17), st.sampled_from(ALPHABET + "IOSVZ-#a"))
def test_changing_one_character_is_valid_only_if_the_standard_allows_it(code, position, char):
    mutated = code[:position] + char + code[position + 1 :]
    expected = allowed_by_standard(normalize_uscc(mutated))
    assert is_valid_uscc(mutated) is expected
    if mutated != code and position == 17:
        assert not is_valid_uscc(mutated)


@given(
    st.text(alphabet="0123456789", min_size=8, max_size=8),
    st.text(ALPHABET, min_size=10, max_size=10),
)
def test_digit_first_codes_get_stdnums_verdict(head, tail):
    code = head + tail
    assert is_valid_uscc(code) is stdnum_uscc.is_valid(code)


@pytest.mark.parametrize(
    "raw", ["9.14690062012665e+17", "9.1469006201266E+17", "914690062012665000.0"]
)
def test_excel_floats_are_rejected_not_repaired(raw):
    assert looks_like_excel_float(raw)
    with pytest.raises(InvalidUSCC) as caught:
        validate_uscc(raw)
    assert caught.value.code is USCCErrorCode.EXCEL_FLOAT
    assert "Excel" in caught.value.reason


def test_a_real_code_does_not_look_like_a_float():
    assert not looks_like_excel_float("91110000600037341L")


def test_spacing_case_and_full_width_forms_are_normalised():
    assert validate_uscc(" 9111 0000-6000 37341l ") == "91110000600037341L"
    assert validate_uscc("９１１１００００６０００３７３４１Ｌ") == "91110000600037341L"


@pytest.mark.parametrize(
    ("raw", "code", "reason"),
    [
        ("", USCCErrorCode.EMPTY, "统一社会信用代码为空"),
        ("9111000060003734", USCCErrorCode.LENGTH, "统一社会信用代码应为18位"),
        ("91110000600037341I", USCCErrorCode.FORMAT, "不允许的字符"),
        ("911A0000600037341L", USCCErrorCode.FORMAT, "第3至8位必须是数字"),
        ("91110000600037341M", USCCErrorCode.CHECKSUM, "校验位错误"),
    ],
)
def test_rejections_carry_a_chinese_reason(raw, code, reason):
    with pytest.raises(InvalidUSCC) as caught:
        validate_uscc(raw)
    assert caught.value.code is code
    assert reason in caught.value.reason


def test_registration_numbers_have_an_iso_7064_check_digit():
    body = "11010500123456"
    number = body + mod_11_10.calc_check_digit(body)
    assert is_registration_number(number)
    wrong = body + str((int(number[-1]) + 1) % 10)
    assert not is_registration_number(wrong)
    assert not is_registration_number(number[:-1])
    assert not is_registration_number("91110000600037341L")


def test_the_generator_is_reproducible():
    first = [generate_uscc(Random(42)) for _ in range(3)]
    again = [generate_uscc(Random(42)) for _ in range(3)]
    assert first == again
    rng = Random(1)
    assert len({generate_uscc(rng) for _ in range(1000)}) == 1000
