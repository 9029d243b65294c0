"""Check a Spotcheck draw kit (draw protocol version 1) with an independent tool.

    python verify.py KIT_DIR

Needs only the Python standard library and the ``consistent-sampler`` package (pip install
consistent-sampler). Recomputes the population root, the design hash and the seed, redraws every
task with consistent_sampler, restaffs the visits, and compares with record.json, selection.tsv
and visits.tsv. Prints MATCH (exit 0) or the first difference (exit 1).
This file deliberately shares no code with the engine that made the kit.
"""

import calendar
import datetime
import hashlib
import json
import math
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

from consistent_sampler import first_fraction, sampler  # type: ignore[import-untyped]

Rows = list[list[str]]


def sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def merkle_root(lines: list[str]) -> str:
    """RFC 6962: leaf = SHA-256(0x00 ‖ line); node = SHA-256(0x01 ‖ left ‖ right)."""

    def mth(hashes: list[bytes]) -> bytes:
        if len(hashes) == 0:
            return sha(b"")
        if len(hashes) == 1:
            return hashes[0]
        k = 1 << ((len(hashes) - 1).bit_length() - 1)
        return sha(b"\x01" + mth(hashes[:k]) + mth(hashes[k:]))

    return mth([sha(b"\x00" + line.encode("utf-8")) for line in lines]).hex()


def canonical(value: Any) -> str:
    """RFC 8785 for the JSON types a design uses (no floats)."""
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: k.encode("utf-16-be"))
        return "{" + ",".join(canonical(k) + ":" + canonical(value[k]) for k in keys) + "}"
    if isinstance(value, list):
        return "[" + ",".join(canonical(v) for v in value) + "]"
    if isinstance(value, float):
        raise ValueError("the design holds a float; decimals must be strings")
    return json.dumps(value, ensure_ascii=False)


def exact(ticket: str) -> Fraction:
    return Fraction(int(ticket[2:]), 10 ** len(ticket[2:]))


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def setting(task: dict[str, Any], stratum: str) -> Any:
    table = task.get("strata", task.get("probabilities", {}))
    return table.get(stratum, table.get("*"))


def draw_task(
    task: dict[str, Any], strata: dict[str, list[str]], seed: str, rounding: str
) -> tuple[list[tuple[str, str]], dict[str, int]]:
    """strata: stratum → list of USCC. Returns (selected [(USCC, stratum)], sample per stratum)."""
    mode = task["mode"]
    chosen: list[tuple[str, str]] = []
    sizes: dict[str, int] = {}
    if mode == "sequential_poisson":
        ranked: list[tuple[Fraction, str, str, str]] = []
        for stratum, ids in strata.items():
            p = Fraction(setting(task, stratum) or "0")
            if p > 0:
                for uscc in ids:
                    ticket = first_fraction(uscc, seed)
                    ranked.append((exact(ticket) / p, ticket, uscc, stratum))
        ranked.sort()
        chosen = [(uscc, stratum) for _, _, uscc, stratum in ranked[: task["n"]]]
        for stratum in strata:
            sizes[stratum] = sum(1 for _, s in chosen if s == stratum)
        return chosen, sizes
    for stratum, ids in strata.items():
        value = setting(task, stratum)
        if mode == "poisson":
            p = Fraction(value or "0")
            picked = [u for u in ids if exact(first_fraction(u, seed)) < p]
        else:
            if mode == "count":
                n = min(value or 0, len(ids))
            else:
                ratio = Fraction(value or "0")
                n = math.ceil(ratio * len(ids))
                if rounding == "ceil_min1" and ids and ratio > 0:
                    n = max(n, 1)
                n = min(n, len(ids))
            picked = list(sampler(ids, seed=seed, take=n, output="id")) if n else []
        sizes[stratum] = len(picked)
        chosen += [(uscc, stratum) for uscc in picked]
    return chosen, sizes


def staff(
    visits: list[tuple[str, str, list[str]]], design: dict[str, Any], seed: str
) -> dict[str, list[str]]:
    """Inspector assignment of §6; returns visit id → inspector ids, or raises ValueError."""
    section = design.get("inspectors")
    if not section:
        return {}
    planned = datetime.date.fromisoformat(section["planned_date"])
    rules = {"single_department": 2, "per_department": 1, "joint_total": 2}
    rules.update(section.get("rules", {}))
    people = section.get("directory", [])
    conflicts = {(c["inspector"], c["uscc"]) for c in section.get("conflicts", [])}
    last = {
        (h["uscc"], h["department"]): set(h["inspectors"])
        for h in section.get("last_inspectors", [])
    }
    tasks = {t["id"]: t for t in design["tasks"]}
    load = {p["id"]: 0 for p in people}
    result: dict[str, list[str]] = {}
    for visit_id, uscc, task_ids in visits:
        items: dict[str, set[str]] = {}
        for task_id in task_ids:
            items.setdefault(tasks[task_id]["department"], set()).update(
                tasks[task_id].get("items", [])
            )

        def rank(p: dict[str, Any], uscc: str = uscc) -> tuple[str, str]:
            return (first_fraction(uscc + "|" + p["id"], seed), p["id"])

        pools: dict[str, list[str]] = {}
        for dept in sorted(items):
            pools[dept] = [
                p["id"]
                for p in sorted((p for p in people if p["department"] == dept), key=rank)
                if p.get("active", True)
                and datetime.date.fromisoformat(p["certificate_expiry"]) >= planned
                and items[dept] <= set(p.get("qualifications", []))
                and (p["id"], uscc) not in conflicts
                and p["id"] not in last.get((uscc, dept), set())
                and load[p["id"]] < p["capacity"]
            ]
        need = rules["single_department"] if len(pools) == 1 else rules["per_department"]
        if any(len(ids) < need for ids in pools.values()):
            raise ValueError(f"visit {visit_id} ({uscc}) cannot be staffed")
        taken = {d: ids[:need] for d, ids in pools.items()}
        if len(pools) > 1:
            extra = sorted(
                (first_fraction(uscc + "|" + i, seed), i, d)
                for d, ids in pools.items()
                for i in ids[need:]
            )
            missing = rules["joint_total"] - sum(len(v) for v in taken.values())
            if missing > len(extra):
                raise ValueError(f"visit {visit_id} ({uscc}) cannot be staffed")
            for _, i, d in extra[: max(0, missing)]:
                taken[d].append(i)
            taken = {d: sorted(v, key=pools[d].index) for d, v in taken.items()}
        for ids in taken.values():
            for i in ids:
                load[i] += 1
        result[visit_id] = [i for d in sorted(taken) for i in taken[d]]
    return result


def check_caps(design: dict[str, Any], rows: Rows) -> None:
    """The yearly caps (国办发〔2024〕54号) as the design records them: no population line of a
    firm already at its cap for the task's department or in all, and no task claiming more firms
    left out than the recorded history puts at a cap for its department."""
    caps = design.get("caps")
    if not caps:
        return
    year = str(caps["year"])
    per_department: dict[tuple[str, str], int] = {}
    total: dict[str, int] = {}
    for visit in caps["history"]:
        if not visit["date"].startswith(year + "-"):
            raise ValueError(f"caps history has a visit of {visit['date']}, outside {year}")
        total[visit["uscc"]] = total.get(visit["uscc"], 0) + 1
        for department in set(visit["departments"]):
            key = (visit["uscc"], department)
            per_department[key] = per_department.get(key, 0) + 1

    limit_department, limit_total = int(caps["per_department"]), int(caps["total"])

    def at_cap(uscc: str, department: str) -> bool:
        return (
            per_department.get((uscc, department), 0) >= limit_department
            or total.get(uscc, 0) >= limit_total
        )

    departments = {t["id"]: t["department"] for t in design["tasks"]}
    for uscc, _stratum, task in rows:
        if at_cap(uscc, departments[task]):
            raise ValueError(f"{uscc} is at its yearly cap of checks but in task {task}")
    for task, left_out in sorted(caps.get("excluded", {}).items()):
        if task not in departments:
            raise ValueError(f"caps: firms left out of {task}, a task not in the design")
        at_cap_for_task = sum(1 for uscc in total if at_cap(uscc, departments[task]))
        if left_out > at_cap_for_task:
            raise ValueError(
                f"caps: {left_out} firms left out of task {task}, but the history puts only "
                f"{at_cap_for_task} at a cap for {departments[task]}"
            )


def expected_files(
    kit: Path,
) -> tuple[dict[str, Any], dict[str, Any], list[str], list[str]]:
    """Recompute record fields, selection.tsv and visits.tsv from the kit's inputs."""
    design_bytes = (kit / "design.json").read_bytes()
    design = json.loads(design_bytes)
    text = (kit / "population.tsv").read_bytes().decode("utf-8")
    lines = text.split("\n")[:-1] if text.endswith("\n") else text.split("\n")
    rows = [line.split("\t") for line in lines]
    if lines != sorted(lines, key=lambda line: line.split("\t")):
        raise ValueError("population.tsv is not sorted by USCC, stratum, task")
    if len({(r[0], r[2]) for r in rows}) != len(rows):
        raise ValueError("population.tsv has a duplicate (USCC, task)")
    record = json.loads((kit / "record.json").read_bytes())
    root = merkle_root(lines)
    design_hash = hashlib.sha256(canonical(design).encode("utf-8")).hexdigest()
    seed = f"{root}:{design_hash}:{record['randomness']['value']}"
    cooldown = design.get("cooldown")
    if cooldown:
        planned = datetime.date.fromisoformat(cooldown["planned_date"])
        cooling = {
            h["uscc"]
            for h in cooldown.get("history", [])
            if add_months(datetime.date.fromisoformat(h["date"]), cooldown["months"]) > planned
        }
        kinds = {t["id"]: t.get("kind", "general") for t in design["tasks"]}
        for uscc, stratum, task in rows:
            if (
                kinds.get(task) == "general"
                and uscc in cooling
                and stratum not in cooldown.get("exempt_strata", [])
            ):
                raise ValueError(f"{uscc} is in its cooldown window but in task {task}")
    check_caps(design, rows)
    counts: list[dict[str, Any]] = []
    selection: list[str] = []
    per_entity: dict[str, list[str]] = {}
    for task in sorted(design["tasks"], key=lambda t: t["id"]):
        strata: dict[str, list[str]] = {}
        for uscc, stratum, task_id in rows:
            if task_id == task["id"]:
                strata.setdefault(stratum, []).append(uscc)
        for named in task.get("strata", task.get("probabilities", {})):
            if named != "*":
                strata.setdefault(named, [])
        chosen, sizes = draw_task(task, strata, seed, design.get("rounding", "ceil_min1"))
        for stratum in sorted(strata):
            counts.append(
                {
                    "task": task["id"],
                    "stratum": stratum,
                    "population": len(strata[stratum]),
                    "sample": sizes[stratum],
                }
            )
        tickets = sorted((first_fraction(u, seed), u, s) for u, s in chosen)
        for ticket, uscc, stratum in tickets:
            selection.append(f"{task['id']}\t{uscc}\t{stratum}\t{ticket[:22]}")
            per_entity.setdefault(uscc, []).append(task["id"])
    order = sorted((first_fraction(u, seed), u) for u in per_entity)
    width = max(6, len(str(len(order))))
    visits = [(f"V{i:0{width}d}", u, sorted(per_entity[u])) for i, (_, u) in enumerate(order, 1)]
    staffing = staff(visits, design, seed)
    visit_lines = [
        f"{v}\t{u}\t{','.join(t)}\t{','.join(staffing.get(v, []))}" for v, u, t in visits
    ]
    fields = {
        "population_root": root,
        "design_hash": design_hash,
        "seed": seed,
        "counts": sorted(counts, key=lambda c: (c["task"], c["stratum"])),
        "selections": len(selection),
        "visits": len(visits),
        "visits_saved": len(selection) - len(visits),
    }
    return record, fields, selection, visit_lines


def first_difference(kit_dir: str | Path) -> str | None:
    """None when the kit matches, else a sentence naming the first difference."""
    kit = Path(kit_dir)
    for name in ("record.json", "design.json", "population.tsv", "selection.tsv", "visits.tsv"):
        if not (kit / name).is_file():
            return f"{name} is missing"
    try:
        record, fields, selection, visits = expected_files(kit)
    except (ValueError, KeyError, TypeError) as exc:
        return f"the kit's inputs are invalid: {exc}"
    if record.get("algorithm") != "spotcheck-draw/1":
        return f"record.json algorithm is {record.get('algorithm')!r}, not 'spotcheck-draw/1'"
    for key, value in fields.items():
        if record.get(key) != value:
            return f"record.json {key}: recorded {record.get(key)!r}, recomputed {value!r}"
    for name, expected in (("selection.tsv", selection), ("visits.tsv", visits)):
        found = (kit / name).read_bytes().decode("utf-8").split("\n")
        if found and found[-1] == "":
            found.pop()
        for number, (want, have) in enumerate(zip(expected, found, strict=False), start=1):
            if want != have:
                return f"{name} line {number}: recorded {have!r}, recomputed {want!r}"
        if len(found) != len(expected):
            return f"{name}: recorded {len(found)} lines, recomputed {len(expected)}"
    return None


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python verify.py KIT_DIR")
        return 2
    difference = first_difference(args[0])
    print("MATCH" if difference is None else difference)
    return 0 if difference is None else 1


if __name__ == "__main__":
    sys.exit(main())
