"""Check a Spotcheck draw from its public record alone (draw protocol v1.1, public tier).

    pip install consistent-sampler
    python verify_public.py KIT_DIR

Needs only the Python standard library and ``consistent-sampler``. Checks that the commitments
were published before the randomness was due and entered, that the seed is made of the two
commitments and the randomness as entered, that every published ticket is the consistent
sampler's first ticket of the entity under that seed, that no selected firm was at its yearly
cap of checks (the record's "caps"), and that the counts add up. Prints MATCH
(exit 0) or the first difference (exit 1). Recomputing the selection itself needs the full kit
(with the confidential strata), which oversight bodies receive.
This file deliberately shares no code with the platform that made the kit.
"""

import json
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path

from consistent_sampler import first_fraction  # type: ignore[import-untyped]


def first_difference(kit: Path) -> str | None:
    record = json.loads((kit / "record.json").read_text(encoding="utf-8"))
    randomness = record.get("randomness") or {}
    if not record.get("seed"):
        return "the batch is not drawn yet: no seed to check"
    committed = datetime.fromisoformat(record["committed_at"])
    due = datetime.fromisoformat(record["randomness_source"]["due"])
    entered = datetime.fromisoformat(randomness["entered_at"])
    if not committed < entered:
        return f"randomness entered at {entered} before the commitments ({committed})"
    if entered < due:
        return f"randomness entered at {entered}, before its announced time {due}"
    seed = f"{record['population_root']}:{record['design_hash']}:{randomness['value']}"
    if seed != record["seed"]:
        return f"seed: published {record['seed']!r}, recomputed {seed!r}"
    per_task: Counter[str] = Counter()
    selected: list[tuple[str, str]] = []
    text = (kit / "selection.tsv").read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        task, uscc, ticket = line.split("\t")[:3]
        recomputed = first_fraction(uscc, seed)
        if not recomputed.startswith(ticket):
            return (
                f"selection.tsv line {number}: ticket {ticket} of {uscc}, recomputed {recomputed}"
            )
        per_task[task] += 1
        selected.append((task, uscc))
    if record.get("caps"):
        capped = cap_difference(record["caps"], selected)
        if capped:
            return capped
    for task in record["tasks"]:
        strata = sum(s["sample"] for s in task["strata"])
        if not task["sample"] == strata == per_task[task["task"]]:
            return (
                f"task {task['task']}: sample {task['sample']}, strata add up to {strata}, "
                f"selection.tsv has {per_task[task['task']]}"
            )
    return None


def cap_difference(caps: dict, selected: list[tuple[str, str]]) -> str | None:
    """Yearly caps (国办发〔2024〕54号): no selected firm was already at its cap of routine checks
    by the task's department, or by all departments, in the year the record names."""
    per_department: Counter[tuple[str, str]] = Counter()
    total: Counter[str] = Counter()
    for visit in caps["history"]:  # the selected firms' routine checks of caps["year"]
        total[visit["uscc"]] += 1
        for department in set(visit["departments"]):
            per_department[(visit["uscc"], department)] += 1
    for task, uscc in selected:
        department = caps["task_departments"][task]
        if (
            per_department[(uscc, department)] >= caps["per_department"]
            or total[uscc] >= caps["total"]
        ):
            return f"{uscc} was selected for task {task} but was at its yearly cap of checks"
    return None


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python verify_public.py KIT_DIR")
        return 2
    difference = first_difference(Path(argv[1]))
    if difference is None:
        print("MATCH")
        return 0
    print(difference)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
