"""Where a full build's time goes: the phases of `update(full=True)` of the synthetic N-Quads, timed in one
process, beside raw pyoxigraph's bulk load of the same file (alternating, fresh processes).

    python -m bench.store_phases [--size 1000000] [--runs 3]

Prints, per run: raw load; stigraph's total, when its load ended, and what came after (compaction beside the
counts, manifest, swap). Not a benchmark of record (`python -m bench.store` is); a way to see the gap's parts.
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


def _stigraph(data: Path, folder: Path) -> dict:
    import stigraph.builder.background as background
    import stigraph.builder.update as update_module
    from stigraph.builder import inputs

    marks: dict[str, float] = {}
    started = time.perf_counter()
    join, beside = background.Preload.join, update_module.beside

    def timed_join(self):
        result = join(self)
        marks["load_ended"] = time.perf_counter() - started
        return result

    def timed_beside(disk, check):
        begun = time.perf_counter()
        result = beside(disk, check)
        if disk is not None and getattr(disk, "__name__", "") == "optimize":
            marks["compaction_and_counts"] = time.perf_counter() - begun
        return result

    background.Preload.join, update_module.beside = timed_join, timed_beside
    specs = [inputs.ontology_input(), inputs.nquads_input("synthetic", "dataset", [data])]
    started = time.perf_counter()
    update_module.update(folder, add=specs, full=True)
    marks["total"] = time.perf_counter() - started
    return marks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", default="/tmp/stigraph-bench-phases")
    parser.add_argument("--case", choices=["raw", "stigraph"], help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    work = Path(args.work)
    if args.case:
        folder = work / args.case
        shutil.rmtree(folder, ignore_errors=True)
        result = (_raw if args.case == "raw" else _stigraph)(Path(args.data), folder)
        shutil.rmtree(folder, ignore_errors=True)
        print(json.dumps({k: round(v, 2) for k, v in result.items()}))
        return 0
    from bench.synthetic import cached

    work.mkdir(parents=True, exist_ok=True)
    data = cached(args.size)
    for run in range(1, args.runs + 1):
        row = {}
        for case in ("raw", "stigraph"):
            done = subprocess.run([sys.executable, "-m", "bench.store_phases", "--case", case, "--data", str(data),
                                   "--work", str(work)], cwd=REPO, capture_output=True, text=True, check=True)
            row.update(json.loads(done.stdout.strip().splitlines()[-1]))
        print(f"run {run}: " + ", ".join(f"{k} {v:.2f} s" for k, v in row.items()), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
