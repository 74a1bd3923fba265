#!/usr/bin/env python3
"""Regenerate stigraph/data/derived/<seed stem>.nq from the five seed documents.

Runs the document extractors (budgets, strategy measures, mentions) on each seed and writes sorted,
deterministic N-Quads: facts only (ids, labels by position, amounts, lines), never document prose.
Seeds are read from $STIGRAPH_SEEDS, default ../shared/seeds relative to the repository.

    python scripts/regenerate_derived.py          # write the files
    python scripts/regenerate_derived.py --check  # exit 1 if a bundled file differs
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from stigraph.extract import extract_file, extraction_quads  # noqa: E402

SEED_NAMES = [
    "000_e5eefd47d6133f4f.txt", "001_96db8058257dcf4c.txt", "002_4269acff071cedf2.txt",
    "003_1fe72c798f52d037.txt", "004_2059a86a64d69f4e.txt",
]
DERIVED = REPO / "stigraph" / "data" / "derived"


def seeds_dir() -> Path:
    return Path(os.environ.get("STIGRAPH_SEEDS", REPO.parent / "shared" / "seeds"))


def nquads(path: Path) -> str:
    """The sorted N-Quads text of one seed's extraction (deterministic)."""
    lines = sorted(set(extraction_quads(extract_file(path))))
    return "".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    seeds = seeds_dir()
    missing = [name for name in SEED_NAMES if not (seeds / name).exists()]
    if missing:
        print(f"{seeds}: seed files missing: {', '.join(missing)}; set STIGRAPH_SEEDS", file=sys.stderr)
        return 1
    DERIVED.mkdir(parents=True, exist_ok=True)
    stale = []
    for name in SEED_NAMES:
        text = nquads(seeds / name)
        target = DERIVED / f"{Path(name).stem}.nq"
        if args.check:
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                stale.append(target.name)
        else:
            target.write_text(text, encoding="utf-8")
            print(f"wrote {target.relative_to(REPO)} ({text.count(chr(10))} quads)")
    if stale:
        print(f"stale derived files: {', '.join(stale)}; run scripts/regenerate_derived.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
