# mypy: disable-error-code="import-untyped,index,arg-type,attr-defined,call-overload,unused-ignore,no-any-return,misc"
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from spotcheck_draw.cli import main
from spotcheck_draw.commitments import population_lines
from spotcheck_draw.design import parse_design
from spotcheck_draw.errors import DrawError, DrawErrorCode
from spotcheck_draw.inspectors import Rules, Snapshot, assign_inspectors, replace_inspector
from spotcheck_draw.kit import run_kit
from spotcheck_draw.selection import draw


def inspector(i: str, dept: str, **extra: object) -> dict[str, object]:
    return {
        "id": i,
        "department": dept,
        "active": True,
        "qualifications": ["food", "price"],
        "certificate_expiry": "2027-12-31",
        "capacity": 40,
        **extra,
    }


DESIGN = {
    "version": 1,
    "rounding": "ceil_min1",
    "randomness_source": "dice, 2026-12-01 10:00",
    "tasks": [
        {
            "id": "food",
            "department": "market",
            "mode": "ratio",
            "items": ["food"],
            "strata": {"*": "0.1"},
        },
        {
            "id": "price",
            "department": "price",
            "mode": "poisson",
            "items": ["price"],
            "probabilities": {"A": "0.2", "D": "0.5"},
        },
        {"id": "key", "department": "market", "mode": "count", "kind": "key", "strata": {"*": 3}},
    ],
    "cooldown": {
        "months": 12,
        "planned_date": "2026-12-01",
        "exempt_strata": ["D"],
        "history": [{"uscc": "91330100000000009X", "date": "2026-05-01"}],
    },
    "inspectors": {
        "planned_date": "2026-12-01",
        "directory": [inspector(f"M{i}", "market") for i in range(6)]
        + [inspector(f"P{i}", "price") for i in range(4)]
        + [
            inspector("M9", "market", active=False),
            inspector("P9", "price", certificate_expiry="2026-01-01"),
        ],
        "conflicts": [{"inspector": "M1", "uscc": "91330100000000001X"}],
        "last_inspectors": [
            {"uscc": "91330100000000002X", "department": "market", "inspectors": ["M2"]}
        ],
    },
}


def rows() -> list[tuple[str, str, str]]:
    out = []
    for i in range(60):
        uscc, stratum = f"91330100{i:09d}X", "D" if i % 4 == 0 else "A"
        for task in ("food", "price", "key"):
            if task in ("food", "price") and i == 9:
                continue  # cooling down, so not eligible for the general task
            out.append((uscc, stratum, task))
    return out


def write_inputs(tmp: Path, design: dict[str, object]) -> tuple[Path, Path]:
    (tmp / "in").mkdir(exist_ok=True)
    d, p = tmp / "in" / "design.json", tmp / "in" / "population.tsv"
    d.write_text(json.dumps(design, ensure_ascii=False, indent=1), encoding="utf-8")
    p.write_text("".join(line + "\n" for line in population_lines(rows())), encoding="utf-8")
    return d, p


def test_kit_matches_then_tampering_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d, p = write_inputs(tmp_path, DESIGN)
    out = tmp_path / "kit"
    assert main(["run", str(d), str(p), "--randomness", "3 1 4 1 5 9", "--out", str(out)]) == 0
    assert main(["verify", str(out)]) == 0
    assert capsys.readouterr().out.strip().endswith("MATCH")
    script = subprocess.run(
        [sys.executable, str(out / "verify.py"), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (script.returncode, script.stdout.strip()) == (0, "MATCH")
    visits = (out / "visits.tsv").read_text().splitlines()
    assert all(len(v.split("\t")[3].split(",")) >= 2 for v in visits)
    # when one selection line is changed, verification names that line
    lines = (out / "selection.tsv").read_text().splitlines(keepends=True)
    original = lines[1]
    lines[1] = original.replace("\t0.", "\t0.1", 1)[:-2] + "\n"
    (out / "selection.tsv").write_text("".join(lines))
    assert main(["verify", str(out)]) == 1
    assert "selection.tsv line 2" in capsys.readouterr().out
    lines[1] = original
    (out / "selection.tsv").write_text("".join(lines))
    # and a changed population line changes the root, named in the record comparison
    pop = (out / "population.tsv").read_text().replace("\tA\tprice", "\tD\tprice", 1)
    (out / "population.tsv").write_text(pop)
    assert main(["verify", str(out)]) == 1
    assert "population_root" in capsys.readouterr().out


def test_cooldown_is_enforced(tmp_path: Path) -> None:
    design = dict(DESIGN)
    d, p = write_inputs(tmp_path, design)
    text = p.read_text() + ""
    bad = sorted([*text.splitlines(), "91330100000000009X\tA\tfood"])
    p.write_text("".join(line + "\n" for line in bad))
    with pytest.raises(DrawError) as err:
        run_kit(d, p, "x", tmp_path / "kit")
    assert err.value.code == DrawErrorCode.POPULATION_COOLDOWN
    assert not (tmp_path / "kit").exists()


def staffing_inputs(design: dict[str, object]) -> tuple[object, ...]:
    parsed = parse_design(design)
    result = draw(rows(), parsed, "seed")
    section = design["inspectors"]
    assert isinstance(section, dict)
    return result, Snapshot.from_design(section), {t.id: t for t in parsed.tasks}


def test_infeasible_staffing_fails_whole() -> None:
    section = dict(DESIGN["inspectors"])  # type: ignore[arg-type]
    section["directory"] = [
        inspector("M0", "market", capacity=1),
        inspector("M1", "market", capacity=1),
        inspector("P1", "price"),
        inspector("P0", "price"),
    ]
    result, snapshot, tasks = staffing_inputs({**DESIGN, "inspectors": section})
    with pytest.raises(DrawError) as err:
        assign_inspectors(
            result.visits,
            snapshot,
            seed="seed",  # type: ignore[attr-defined]
            planned_date=date(2026, 12, 1),
            rules=Rules(),
            tasks=tasks,
        )
    assert err.value.code == DrawErrorCode.STAFFING_INFEASIBLE
    assert len(err.value.details) >= 2
    assert any("capacity" in d for d in err.value.details)


def test_recusal_takes_the_next_candidate() -> None:
    result, snapshot, tasks = staffing_inputs(DESIGN)
    assignment = assign_inspectors(
        result.visits,
        snapshot,
        seed="seed",  # type: ignore[attr-defined]
        planned_date=date(2026, 12, 1),
        rules=Rules(),
        tasks=tasks,
    )
    visit = next(v for v in result.visits if v.tasks == ("price",))  # type: ignore[attr-defined]
    out = assignment.staff[visit.visit_id]["price"][0]
    after = replace_inspector(
        assignment,
        visit,
        out,
        "declared a relative",
        snapshot=snapshot,
        seed="seed",
        planned_date=date(2026, 12, 1),
        tasks=tasks,
    )
    new = after.staff[visit.visit_id]["price"]
    assert out not in new and len(new) == 2
    assert after.replacements[-1].recused == out and after.replacements[-1].reason
    assert assignment.staff[visit.visit_id]["price"][0] == out  # the original stays recorded
    ranked = [
        p for p in ("P0", "P1", "P2", "P3") if p not in assignment.staff[visit.visit_id]["price"]
    ]
    assert new[0] in ranked


LEFT_OUT = "91330100000000077X"  # twice checked by the market department this year
CAPPED_IN = "91330100000000001X"  # in the population (food, price, key)


def caps_section(*extra_history: dict[str, object], **excluded: int) -> dict[str, object]:
    return {
        "rule": "国办发〔2024〕54号",
        "year": 2026,
        "per_department": 2,
        "total": 4,
        "history": [
            {"uscc": LEFT_OUT, "date": "2026-03-01", "departments": ["market"]},
            {"uscc": LEFT_OUT, "date": "2026-06-01", "departments": ["market", "price"]},
            *extra_history,
        ],
        "excluded": excluded or {"food": 1, "key": 1},
    }


def market_visits(uscc: str) -> list[dict[str, object]]:
    return [
        {"uscc": uscc, "date": f"2026-0{month}-01", "departments": ["market"]} for month in (2, 4)
    ]


def test_a_kit_that_kept_the_caps_verifies(tmp_path: Path) -> None:
    d, p = write_inputs(tmp_path, {**DESIGN, "caps": caps_section()})
    out = tmp_path / "kit"
    assert main(["run", str(d), str(p), "--randomness", "27 18", "--out", str(out)]) == 0
    assert main(["verify", str(out)]) == 0
    script = subprocess.run(
        [sys.executable, str(out / "verify.py"), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (script.returncode, script.stdout.strip()) == (0, "MATCH")


def test_a_firm_at_its_cap_in_the_population_is_refused(tmp_path: Path) -> None:
    d, p = write_inputs(tmp_path, {**DESIGN, "caps": caps_section(*market_visits(CAPPED_IN))})
    with pytest.raises(DrawError) as err:
        run_kit(d, p, "x", tmp_path / "kit")
    assert err.value.code == DrawErrorCode.POPULATION_CAPPED
    assert err.value.details == (f"{CAPPED_IN}\tfood", f"{CAPPED_IN}\tkey")
    assert not (tmp_path / "kit").exists()


def test_verification_catches_a_kit_made_without_the_caps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A platform that skipped the check committed a capped firm: the kit's own hashes agree,
    and only re-checking the caps against the design finds it."""
    import spotcheck_draw.kit

    monkeypatch.setattr(spotcheck_draw.kit, "cap_violations", lambda rows, design: [])
    d, p = write_inputs(tmp_path, {**DESIGN, "caps": caps_section(*market_visits(CAPPED_IN))})
    out = tmp_path / "kit"
    run_kit(d, p, "x", out)
    assert main(["verify", str(out)]) == 1
    assert f"{CAPPED_IN} is at its yearly cap of checks" in capsys.readouterr().out
    script = subprocess.run(
        [sys.executable, str(out / "verify.py"), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert script.returncode == 1 and "yearly cap" in script.stdout


def test_verification_catches_more_firms_left_out_than_the_history_caps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d, p = write_inputs(tmp_path, {**DESIGN, "caps": caps_section(food=3)})
    out = tmp_path / "kit"
    run_kit(d, p, "x", out)
    assert main(["verify", str(out)]) == 1
    assert "3 firms left out of task food" in capsys.readouterr().out
