# mypy: disable-error-code="import-untyped,index,arg-type,attr-defined,call-overload,unused-ignore,no-any-return,misc"
"""Spec §11, decided edge cases."""

import pytest

from spotcheck_draw.errors import DrawError, DrawErrorCode
from spotcheck_draw.selection import draw

ROWS = [(f"U{i:03d}", "A" if i < 10 else "B", "t") for i in range(15)]


def one(task: dict[str, object]) -> dict[str, object]:
    return {"version": 1, "tasks": [{"id": "t", "department": "d", **task}]}


def sample(task: dict[str, object], rows: list[tuple[str, str, str]] = ROWS) -> dict[str, int]:
    result = draw(rows, one(task), "seed")
    return {c.stratum: c.sample for c in result.counts}


def test_edges() -> None:
    assert sample({"mode": "poisson", "probabilities": {"A": "1", "B": "0"}}) == {"A": 10, "B": 0}
    assert sample({"mode": "count", "strata": {"A": 99}}) == {"A": 10, "B": 0}
    assert sample({"mode": "count", "strata": {"*": 2, "B": 0}}) == {"A": 2, "B": 0}
    assert sample({"mode": "ratio", "strata": {"*": "0.01"}}) == {"A": 1, "B": 1}
    assert sample({"mode": "ratio", "strata": {"A": "0.25", "C": "0.5"}}) == {
        "A": 3,
        "B": 0,
        "C": 0,
    }
    assert sample(
        {"mode": "sequential_poisson", "n": 50, "probabilities": {"A": "0.5", "B": "0"}}
    ) == {"A": 10, "B": 0}


@pytest.mark.parametrize(
    "task,code",
    [
        ({"mode": "poisson", "probabilities": {"A": "1.5"}}, DrawErrorCode.DESIGN_BAD_DECIMAL),
        ({"mode": "poisson", "probabilities": {"A": 0.5}}, DrawErrorCode.DESIGN_BAD_DECIMAL),
        ({"mode": "count", "strata": {"A": -1}}, DrawErrorCode.DESIGN_BAD_COUNT),
        ({"mode": "lottery", "strata": {}}, DrawErrorCode.DESIGN_INVALID),
    ],
)
def test_bad_designs(task: dict[str, object], code: DrawErrorCode) -> None:
    with pytest.raises(DrawError) as err:
        draw(ROWS, one(task), "seed")
    assert err.value.code == code


def test_unknown_task_and_duplicates() -> None:
    with pytest.raises(DrawError) as err:
        draw([("U1", "A", "other")], one({"mode": "count", "strata": {"*": 1}}), "s")
    assert err.value.code == DrawErrorCode.DESIGN_UNKNOWN_TASK
    with pytest.raises(DrawError) as err:
        draw([("U1", "A", "t"), ("U1", "B", "t")], one({"mode": "count", "strata": {"*": 1}}), "s")
    assert err.value.code == DrawErrorCode.POPULATION_DUPLICATE
