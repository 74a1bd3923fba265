"""Where a full build's time goes: the phases of `update(full=True)` of the synthetic N-Quads, timed in one
process, beside raw pyoxigraph's bulk load of the same file (alternating, fresh processes).

    python -m bench.store_phases [--size 1000000] [--runs 3] [--compact]

Prints, per run: raw load; stigraph's total, when its load ended, and what came after (the counts, with
`--compact` the compaction beside them, manifest, swap). Not a benchmark of record (`python -m bench.store` is); a way to see the gap's parts.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _raw(data: Path, folder: Path) -> dict:
    import pyoxigraph as ox

    started = time.perf_counter()
    store = ox.Store(str(folder))
    store.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
    store.flush()
    return {"raw_load": time.perf_counter() - started}


def _stigraph(data: Path, folder: Path, compact: bool) -> dict:
    import stigraph.builder.background as background
    from stigraph.builder import inputs
    from stigraph.builder.update import update

    marks: dict[str, float] = {}
    join = background.Preload.join

    def timed_join(self):
        result = join(self)
        marks["load_ended"] = time.perf_counter() - started
        return result

    background.Preload.join = timed_join
    specs = [inputs.ontology_input(), inputs.nquads_input("synthetic", "dataset", [data])]
    started = time.perf_counter()
    update(folder, add=specs, full=True, compact=compact)
    marks["total"] = time.perf_counter() - started
    marks["after_load"] = marks["total"] - marks["load_ended"]  # counts (and compaction if asked), manifest, swap
    return marks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", default="/tmp/stigraph-bench-phases")
    parser.add_argument("--compact", action="store_true", help="build with compaction (`stigraph build --compact`)")
    parser.add_argument("--case", choices=["raw", "stigraph"], help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    work = Path(args.work)
    if args.case:
        folder = work / args.case
        shutil.rmtree(folder, ignore_errors=True)
        result = _raw(Path(args.data), folder) if args.case == "raw" else _stigraph(Path(args.data), folder, args.compact)
        shutil.rmtree(folder, ignore_errors=True)
        print(json.dumps({k: round(v, 2) for k, v in result.items()}))
        return 0
    from bench.synthetic import cached

    work.mkdir(parents=True, exist_ok=True)
    data = cached(args.size)
    for run in range(1, args.runs + 1):
        row = {}
        for case in ("raw", "stigraph"):
            command = [sys.executable, "-m", "bench.store_phases", "--case", case, "--data", str(data), "--work", str(work)]
            done = subprocess.run(command + (["--compact"] if args.compact else []), cwd=REPO, capture_output=True,
                                  text=True, check=True)
            row.update(json.loads(done.stdout.strip().splitlines()[-1]))
        print(f"run {run}: " + ", ".join(f"{k} {v:.2f} s" for k, v in row.items()), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
