# mypy: disable-error-code="import-untyped,arg-type,misc,unused-ignore"
"""The CLI's own path: population.tsv read column by column, the Merkle root split across two
processes, and the kit these write, against the line-by-line path they replace and against
consistent-sampler."""

import json
from pathlib import Path

import consistent_sampler
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spotcheck_draw import commitments
from spotcheck_draw.commitments import (
    MerkleRootJob,
    merkle_root,
    merkle_root_of_encoded,
    parse_population_lines,
)
from spotcheck_draw.design import parse_design
from spotcheck_draw.errors import DrawError
from spotcheck_draw.kit import VERIFY_SCRIPT, run_kit
from spotcheck_draw.population import Population
from spotcheck_draw.population_file import read_population_file
from spotcheck_draw.selection import draw
from spotcheck_draw.tickets import make_seed

CHECKS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def generated_lines(n: int, tasks: tuple[str, ...], *, shift: int = 0) -> list[str]:
    """n entities in 4 strata; entity i is in the tasks whose index divides i + 1 (so some are in
    one task, some in several: joint visits); with a shift, its stratum differs by task."""
    lines = []
    for i in range(n):
        uscc = f"91330100{i * 7 + 100000000:09d}{CHECKS[i % 31]}"
        for k, task in enumerate(tasks):
            if (i + 1) % (k + 1) == 0:
                lines.append(f"{uscc}\t{'ABCD'[(i + shift * k) % 4]}\t{task}")
    return sorted(lines, key=lambda line: tuple(line.split("\t")))


def line_by_line(text: str) -> list[tuple[str, str, str]] | str:
    """What the CLI did before: split, then check every line (the reference)."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    try:
        if not lines:
            return "population_empty"
        return parse_population_lines(lines)
    except DrawError as exc:
        return f"{exc.code.value}: {exc} {exc.details}"


def column_by_column(text: str) -> list[tuple[str, str, str]] | str:
    try:
        return list(read_population_file(text.encode("utf-8")).rows())
    except DrawError as exc:
        if exc.code.value == "population_empty":
            return "population_empty"
        return f"{exc.code.value}: {exc} {exc.details}"


FIELD = st.text(alphabet="9a1A B\t\r\u00e9e\u0301\u3000D\u00df", min_size=0, max_size=4)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.tuples(FIELD, st.sampled_from(["A", "B", "层1", ""]), st.sampled_from("tu")))
    | st.lists(st.tuples(st.sampled_from(["91A", "91B", "91b", "9 1"]), FIELD, FIELD)),
    st.booleans(),
    st.booleans(),
)
def test_column_checks_accept_and_reject_exactly_what_line_checks_do(
    rows: list[tuple[str, str, str]], sort: bool, final_newline: bool
) -> None:
    # given any text, valid or not: unsorted, duplicated, lower case, spaces, CR, NFD, empty
    lines = ["\t".join(r) for r in (sorted(rows) if sort else rows)]
    text = "\n".join(lines) + ("\n" if final_newline and lines else "")
    # then reading it column by column gives the same rows, or the very same error
    assert column_by_column(text) == line_by_line(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n",
        "A\tB\tt\n\n",
        "A\tB\tt\nA\tC\tt\n",  # an entity twice in one task
        "A\tB\tt\nA\tC\tu\nA\tD\tt\nB\tA\tt\n",  # twice in one task, lines apart
        "A\tB\tt\nA\tC\tu\nA\tD\tv\nB\tA\tt\nB\tA\tu\n",  # valid, runs of 3 and 2
        "A\tB\tt\nA\tB\tt\n",  # a line twice
        "B\tA\tt\nA\tA\tt\n",  # unsorted
        "A\tB\tt\tx\n",
        "a\tB\tt\n",
        "A\u3000\tB\tt\n",  # an ideographic space
        "A\x1c\tB\tt\n",  # an ASCII control that str.isspace counts as white space
        "A-1\tb\tt\nA.2\tb\tt\n",  # punctuation is no white space nor lower case
        "\u00c91\tB\tt\n",  # a USCC beyond ASCII: the line-by-line check decides
        "A\tCafe\u0301\tt\n",  # not NFC
        "A\tB\tt\r\n",
        "A\tB\tt\nA\tC\tu\nB\tA\tt",  # valid, no final line end
    ],
)
def test_edge_files_get_the_line_by_line_outcome(text: str) -> None:
    assert column_by_column(text) == line_by_line(text)


def test_population_groups_equal_the_line_by_line_groups() -> None:
    for tasks, shift in ((("T1",), 0), (("T1", "T2", "T3"), 0), (("T1", "T2", "T3"), 3)):
        lines = generated_lines(2000, tasks, shift=shift)
        fast = read_population_file(("\n".join(lines) + "\n").encode()).population()
        assert fast == Population.from_lines(lines)


@pytest.mark.parametrize("run_level", [0, 1, 3])
@pytest.mark.parametrize("workers", [2, 3])
@pytest.mark.parametrize("size", [1, 2, 3, 8, 9, 1025])
def test_merkle_root_hashed_by_several_processes_is_the_same_root(
    size: int, workers: int, run_level: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # runs of 1, 2 or 8 leaves: whole runs, a shorter last run, a lone last leaf
    monkeypatch.setattr(commitments, "PARALLEL_LINES", 1)
    monkeypatch.setattr(commitments, "RUN_LEVEL", run_level)
    lines = [f"91330100{i:09d}X\tA\tt" for i in range(size)]
    encoded = [line.encode() for line in lines]
    job = MerkleRootJob(encoded, workers=workers)
    try:
        assert job.result() == merkle_root(lines)
    finally:
        job.close()
    assert merkle_root_of_encoded(encoded) == merkle_root(lines)


def test_a_root_no_longer_wanted_ends_its_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(commitments, "PARALLEL_LINES", 1)
    job = MerkleRootJob([b"x"] * 200_000, workers=2)
    (child, _), *_ = job._children
    job.close()
    assert not child.is_alive()


DESIGN = {
    "version": 1,
    "rounding": "ceil_min1",
    "tasks": [
        {"id": "T1", "department": "market", "mode": "count", "strata": {"*": 40, "D": 90}},
        {"id": "T2", "department": "health", "mode": "ratio", "strata": {"*": "0.03"}},
        {"id": "T3", "department": "fire", "mode": "poisson", "probabilities": {"A": "0.2"}},
    ],
}


def test_cli_kit_equals_the_line_by_line_draw_and_consistent_sampler(tmp_path: Path) -> None:
    # given a generated population of 6,000 entities in three tasks (some in several)
    lines = generated_lines(6000, ("T1", "T2", "T3"))
    design_path, population_path = tmp_path / "design.json", tmp_path / "population.tsv"
    design_path.write_text(json.dumps(DESIGN))
    population_path.write_text("".join(line + "\n" for line in lines))
    # when the CLI path draws it, on one process and on two
    kits = []
    for workers in (1, 2):
        out = tmp_path / f"kit{workers}"
        run_kit(design_path, population_path, "3 1 4 1 5 9", out, workers=workers)
        kits.append([(out / name).read_bytes() for name in ("record.json", "selection.tsv")])
    # then both kits are byte for byte the same, and hold the inputs and verify.py as they are
    assert kits[0] == kits[1]
    for out in (tmp_path / "kit1", tmp_path / "kit2"):
        assert (out / "design.json").read_bytes() == design_path.read_bytes()
        assert (out / "population.tsv").read_bytes() == population_path.read_bytes()
        assert (out / "verify.py").read_bytes() == VERIFY_SCRIPT.read_bytes()
    # ... and hold what the line-by-line path of before computes
    seed = make_seed(merkle_root(lines), commitments.design_hash(DESIGN), "3 1 4 1 5 9")
    record = json.loads(kits[0][0])
    assert record["seed"] == seed
    reference = draw(parse_population_lines(lines), parse_design(DESIGN), seed)
    expected = "".join(
        f"{s.task}\t{s.uscc}\t{s.stratum}\t{s.ticket}\n" for s in reference.selections
    )
    assert kits[0][1].decode() == expected
    # and T1's 40 of stratum A are consistent-sampler's 40 smallest tickets
    stratum_a = [line.split("\t")[0] for line in lines if line.endswith("\tA\tT1")]
    theirs = list(consistent_sampler.sampler(stratum_a, seed=seed, take=40, output="id"))
    ours = [s.uscc for s in reference.selections if (s.task, s.stratum) == ("T1", "A")]
    assert ours == theirs


def test_a_bad_line_on_two_workers_gets_its_error_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given an unsorted population large enough that a second process hashes the Merkle tree
    monkeypatch.setattr(commitments, "PARALLEL_LINES", 1)
    lines = generated_lines(3000, ("T1",))
    lines[10], lines[11] = lines[11], lines[10]
    design_path, population_path = tmp_path / "design.json", tmp_path / "population.tsv"
    design_path.write_text(json.dumps(DESIGN))
    population_path.write_text("".join(line + "\n" for line in lines))
    # when the CLI path runs it on two workers
    with pytest.raises(DrawError) as err:
        run_kit(design_path, population_path, "3 1 4", tmp_path / "kit", workers=2)
    # then the error names the line, as the line-by-line check always did, and no kit is written
    assert err.value.code.value == "population_unsorted"
    assert "line 11 " in str(err.value)
    assert not (tmp_path / "kit").exists()
