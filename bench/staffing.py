"""Inspector staffing at province scale (issue 16): a five-department batch of 30,000 visits
over a directory of 6,000 inspectors.

    .venv/bin/python bench/staffing.py [--visits 30000] [--inspectors 6000] [--departments 60]

The directory spreads the inspectors over ``--departments`` departments (the province has 60;
``--departments 5`` puts all 6,000 in the batch's five), with conflicts and last inspectors for
some entities. A third of the visits are joint (two or three departments). The old staffing (every
visit re-ranks its departments' whole lists with a fresh seed hash per inspector) is timed on the
first ``--old-sample`` visits and scaled to all of them.

CPU seconds are printed beside wall seconds: the machine is shared. Last line:
``staffing: V visits in S s, CPU C s (old about O CPU s)``.
"""

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from spotcheck_draw.design import parse_design
from spotcheck_draw.inspectors import (
    Inspector,
    Rules,
    Snapshot,
    _Context,
    _staff,
    assign_inspectors,
)
from spotcheck_draw.selection import Visit

SEED = "5f0c" * 16 + ":" + "a1b2" * 16 + ":dice 3 1 4 1 5 9 2 6 5 3"
PLANNED = date(2026, 12, 1)
BATCH = [f"D{k:02d}" for k in range(5)]


def snapshot(inspectors: int, departments: int, usccs: list[str]) -> Snapshot:
    rng = random.Random(1)
    names = [f"D{k:02d}" for k in range(departments)]
    directory = tuple(
        Inspector(
            f"I{n}",
            names[n % departments],
            n % 50 != 0,  # a few inactive
            frozenset({"food", "price", "safety"}),
            date(2027, 6, 30) if n % 40 else date(2026, 6, 30),  # a few expired
            400,
        )
        for n in range(inspectors)
    )
    conflicts = frozenset((f"I{rng.randrange(inspectors)}", rng.choice(usccs)) for _ in range(3000))
    last = {
        (uscc, rng.choice(BATCH)): frozenset({f"I{rng.randrange(inspectors)}"})
        for uscc in rng.sample(usccs, len(usccs) // 5)
    }
    return Snapshot(directory, conflicts, last)


def visits(count: int) -> tuple[list[Visit], list[str]]:
    rng = random.Random(2)
    usccs = [f"91330100{i * 3 + 100000000:09d}X" for i in range(count)]
    out = []
    for k, uscc in enumerate(usccs):
        depts = rng.sample(BATCH, 1 if k % 3 else rng.choice((2, 3)))
        out.append(Visit(f"V{k + 1:06d}", uscc, f"0.{rng.randrange(10**20):020d}", tuple(depts)))
    return out, usccs


def old_staffing(sample: list[Visit], snap: Snapshot, tasks: dict, rules: Rules) -> float:
    """CPU seconds for the old staffing of ``sample`` (each visit ranked from the whole snapshot)."""
    ctx = _Context(snap, SEED, PLANNED, {p.id: 0 for p in snap.inspectors})
    start = time.process_time()
    for visit in sorted(sample, key=lambda v: (v.ticket, v.uscc)):
        outcome = _staff(visit, tasks, ctx, rules)
        assert not isinstance(outcome, str), outcome
        for ids in outcome.values():
            for i in ids:
                ctx.load[i] += 1
    return time.process_time() - start


def batch_inputs(folder: Path, entities: int, snap: Snapshot) -> tuple[Path, Path]:
    """population.tsv: entity i in task i mod 5 and, for 12 of every 25, also in the next
    (1.48 lines per entity); design.json: Poisson 3.06% per line (about 30,600 visits per 1M entities), the inspector snapshot."""
    lines = []
    for i in range(entities):
        uscc = f"91330100{i * 3 + 100000000:09d}X"
        stratum = "ABCD"[i % 7 % 4]
        first = i % 5
        tasks = sorted({first, (first + 1) % 5} if i % 25 < 12 else {first})
        lines += [f"{uscc}\t{stratum}\t{BATCH[t]}\n" for t in tasks]
    population = folder / "population.tsv"
    population.write_text("".join(lines))
    design = {
        "version": 1,
        "rounding": "ceil_min1",
        "tasks": [
            {
                "id": d,
                "department": d,
                "mode": "poisson",
                "items": ["food"],
                "probabilities": {s: "0.0306" for s in "ABCD"},
            }
            for d in BATCH
        ],
        "inspectors": {
            "planned_date": PLANNED.isoformat(),
            "directory": [
                {
                    "id": p.id,
                    "department": p.department,
                    "active": p.active,
                    "qualifications": sorted(p.qualifications),
                    "certificate_expiry": p.certificate_expiry.isoformat(),
                    "capacity": p.capacity,
                }
                for p in snap.inspectors
            ],
            "conflicts": [{"inspector": i, "uscc": u} for i, u in sorted(snap.conflicts)],
            "last_inspectors": [
                {"uscc": u, "department": d, "inspectors": sorted(ids)}
                for (u, d), ids in sorted(snap.last.items())
            ],
        },
    }
    design_path = folder / "design.json"
    design_path.write_text(json.dumps(design))
    return design_path, population


def whole_batch(entities: int, inspectors: int, departments: int) -> None:
    usccs = [f"91330100{i * 3 + 100000000:09d}X" for i in range(entities)]
    snap = snapshot(inspectors, departments, usccs)
    with tempfile.TemporaryDirectory(prefix="spotcheck-staffing-bench-") as tmp:
        design_path, population = batch_inputs(Path(tmp), entities, snap)
        script = Path(sys.executable).with_name("spotcheck-draw")
        command = [str(script)] if script.exists() else [sys.executable, "-m", "spotcheck_draw.cli"]
        out = Path(tmp) / "kit"
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(
            [
                *(*command, "run", str(design_path), str(population)),
                *("--randomness", "3 1 4 1 5", "--out", str(out), "--workers", "2"),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        took = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        record = json.loads((out / "record.json").read_text())
        staffed = sum(
            1 for line in (out / "visits.tsv").read_text().splitlines() if line[-1] != "\t"
        )
    print(
        f"batch: {record['population_lines']:,} lines, {record['visits']:,} visits "
        f"({staffed:,} staffed), spotcheck-draw run {took:.2f} s (CPU {cpu:.2f} s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--visits", type=int, default=30_000)
    parser.add_argument("--inspectors", type=int, default=6_000)
    parser.add_argument("--departments", type=int, default=60)
    parser.add_argument("--old-sample", type=int, default=500, help="visits timed the old way")
    parser.add_argument("--batch-entities", type=int, default=1_000_000)
    args = parser.parse_args()
    batch, usccs = visits(args.visits)
    snap = snapshot(args.inspectors, args.departments, usccs)
    design = {
        "version": 1,
        "tasks": [
            {"id": d, "department": d, "mode": "count", "items": ["food"], "strata": {"*": 1}}
            for d in BATCH
        ],
    }
    tasks = {t.id: t for t in parse_design(design).tasks}
    rules = Rules()
    per_department = sum(p.department == BATCH[0] for p in snap.inspectors)
    joint = sum(len(v.tasks) > 1 for v in batch)
    print(
        f"{len(batch):,} visits ({joint:,} joint) over {len(BATCH)} departments; "
        f"{len(snap.inspectors):,} inspectors in {args.departments} departments "
        f"({per_department} in each of the batch's)"
    )
    start, cpu_start = time.perf_counter(), time.process_time()
    assignment = assign_inspectors(
        batch, snap, seed=SEED, planned_date=PLANNED, rules=rules, tasks=tasks
    )
    took, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    assigned = sum(assignment.load.values())
    sample = batch[: args.old_sample]
    old = old_staffing(sample, snap, tasks, rules) * len(batch) / max(1, len(sample))
    print(f"staffed: {assigned:,} assignments, {cpu / len(batch) * 1e6:.0f} CPU µs per visit")
    print(f"old staffing on {len(sample):,} visits, scaled to {len(batch):,}: CPU {old:.1f} s")
    print(
        f"staffing: {len(batch):,} visits in {took:.2f} s, CPU {cpu:.2f} s "
        f"(old about {old:.0f} CPU s)"
    )
    if args.batch_entities:
        whole_batch(args.batch_entities, args.inspectors, args.departments)


if __name__ == "__main__":
    main()
