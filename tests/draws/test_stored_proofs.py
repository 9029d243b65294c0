"""The public inclusion proof is read from the tree stored at commit: the same lines and audit
paths as re-hashing the whole population, without reading it per request."""

from spotcheck.draws import proofs
from spotcheck.draws.publication import entity_proofs
from spotcheck.draws.services import batch_folder
from spotcheck_draw.commitments import inclusion_proof, merkle_root, verify_inclusion


def _recomputed(batch, key):
    """What the proof page computed before: every line read and hashed."""
    lines = (batch_folder(batch) / "population.tsv").read_text(encoding="utf-8").splitlines()
    return lines, [
        {"line": line, "index": i, "proof": inclusion_proof(lines, i)}
        for i, line in enumerate(lines)
        if line.split("\t", 1)[0] == key
    ]


def test_commit_stores_the_tree_and_every_entity_gets_the_recomputed_proofs(drawn_batch):
    folder = batch_folder(drawn_batch)
    assert (folder / proofs.TREE).exists() and (folder / proofs.OFFSETS).exists()
    lines, _ = _recomputed(drawn_batch, "")
    assert merkle_root(lines) == drawn_batch.population_root
    for key in sorted({line.split("\t", 1)[0] for line in lines}):
        stored = entity_proofs(drawn_batch, key)
        assert stored["size"] == len(lines) and stored["lines"] == _recomputed(drawn_batch, key)[1]
        for line in stored["lines"]:
            assert verify_inclusion(
                line["line"], line["index"], len(lines), line["proof"], drawn_batch.population_root
            )


def test_a_key_outside_the_population_is_not_included(drawn_batch):
    for key in ("", "0" * 18, "Z" * 18):
        assert entity_proofs(drawn_batch, key)["included"] is False


def test_a_batch_committed_before_the_stored_tree_gets_it_on_its_first_proof(drawn_batch):
    folder = batch_folder(drawn_batch)
    (folder / proofs.TREE).unlink()
    (folder / proofs.OFFSETS).unlink()
    key = drawn_batch.visits.first().entity.key
    assert entity_proofs(drawn_batch, key)["lines"] == _recomputed(drawn_batch, key)[1]
    assert (folder / proofs.TREE).exists()
