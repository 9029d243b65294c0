"""The public inclusion proof at a province's size (issue 16): 1,480,000 population lines.

    .venv/bin/python bench/proof.py                  # 1,480,000 lines
    .venv/bin/python bench/proof.py --lines 100000   # a quick run

Writes the population with its stored tree and line offsets into a temporary folder (what
``batch_commit`` does), then times 20 proofs of entities spread over the population as the
proof page reads them, and one proof computed the old way (every line read and hashed). No
database: the proof page's cost is the files.

Last line: ``proof: stored p95 X ms, recomputed Y ms, tree written in Z s``.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from spotcheck.draws.proofs import lines_with_proofs, write_population  # noqa: E402
from spotcheck_draw.commitments import inclusion_proof, verify_inclusion  # noqa: E402


def population(n: int) -> list[str]:
    """Sorted lines like a five-department joint batch: about 1.5 lines per entity."""
    lines = []
    for i in range(n * 2 // 3):
        key = f"914403{i:011d}X"
        lines.append(f"{key}\tA\t1")
        if i % 2 == 0:
            lines.append(f"{key}\tA\t2")
    return lines[:n]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=1_480_000)
    args = parser.parse_args()
    lines = population(args.lines)
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        root = write_population(Path(folder), lines)
        written = time.perf_counter() - start
        times = []
        for k in range(20):
            key = lines[(k * 7919 * 61) % len(lines)].split("\t", 1)[0]
            start = time.perf_counter()
            size, found = lines_with_proofs(Path(folder), key)
            times.append((time.perf_counter() - start) * 1000)
            assert found and all(
                verify_inclusion(f["line"], f["index"], size, f["proof"], root) for f in found
            )
        index = len(lines) // 2
        start = time.perf_counter()
        old = (Path(folder) / "population.tsv").read_text(encoding="utf-8").splitlines()
        inclusion_proof(old, index)
        recomputed = (time.perf_counter() - start) * 1000
    p95 = statistics.quantiles(times, n=20)[-1]
    print(f"  stored proof: p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms")
    print(
        f"proof: stored p95 {p95:.1f} ms, recomputed {recomputed:.0f} ms, "
        f"tree written in {written:.1f} s ({len(lines):,} lines)"
    )


if __name__ == "__main__":
    main()
