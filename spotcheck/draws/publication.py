"""A draw published in tiers (draw-spec §7 v1.1): what the public, the entity and oversight get.

- The public: commitments, the randomness record, the seed, counts per task and per stratum under
  neutral labels (层1, 层2 ...), and the selected entities with their tickets, never a stratum.
- The entity: its own population lines with their inclusion proofs, opened by its visit's code.
- Oversight: the full verification kit (credit classes, conflicts, history), see services.
"""

import io
import json
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

from django.core.cache import cache
from django.utils.timezone import localtime

from spotcheck.common.safe_cells import formula_safe
from spotcheck.directory.models import MarketEntity

from .models import ACCESS_CODE_ALPHABET, ACCESS_CODE_LENGTH, BatchStatus, DrawBatch, Visit
from .proofs import lines_with_proofs
from .services import batch_folder

COMMITTED_FILES = ("design.json", "population.tsv")
PUBLIC_VERIFY_SCRIPT = Path(__file__).with_name("verify_public.py")
STRATUM_LABEL = "层{n}"
CACHE_SECONDS = 24 * 3600
NAME_QUERY_SIZE = 5000  # keys per IN (...) query, well below SQLite's variable limit


def kit_exists(batch: DrawBatch) -> bool:
    return (batch_folder(batch) / "kit" / "record.json").exists()


def _population_lines(batch: DrawBatch) -> list[str]:
    text = (batch_folder(batch) / "population.tsv").read_text(encoding="utf-8")
    return text.splitlines()


def _stratum_counts(batch: DrawBatch) -> list[dict]:
    """Per task and stratum: population, and the sample once drawn (None before)."""
    if batch.status == BatchStatus.DRAWN and batch.record.get("counts"):
        return [dict(c) for c in batch.record["counts"]]
    # The committed population never changes: count its lines once, not on every page view.
    key = f"draws:population-counts:{batch.number}:{batch.population_root}"
    return cache.get_or_set(key, lambda: _population_counts(batch), CACHE_SECONDS)


def _population_counts(batch: DrawBatch) -> list[dict]:
    sizes = Counter(tuple(line.split("\t")[2:0:-1]) for line in _population_lines(batch))
    return [
        {"task": task, "stratum": stratum, "population": n, "sample": None}
        for (task, stratum), n in sorted(sizes.items())
    ]


def public_counts(batch: DrawBatch) -> list[dict]:
    """Per task: population and sample, and per stratum the same under a neutral label.

    Labels follow the stratum's population size (largest first), which is public anyway, so
    the label's number says nothing about the class behind it."""
    by_task: dict[str, list[dict]] = defaultdict(list)
    for count in _stratum_counts(batch):
        by_task[count["task"]].append(count)
    tasks = []
    for task, strata in sorted(by_task.items()):
        strata.sort(key=lambda c: (-c["population"], c["stratum"]))
        drawn = all(c["sample"] is not None for c in strata)
        tasks.append(
            {
                "task": task,
                "population": sum(c["population"] for c in strata),
                "sample": sum(c["sample"] for c in strata) if drawn else None,
                "strata": [
                    {
                        "label": STRATUM_LABEL.format(n=number),
                        "population": c["population"],
                        "sample": c["sample"],
                    }
                    for number, c in enumerate(strata, start=1)
                ],
            }
        )
    return tasks


def _iso(moment) -> str | None:
    return localtime(moment).isoformat() if moment else None


def public_record(batch: DrawBatch) -> dict:
    """Everything a citizen may know of a batch, enough to recompute the seed and the tickets."""
    return {
        "batch": batch.number,
        "name": batch.name,
        "algorithm": batch.record.get("algorithm", "spotcheck-draw/1"),
        "status": batch.status,
        "randomness_source": {
            "named": batch.randomness_source,
            "due": _iso(batch.randomness_due),
        },
        "committed_at": _iso(batch.committed_at),
        "population_root": batch.population_root,
        "design_hash": batch.design_hash,
        "population_lines": batch.population_lines,
        "randomness": {
            "value": batch.randomness_value,
            "witnesses": batch.witnesses,
            "entered_at": _iso(batch.randomness_entered_at),
        }
        if batch.randomness_value
        else None,
        "seed": batch.seed or None,
        "tasks": public_counts(batch),
        "caps": public_caps(batch),
    }


def public_caps(batch: DrawBatch) -> dict | None:
    """The design's yearly-caps section and each task's department, so anyone can check that no
    selected firm was at a cap (verify_public.py). Only the selected firms' earlier checks are
    shown, without their dates: the whole history would tell who else is checked and when (and
    before the draw, who is in the population). None before the draw or without caps."""
    path = batch_folder(batch) / "design.json"
    if not path.exists():
        return None
    design = json.loads(path.read_text(encoding="utf-8"))
    caps = design.get("caps")
    # the selection (a file as long as the batch) is read only when there are caps to show
    selected = {row["uscc"] for row in public_selection(batch)} if caps else set()
    if not selected:
        return None
    history = [
        {"uscc": visit["uscc"], "departments": visit["departments"]}
        for visit in caps["history"]
        if visit["uscc"] in selected
    ]
    return {
        **caps,
        "history": history,
        "task_departments": {t["id"]: t["department"] for t in design["tasks"]},
    }


def public_selection(batch: DrawBatch) -> list[dict]:
    """The selected (task, entity) pairs with tickets, sorted by task then ticket; no stratum.
    Names are added by :func:`with_names`, for a page or for the whole list."""
    if not kit_exists(batch):
        return []
    text = (batch_folder(batch) / "kit" / "selection.tsv").read_text(encoding="utf-8")
    return [
        {"task": task, "uscc": uscc, "ticket": ticket}
        for task, uscc, _stratum, ticket in (line.split("\t") for line in text.splitlines())
    ]


def with_names(rows: list[dict]) -> list[dict]:
    names: dict[str, str] = {}
    keys = sorted({r["uscc"] for r in rows})
    for start in range(0, len(keys), NAME_QUERY_SIZE):
        chunk = keys[start : start + NAME_QUERY_SIZE]
        names.update(MarketEntity.objects.filter(key__in=chunk).values_list("key", "name"))
    return [{**r, "name": names.get(r["uscc"], "")} for r in rows]


def _tsv_cell(value: str) -> str:
    """One column of text: no tab or line break, and no formula if opened in a spreadsheet."""
    return formula_safe(" ".join(value.split()))


def public_kit_zip(batch: DrawBatch) -> bytes:
    """record.json, selection.tsv (task, USCC, ticket, name), verify_public.py and a README."""
    files = {
        "record.json": json.dumps(public_record(batch), ensure_ascii=False, indent=1) + "\n",
        "README.txt": _readme(batch),
    }
    if batch.status == BatchStatus.DRAWN:
        files["selection.tsv"] = "".join(
            f"{r['task']}\t{r['uscc']}\t{r['ticket']}\t{_tsv_cell(r['name'])}\n"
            for r in with_names(public_selection(batch))
        )
        files["verify_public.py"] = PUBLIC_VERIFY_SCRIPT.read_text(encoding="utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in sorted(files.items()):
            archive.writestr(f"{batch.number}/{name}", text.encode("utf-8"))
    return buffer.getvalue()


def verify_commands(batch: DrawBatch) -> list[str]:
    """Copy-paste commands, run in the folder the kit was downloaded to; tested as written."""
    return [
        "pip install consistent-sampler",
        f"python -m zipfile -e {batch.number}-kit.zip .",
        f"python {batch.number}/verify_public.py {batch.number}",
    ]


def full_kit_commands(batch: DrawBatch) -> list[str]:
    return [
        "pip install consistent-sampler",
        f"python -m zipfile -e {batch.number}-full-kit.zip .",
        f"python {batch.number}/verify.py {batch.number}",
    ]


def _readme(batch: DrawBatch) -> str:
    lines = [
        f"抽取批次 {batch.number} 公开核验材料",
        "",
        "record.json：抽取承诺值、公开随机数来源及其产生时间、公开随机数（见证人、录入时间）、",
        "种子、各任务抽查对象总数和抽取数（分层只列数量，层1、层2……为中性编号）。",
    ]
    if batch.status == BatchStatus.DRAWN:
        lines += [
            "selection.tsv：抽中的检查对象，每行：任务编号、统一社会信用代码、随机票号、名称。",
            "",
            "核验方法（在下载本文件的文件夹中依次执行）：",
            *(f"  {command}" for command in verify_commands(batch)),
            "输出 MATCH 即种子由承诺值和公开随机数算出，每个随机票号与种子一致。",
        ]
    return "\n".join(lines) + "\n"


def full_kit_zip(batch: DrawBatch) -> bytes:
    """Oversight only: after the draw the full kit; before it, the committed inputs."""
    folder = batch_folder(batch)
    source = folder / "kit" if kit_exists(batch) else folder
    names = sorted(p.name for p in source.iterdir() if p.is_file())
    if source == folder:
        names = [n for n in names if n in COMMITTED_FILES]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            archive.write(source / name, f"{batch.number}/{name}")
    return buffer.getvalue()


def normalize_access_code(raw: str) -> str | None:
    """The code as stored, or None when it cannot be one (wrong length or symbol)."""
    code = "".join(raw.split()).replace("-", "").upper()
    if len(code) != ACCESS_CODE_LENGTH or any(c not in ACCESS_CODE_ALPHABET for c in code):
        return None
    return code


def format_access_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def visit_by_access_code(batch: DrawBatch, code: str) -> Visit | None:
    return Visit.objects.select_related("entity").filter(batch=batch, access_code=code).first()


def entity_proofs(batch: DrawBatch, uscc: str) -> dict:
    """RFC 6962 audit paths for each of the entity's lines, checkable against the root."""
    size, proofs = lines_with_proofs(batch_folder(batch), uscc)
    return {
        "batch": batch.number,
        "population_root": batch.population_root,
        "size": size,
        "uscc": uscc,
        "included": bool(proofs),
        "lines": proofs,
    }
