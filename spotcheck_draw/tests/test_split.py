# mypy: disable-error-code="import-untyped,index,arg-type,attr-defined,call-overload,unused-ignore,no-any-return,misc"
"""The draw split into range jobs (§8) writes the kit of the one-process draw, byte for byte."""

import json
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spotcheck_draw.commitments import design_hash, merkle_root_of_encoded, population_lines
from spotcheck_draw.kit import run_kit
from spotcheck_draw.population_file import read_population_file
from spotcheck_draw.split import (
    SplitPlan,
    decode_candidates,
    encode_candidates,
    merged_pass,
    plan_split,
    range_candidates,
)
from spotcheck_draw.tickets import make_seed

TASKS = [
    {"id": "count", "department": "a", "mode": "count", "strata": {"A": 7, "B": 3, "*": 2}},
    {"id": "ratio", "department": "b", "mode": "ratio", "strata": {"*": "0.15"}},
    {
        "id": "poisson",
        "department": "c",
        "mode": "poisson",
        "probabilities": {"A": "0.1", "B": "0.3", "C": "1"},
    },
    {
        "id": "seq",
        "department": "d",
        "mode": "sequential_poisson",
        "n": 9,
        "probabilities": {"A": "0.05", "B": "0.2", "C": "0.5"},
    },
]
DESIGN = {"version": 1, "rounding": "ceil_min1", "randomness_source": "dice", "tasks": TASKS}
RANDOMNESS = "3 1 4 1 5 9"


def write_inputs(folder: Path, rows: list[tuple[str, str, str]]) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    design, population = folder / "design.json", folder / "population.tsv"
    design.write_text(json.dumps(DESIGN, ensure_ascii=False), encoding="utf-8")
    population.write_text("".join(f"{line}\n" for line in population_lines(rows)), encoding="utf-8")
    return design, population


def kit_bytes(kit: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(kit.iterdir())}


def split_kit(
    design: Path, population: Path, out: Path, parts: int, lost: int | None = None
) -> dict[str, bytes]:
    """The kit drawn as the queue does it: plan, each range on its own (through the stored
    text of plan and candidates), then the merge. ``lost``: a range whose first result is thrown
    away, as when its worker dies, and drawn again."""
    data = population.read_bytes()
    root = merkle_root_of_encoded(read_population_file(data).lines)
    seed = make_seed(root, design_hash(json.loads(design.read_bytes())), RANDOMNESS)
    plan = SplitPlan.decode(plan_split(json.loads(design.read_bytes()), data, seed, parts).encode())
    stored = {}
    for i, (start, end) in enumerate(plan.ranges):
        stored[i] = encode_candidates(range_candidates(data[start:end], plan))
    if lost is not None and lost < len(plan.ranges):
        del stored[lost]
        start, end = plan.ranges[lost]
        stored[lost] = encode_candidates(range_candidates(data[start:end], plan))
    parts_found = [decode_candidates(stored[i]) for i in range(len(plan.ranges))]
    run_kit(design, population, RANDOMNESS, out, ticket_pass=merged_pass(plan, parts_found))
    return kit_bytes(out)


entity = st.tuples(
    st.sampled_from("ABCD"),
    st.sets(st.sampled_from([t["id"] for t in TASKS]), min_size=1),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    entities=st.lists(entity, min_size=1, max_size=160),
    parts=st.integers(min_value=1, max_value=7),
    lost=st.none() | st.integers(min_value=0, max_value=6),
)
def test_split_kit_is_the_one_process_kit(
    tmp_path_factory: pytest.TempPathFactory,
    entities: list[tuple[str, set[str]]],
    parts: int,
    lost: int | None,
) -> None:
    rows = [
        (f"9133{i * 7919 % 100003:013d}X", stratum, task)
        for i, (stratum, tasks) in enumerate(entities)
        for task in sorted(tasks)
    ]
    folder = tmp_path_factory.mktemp("split")
    design, population = write_inputs(folder / "in", rows)
    run_kit(design, population, RANDOMNESS, folder / "whole")
    assert split_kit(design, population, folder / "split", parts, lost) == kit_bytes(
        folder / "whole"
    )


def test_ranges_are_whole_entities_and_cover_the_file(tmp_path: Path) -> None:
    rows = [(f"9133{i:013d}X", "AB"[i % 2], t) for i in range(500) for t in ("count", "ratio")]
    _, population = write_inputs(tmp_path, rows)
    data = population.read_bytes()
    plan = plan_split(DESIGN, data, "seed", 6)
    assert len(plan.ranges) == 6
    assert plan.ranges[0][0] == 0 and plan.ranges[-1][1] == len(data)
    for (_, end), (start, _) in pairwise(plan.ranges):
        assert end == start
        before, after = data[:start].splitlines()[-1], data[start:].splitlines()[0]
        assert before.split(b"\t")[0] != after.split(b"\t")[0]  # an entity is never cut in two


def test_a_plan_from_other_files_falls_back_to_the_exact_pass(tmp_path: Path) -> None:
    rows = [(f"9133{i:013d}X", "A", "count") for i in range(300)]
    design, population = write_inputs(tmp_path / "in", rows)
    whole = run_kit(design, population, RANDOMNESS, tmp_path / "whole")
    stale = SplitPlan("another seed", {}, [])
    split = run_kit(
        design, population, RANDOMNESS, tmp_path / "split", ticket_pass=merged_pass(stale, [])
    )
    assert split == whole
