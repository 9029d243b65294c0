# mypy: disable-error-code="import-untyped,index,arg-type,attr-defined,call-overload,unused-ignore,no-any-return,misc"
"""Published vectors: consistent_sampler's docstrings and RFC 6962 / RFC 8785."""

import consistent_sampler
import rfc8785

from spotcheck_draw.commitments import canonical_json, merkle_root
from spotcheck_draw.selection import draw
from spotcheck_draw.tickets import first_fraction

IDS = ["A-1", "A-2", "A-3", "B-1", "B-2", "B-3"]


def count_design(n: int) -> dict[str, object]:
    return {
        "version": 1,
        "tasks": [{"id": "t", "department": "d", "mode": "count", "strata": {"*": n}}],
    }


def test_sampler_vector_through_count_mode() -> None:
    # given the published example, seed 314159 as consistent_sampler turns it into text
    result = draw([(u, "s", "t") for u in IDS], count_design(4), str(314159))
    # then the count mode selects the same ids in the same order
    assert [s.uscc for s in result.selections] == ["B-2", "B-3", "A-3", "A-2"]
    assert list(consistent_sampler.sampler(IDS, take=4, seed=314159, output="id")) == [
        "B-2",
        "B-3",
        "A-3",
        "A-2",
    ]


def test_first_fraction_vector() -> None:
    ticket = first_fraction("AB-130", "01382438112797316654")
    assert ticket.startswith("0.262997141228380084")
    assert ticket == consistent_sampler.first_fraction("AB-130", "01382438112797316654")


def test_rfc6962_roots() -> None:
    assert merkle_root([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert merkle_root([""]) == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"


def test_canonical_json_matches_rfc8785_package() -> None:
    doc = {
        "version": 1,
        "tasks": [{"id": "t€", "z": "0.05", "a": [1, "\u2028", None, True]}],
        "\u00e9": '\x01"\\',
        "e\u0301": {},
        "𝄞": "x",
        "\uffff": -3,
    }
    assert canonical_json(doc) == rfc8785.dumps(doc)
