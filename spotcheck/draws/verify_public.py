"""Check a Spotcheck draw from its public record alone (draw protocol v1.1, public tier).

    pip install consistent-sampler
    python verify_public.py KIT_DIR

Needs only the Python standard library and ``consistent-sampler``. Checks that the commitments
were published before the randomness was due and entered, that the seed is made of the two
commitments and the randomness as entered, that every published ticket is the consistent
sampler's first ticket of the entity under that seed, and that the counts add up. Prints MATCH
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
    text = (kit / "selection.tsv").read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        task, uscc, ticket = line.split("\t")[:3]
        recomputed = first_fraction(uscc, seed)
        if not recomputed.startswith(ticket):
            return (
                f"selection.tsv line {number}: ticket {ticket} of {uscc}, recomputed {recomputed}"
            )
        per_task[task] += 1
    for task in record["tasks"]:
        strata = sum(s["sample"] for s in task["strata"])
        if not task["sample"] == strata == per_task[task["task"]]:
            return (
                f"task {task['task']}: sample {task['sample']}, strata add up to {strata}, "
                f"selection.tsv has {per_task[task['task']]}"
            )
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
