#!/usr/bin/env python3
"""Print, per seed, the entity mentions in the bundled derived N-Quads, before (a git revision) and now.

Counts `stig:mentions` links in stigraph/data/derived/<seed>.nq: from the document node (entities the
document names) and from strategy measures (entities a measure names). With --extract it also runs the
extractor on the seeds and prints the hits kept and the hits dropped by the generic-label rules
(stigraph/data/generic_labels.yaml).

    python scripts/mention_counts.py --base main            # derived files at main vs the working tree
    python scripts/mention_counts.py --base main --extract  # plus hits kept / dropped per seed
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from stigraph.ontology.vocabulary import STIG  # noqa: E402

DERIVED = "stigraph/data/derived"
MENTIONS = f"<{STIG}mentions>"


def counts(text: str) -> tuple[int, int]:
    """(document -> entity links, measure -> entity links) in one derived N-Quads text."""
    doc = measure = 0
    for line in text.splitlines():
        parts = line.split(" ", 3)
        if len(parts) == 4 and parts[1] == MENTIONS:
            if "/id/doc/" in parts[0]:
                doc += 1
            elif "/id/measure/" in parts[0]:
                measure += 1
    return doc, measure


def at_revision(revision: str, name: str) -> str:
    return subprocess.run(["git", "show", f"{revision}:{DERIVED}/{name}"], cwd=REPO, capture_output=True,
                          text=True, check=True).stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="main", help="git revision to compare with (default: main)")
    parser.add_argument("--extract", action="store_true", help="also run the extractor: hits kept and dropped")
    args = parser.parse_args(argv)
    names = sorted(p.name for p in (REPO / DERIVED).glob("*.nq"))
    print(f"{'seed':<28} {'doc mentions':>22} {'measure mentions':>22}")
    print(f"{'':<28} {args.base:>10} {'now':>10}  {args.base:>10} {'now':>10}")
    for name in names:
        before, now = counts(at_revision(args.base, name)), counts((REPO / DERIVED / name).read_text(encoding="utf-8"))
        print(f"{name:<28} {before[0]:>10} {now[0]:>10}  {before[1]:>10} {now[1]:>10}")
    if args.extract:
        from scripts.regenerate_derived import seeds_dir  # noqa: PLC0415
        from stigraph.extract import extract_file  # noqa: PLC0415

        print(f"\n{'seed':<28} {'hits kept':>10} {'dropped':>8}  dropped by label")
        for name in names:
            result = extract_file(seeds_dir() / name.replace(".nq", ".txt"), kind="all")
            kept = sum(m.count for m in result.mentions)
            dropped = sum(result.dropped_mentions.values())
            print(f"{name:<28} {kept:>10} {dropped:>8}  " + ", ".join(f"{k} {v}" for k, v in result.dropped_mentions.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
