"""What the public gets of a batch: the kit to recompute the draw, and inclusion proofs."""

import io
import zipfile

from spotcheck_draw.commitments import inclusion_proof

from .models import DrawBatch
from .services import batch_folder

COMMITTED_FILES = ("design.json", "population.tsv")


def kit_exists(batch: DrawBatch) -> bool:
    return (batch_folder(batch) / "kit" / "record.json").exists()


def kit_zip(batch: DrawBatch) -> bytes:
    """After the draw the full kit; before it, the committed inputs whose hashes are published."""
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


def inclusion_proofs(batch: DrawBatch, uscc: str) -> dict:
    """RFC 6962 audit paths for each of the entity's lines, checkable against the root."""
    text = (batch_folder(batch) / "population.tsv").read_text(encoding="utf-8")
    lines = text.splitlines()
    proofs = [
        {"line": line, "index": index, "proof": inclusion_proof(lines, index)}
        for index, line in enumerate(lines)
        if line.split("\t", 1)[0] == uscc
    ]
    return {
        "batch": batch.number,
        "population_root": batch.population_root,
        "size": len(lines),
        "uscc": uscc,
        "included": bool(proofs),
        "lines": proofs,
    }
