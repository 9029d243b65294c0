"""``spotcheck-draw run DESIGN.json POPULATION.tsv --randomness VALUE --out DIR`` and
``spotcheck-draw verify DIR``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from spotcheck_draw.errors import DrawError
from spotcheck_draw.kit import run_kit, verify_kit


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="spotcheck-draw", description="Spotcheck draw, v1")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="draw a committed batch and write its kit")
    run.add_argument("design", type=Path)
    run.add_argument("population", type=Path)
    run.add_argument("--randomness", required=True, help="the public randomness, as entered")
    run.add_argument("--source", default=None, help="how the randomness was obtained")
    run.add_argument("--out", required=True, type=Path)
    run.add_argument("--workers", type=int, default=1)
    check = commands.add_parser("verify", help="recompute a kit; print MATCH or the difference")
    check.add_argument("kit", type=Path)
    args = parser.parse_args(argv)
    if args.command == "verify":
        difference = verify_kit(args.kit)
        print("MATCH" if difference is None else difference)
        return 0 if difference is None else 1
    try:
        result = run_kit(
            args.design,
            args.population,
            args.randomness,
            args.out,
            source=args.source,
            workers=args.workers,
        )
    except DrawError as exc:
        print(f"error [{exc.code.value}]: {exc}", file=sys.stderr)
        return 2
    print(
        f"seed {result.seed}\n{len(result.selections)} selections, {len(result.visits)} visits "
        f"({result.visits_saved} saved); kit written to {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
