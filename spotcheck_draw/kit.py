"""The verification kit (§7, §10): run a draw from files and write everything needed to check it."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from spotcheck_draw import ALGORITHM
from spotcheck_draw.caps import cap_violations, may_be_capped
from spotcheck_draw.commitments import MerkleRootJob, design_hash
from spotcheck_draw.cooldown import cooldown_violations, design_cooling
from spotcheck_draw.design import parse_design
from spotcheck_draw.errors import DrawError, DrawErrorCode
from spotcheck_draw.population_file import checked_population_file, split_population_file
from spotcheck_draw.selection import DrawResult, PassFunction, draw
from spotcheck_draw.tickets import make_seed

VERIFY_SCRIPT = Path(__file__).with_name("verify.py")


def record_of(
    result: DrawResult, root: str, d_hash: str, source: str, value: str, size: int
) -> dict[str, Any]:
    return {
        "algorithm": ALGORITHM,
        "population_root": root,
        "population_lines": size,
        "design_hash": d_hash,
        "randomness": {"source": source, "value": value},
        "seed": result.seed,
        "counts": [c._asdict() for c in result.counts],
        "selections": len(result.selections),
        "visits": len(result.visits),
        "visits_saved": result.visits_saved,
    }


def run_kit(
    design_path: Path,
    population_path: Path,
    randomness: str,
    out: Path,
    *,
    source: str | None = None,
    workers: int = 1,
    ticket_pass: PassFunction | None = None,
) -> DrawResult:
    """Commit, draw, staff and write record.json, selection.tsv, visits.tsv, the inputs and
    verify.py into ``out``. Nothing is written when any step fails. ``ticket_pass``: see
    ``selection.draw`` (the split draw's merge, §8)."""
    design_bytes, population_bytes = design_path.read_bytes(), population_path.read_bytes()
    raw = json.loads(design_bytes)
    design = parse_design(raw)
    split = split_population_file(population_bytes)
    lines = split.lines
    # The job hashes while this process checks; it is joined after the draw, by when its
    # process has exited (unless a check failed: then it is ended).
    with MerkleRootJob(lines, workers=workers) as root_job:
        population = checked_population_file(split)
        del split
        # Only lines of cooling entities, and of firms checked this year, can break these rules.
        violations = cooldown_violations(population.rows_of(design_cooling(design)), design)
        if violations:
            raise DrawError(
                DrawErrorCode.POPULATION_COOLDOWN, "entities in their cooldown window", violations
            )
        checked = may_be_capped(raw)
        rows = population.rows() if checked is None else population.rows_of(checked)
        capped = cap_violations(rows, raw)
        if capped:
            raise DrawError(
                DrawErrorCode.POPULATION_CAPPED, "entities at a yearly cap of checks", capped
            )
        groups = population.population()
        root, d_hash = root_job.result(), design_hash(raw)
        result = draw(
            groups,
            design,
            make_seed(root, d_hash, randomness),
            workers=workers,
            ticket_pass=ticket_pass,
        )
    staffing: dict[str, list[str]] = {}
    if raw.get("inspectors"):
        # imported here: a draw without staffing (a CLI run) need not load it
        from spotcheck_draw.inspectors import Snapshot, assign_inspectors, rules_from_design

        section = raw["inspectors"]
        assignment = assign_inspectors(
            result.visits,
            Snapshot.from_design(section),
            seed=result.seed,
            planned_date=date.fromisoformat(section["planned_date"]),
            rules=rules_from_design(section),
            tasks={t.id: t for t in design.tasks},
            workers=workers,
        )
        staffing = {v.visit_id: assignment.inspector_ids(v.visit_id) for v in result.visits}
    source = source if source is not None else str(raw.get("randomness_source", ""))
    record = record_of(result, root, d_hash, source, randomness, len(lines))
    out.mkdir(parents=True, exist_ok=True)
    (out / "record.json").write_text(
        json.dumps(record, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
    )
    selection = "".join(f"{s.task}\t{s.uscc}\t{s.stratum}\t{s.ticket}\n" for s in result.selections)
    (out / "selection.tsv").write_bytes(selection.encode("utf-8"))
    visits = "".join(
        f"{v.visit_id}\t{v.uscc}\t{','.join(v.tasks)}\t{','.join(staffing.get(v.visit_id, []))}\n"
        for v in result.visits
    )
    (out / "visits.tsv").write_bytes(visits.encode("utf-8"))
    (out / "design.json").write_bytes(design_bytes)  # the committed inputs, as read
    (out / "population.tsv").write_bytes(population_bytes)
    (out / "verify.py").write_bytes(VERIFY_SCRIPT.read_bytes())
    return result


def verify_kit(kit: Path) -> str | None:
    """None when the kit matches, else its first difference (the kit's own checker)."""
    from spotcheck_draw.verify import first_difference

    return first_difference(kit)
