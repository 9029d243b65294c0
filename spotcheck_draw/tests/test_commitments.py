# mypy: disable-error-code="import-untyped,index,arg-type,attr-defined,call-overload,unused-ignore,no-any-return,misc"
import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spotcheck_draw.commitments import (
    _canonical,
    canonical_json,
    design_hash,
    inclusion_proof,
    merkle_root,
    population_lines,
    verify_inclusion,
)
from spotcheck_draw.errors import DrawError, DrawErrorCode


def reference_root(lines: list[str]) -> str:
    """RFC 6962 MTH, recursively, as the RFC writes it."""

    def mth(d: list[bytes]) -> bytes:
        if not d:
            return hashlib.sha256(b"").digest()
        if len(d) == 1:
            return hashlib.sha256(b"\x00" + d[0]).digest()
        k = 1
        while k * 2 < len(d):
            k *= 2
        return hashlib.sha256(b"\x01" + mth(d[:k]) + mth(d[k:])).digest()

    return mth([line.encode() for line in lines]).hex()


@given(st.lists(st.text(max_size=5), max_size=40))
def test_root_equals_rfc_recursion(lines: list[str]) -> None:
    assert merkle_root(lines) == reference_root(lines)


@given(st.lists(st.text(max_size=4), min_size=1, max_size=40), st.data())
def test_inclusion_proofs_verify(lines: list[str], data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(lines) - 1))
    root = merkle_root(lines)
    proof = inclusion_proof(lines, index)
    assert verify_inclusion(lines[index], index, len(lines), proof, root)
    assert not verify_inclusion(lines[index] + "x", index, len(lines), proof, root)
    if len(lines) > 1:
        other = (index + 1) % len(lines)
        assert not verify_inclusion(lines[index], other, len(lines), proof, root) or (
            lines[other] == lines[index] and inclusion_proof(lines, other) == proof
        )


def test_any_line_change_changes_the_root() -> None:
    lines = population_lines([(f"9133{i:014d}", "A", "t") for i in range(50)])
    root = merkle_root(lines)
    for i in range(len(lines)):
        changed = list(lines)
        changed[i] = changed[i].replace("\tA\t", "\tB\t")
        assert merkle_root(changed) != root
    assert merkle_root(lines[:-1]) != root


def test_any_design_value_change_changes_the_hash() -> None:
    design = {
        "version": 1,
        "rounding": "ceil_min1",
        "tasks": [
            {"id": "t1", "department": "d", "mode": "ratio", "strata": {"A": "0.05", "B": "0.1"}}
        ],
    }
    base = design_hash(design)
    variants = [
        {**design, "rounding": "ceil"},
        {**design, "tasks": [{**design["tasks"][0], "strata": {"A": "0.050", "B": "0.1"}}]},
        {**design, "tasks": [{**design["tasks"][0], "department": "e"}]},
        {**design, "version": 2},
    ]
    assert len({base, *(design_hash(v) for v in variants)}) == 5
    assert canonical_json({"b": 1, "a": [1, 2]}) == b'{"a":[1,2],"b":1}'


@pytest.mark.parametrize("value", [0.05, float("inf"), float("-inf"), float("nan")])
def test_floats_are_refused(value: float) -> None:
    # infinity too: the json module would write it as "Infinity" and read it back equal
    with pytest.raises(DrawError) as err:
        canonical_json({"p": [value]})
    assert err.value.code == DrawErrorCode.DESIGN_INVALID


def test_population_lines_sorted_nfc_and_validated() -> None:
    lines = population_lines([("B1", "A", "t"), ("A1", "Cafe\u0301", "t")])
    assert lines == ["A1\tCaf\u00e9\tt", "B1\tA\tt"]
    cases = [
        ([("A1", "x", "t"), ("A1", "y", "t")], DrawErrorCode.POPULATION_DUPLICATE),
        ([("A1", "x\ty", "t")], DrawErrorCode.POPULATION_BAD_LINE),
        ([("A1", "x", "t\n")], DrawErrorCode.POPULATION_BAD_LINE),
        ([("a1", "x", "t")], DrawErrorCode.POPULATION_BAD_USCC),
        ([("A 1", "x", "t")], DrawErrorCode.POPULATION_BAD_USCC),
        ([("A1", "", "t")], DrawErrorCode.POPULATION_BAD_LINE),
        ([], DrawErrorCode.POPULATION_EMPTY),
    ]
    for rows, code in cases:
        with pytest.raises(DrawError) as err:
            population_lines(rows)
        assert err.value.code == code


def _line_by_line_canonical(obj: object) -> bytes | str:
    """The recursive writer alone (the reference for the json-module path)."""
    out: list[str] = []
    try:
        _canonical(obj, out)
        return "".join(out).encode("utf-8")
    except DrawError as exc:
        return f"{exc.code.value}: {exc}"


def _canonical_or_error(obj: object) -> bytes | str:
    try:
        return canonical_json(obj)
    except DrawError as exc:
        return f"{exc.code.value}: {exc}"


KEYS = st.text(alphabet='ab\u00e9\u4e2d\ue000\U0001f600\ud800\x00"\\', max_size=3)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(2**54), 2**54)
    | st.floats(allow_nan=True)
    | st.text(alphabet='a\n\t\x7f\u2028\u4e2d\U0001f600\ud800"\\', max_size=4)
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.lists(inner, max_size=3).map(tuple)
        | st.dictionaries(KEYS | st.integers(0, 3), inner, max_size=3)
    ),
    max_leaves=12,
)


@settings(max_examples=500, deadline=None)
@given(VALUES)
def test_canonical_json_equals_the_recursive_writer(obj: object) -> None:
    # given any value, whether a design may hold it or not, then the result or error is the same
    assert _canonical_or_error(obj) == _line_by_line_canonical(obj)
