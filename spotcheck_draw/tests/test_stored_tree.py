"""The tree stored at commit gives the same root and the same audit paths as RFC 6962's
recursive definition, one read per level."""

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from spotcheck_draw.commitments import (
    inclusion_proof,
    merkle_root,
    stored_inclusion_proof,
    verify_inclusion,
    write_tree,
)


def _stored(lines: list[str]) -> tuple[str, bytes]:
    out = io.BytesIO()
    root = write_tree((line.encode() for line in lines), out)
    return root, out.getvalue()


def test_every_proof_of_small_trees_equals_the_recursive_one() -> None:
    reads: list[int] = []
    for size in range(1, 40):
        lines = [f"91{n:016d}\t1\t{n % 3}" for n in range(size)]
        root, tree = _stored(lines)
        assert root == merkle_root(lines)

        def node(n: int, tree: bytes = tree) -> bytes:
            reads.append(n)
            return tree[32 * n : 32 * n + 32]

        for index in range(size):
            reads.clear()
            proof = stored_inclusion_proof(node, size, index)
            assert proof == inclusion_proof(lines, index)
            assert verify_inclusion(lines[index], index, size, proof, root)
            assert len(reads) <= size.bit_length()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(max_size=12), min_size=1, max_size=300), st.data())
def test_stored_proofs_verify_for_any_lines(lines: list[str], data: st.DataObject) -> None:
    root, tree = _stored(lines)
    index = data.draw(st.integers(0, len(lines) - 1))
    proof = stored_inclusion_proof(lambda n: tree[32 * n : 32 * n + 32], len(lines), index)
    assert proof == inclusion_proof(lines, index) and root == merkle_root(lines)


def test_the_empty_population_has_the_empty_root() -> None:
    assert _stored([])[0] == merkle_root([])
