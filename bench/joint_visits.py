"""Visits needed with coordinated tickets (one seed for the batch) versus independent draws
(each department its own seed), for the same designs on the demo district.

    .venv/bin/python bench/joint_visits.py [--entities 100000] [--seeds 20]

Last line: ``visits: coordinated C, independent I, saved P%``.
"""

import argparse
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spotcheck.config.settings.test")

import django

django.setup()

from spotcheck.demo.departments import DEPARTMENTS  # noqa: E402
from spotcheck.demo.entities import demo_entities  # noqa: E402
from spotcheck.demo.loader import CATERING  # noqa: E402
from spotcheck_draw.selection import draw  # noqa: E402

SUPERVISES = {code: sections for code, _, _, _, sections in DEPARTMENTS}


def catering_population(entities: list[dict]) -> list[tuple[str, str, str]]:
    """The demo joint check's population: operating catering firms (62xx) each department
    supervises, stratified by credit-risk class; one line per (entity, task)."""
    rows = []
    for entity in entities:
        if entity["status"] != "operating" or not entity["industry_code"].startswith("62"):
            continue
        for code, _, _ in CATERING:
            if entity["section"] in SUPERVISES[code]:
                rows.append((entity["uscc"], entity["credit_class"], code))
    return sorted(rows)


def design(tasks) -> dict:
    return {
        "version": 1,
        "rounding": "ceil_min1",
        "tasks": [
            {"id": code, "department": code, "mode": "poisson", "probabilities": probabilities}
            for code, _, probabilities in tasks
        ],
    }


def coordinated_visits(rows, seed: str) -> int:
    return len(draw(rows, design(CATERING), seed).visits)


def independent_visits(rows, seed: str) -> int:
    """Each department draws alone with its own seed, with the same inclusion probabilities;
    a firm that two departments happen to draw is still merged into one visit."""
    visited = set()
    for task in CATERING:
        own = [r for r in rows if r[2] == task[0]]
        result = draw(own, design([task]), f"{seed}:{task[0]}")
        visited |= {s.uscc for s in result.selections}
    return len(visited)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--seeds", type=int, default=20)
    args = parser.parse_args()
    entities = list(demo_entities(args.entities))
    rows = catering_population(entities)
    print(f"demo district: {len(entities)} entities, joint check population {len(rows)} lines")
    coordinated, independent = [], []
    for number in range(args.seeds):
        seed = f"bench-joint-visits-{number}"
        coordinated.append(coordinated_visits(rows, seed))
        independent.append(independent_visits(rows, seed))
    c, i = statistics.mean(coordinated), statistics.mean(independent)
    print(f"over {args.seeds} seeds: coordinated {c:.0f} visits, independent {i:.0f} visits")
    print(f"visits: coordinated {c:.0f}, independent {i:.0f}, saved {100 * (1 - c / i):.0f}%")


if __name__ == "__main__":
    main()
