"""The store benchmark of the inputs issue, each case in a fresh process, printed as ratios from one run.

- importing a 200k-triple N-Triples file into a built store vs plain rdflib parsing the same file
  (target: at least 3x faster), and removing it again (target: as fast); each timed three times in its
  process, medians compared, every time printed;
- a full build of synthetic data vs raw pyoxigraph bulk-loading the same N-Quads: time at 1M (target:
  within 1.3x; three alternating runs of each, medians compared) and peak RSS at 1M, 3M and 10M quads
  (target at 10M: at most 1.3x).

    python -m bench.store            # 200k import/remove; full builds at 1M (3 times), 3M and 10M (about 10 min)
    python -m bench.store --quick    # 200k import/remove and 1M only (about 2 min)
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from bench.run import RESULTS, run_case
from bench.store_cases import REPEATS

IMPORT_TRIPLES = 200_000
SIZES = (1_000_000, 3_000_000, 10_000_000)


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}×" if a and b else "n/a"


def _s(result: dict, key: str) -> str:
    return f"{result[key]:.2f} s" if key in result else result.get("na", "n/a")


def _runs(result: dict, key: str) -> str:
    return ", ".join(f"{value:.2f}" for value in result.get(key, [])) + " s" if key in result else "n/a"


def _median_case(results: list[dict]) -> dict:
    """The run with the median load time (its peak RSS with it); a failed run only if all failed."""
    timed = sorted((r for r in results if "load" in r), key=lambda r: r["load"])
    return timed[len(timed) // 2] if timed else results[0]


def _runs_of(results: list[dict]) -> str:
    return ", ".join(f"{r['load']:.2f}" if "load" in r else "n/a" for r in results) + " s"


def _mb(result: dict) -> str:
    return f"{result['peak_rss']:,.0f} MB" if "peak_rss" in result else result.get("na", "n/a")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200k import/remove and 1M full builds only")
    parser.add_argument("--work", default="/tmp/stigraph-bench-store", help="scratch folder")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds allowed for one case")
    args = parser.parse_args(argv)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)

    def say(text: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)

    from bench.store_cases import triples_file
    from bench.synthetic import cached

    say(f"preparing {IMPORT_TRIPLES:,} triples")
    nt = triples_file(IMPORT_TRIPLES, work)
    lines = ["| **import** | time | ratio |", "|---|---:|---:|"]
    say("import + remove")
    imported = run_case("store_import", IMPORT_TRIPLES, nt, work, args.timeout)
    say("rdflib parse")
    parsed = run_case("store_rdflib_parse", IMPORT_TRIPLES, nt, work, args.timeout)
    lines.append(f"| rdflib parses the {IMPORT_TRIPLES // 1000}k-triple file | {_s(parsed, 'parse')} | |")
    lines.append(f"| stigraph imports it into a built store | {_s(imported, 'import')} | "
                 f"{_ratio(parsed.get('parse'), imported.get('import'))} faster (target ≥ 3×) |")
    lines.append(f"| stigraph removes it again | {_s(imported, 'remove')} | "
                 f"{_ratio(parsed.get('parse'), imported.get('remove'))} faster (target ≥ 3×) |")
    lines.append(f"\nMedians of three in one process each; all runs: rdflib {_runs(parsed, 'parses')}; "
                 f"import {_runs(imported, 'imports')}; removal {_runs(imported, 'removals')}.")
    notes: list[str] = []
    lines += ["", "| **full build** | stigraph time | pyoxigraph time | ratio | stigraph peak RSS | pyoxigraph peak RSS | ratio |",
              "|---|---:|---:|---:|---:|---:|---:|"]
    for size in SIZES[:1] if args.quick else SIZES:
        say(f"{size:,}: generating")
        data = cached(size)
        # The target size is run three times, alternating, and the medians compared: one run of either
        # varies by ±15% on this machine. Larger sizes once each.
        raws, fulls = [], []
        for attempt in range(REPEATS if size == SIZES[0] else 1):
            say(f"{size:,}: raw pyoxigraph ({attempt + 1})")
            raws.append(run_case("store_raw_load", size, data, work, args.timeout))
            say(f"{size:,}: stigraph full build ({attempt + 1})")
            fulls.append(run_case("store_full_build", size, data, work, args.timeout))
        raw, full = _median_case(raws), _median_case(fulls)
        quads = full.get("quads") or raw.get("quads") or size
        lines.append(f"| {quads:,} quads | {_s(full, 'load')} | {_s(raw, 'load')} | {_ratio(full.get('load'), raw.get('load'))} "
                     f"| {_mb(full)} | {_mb(raw)} | {_ratio(full.get('peak_rss'), raw.get('peak_rss'))} |")
        if len(raws) > 1:
            notes.append(f"{quads:,} quads, medians of {len(raws)} alternating runs: pyoxigraph {_runs_of(raws)}; "
                         f"stigraph {_runs_of(fulls)}.")
    lines += ["", *notes] if notes else []
    load = os.getloadavg()[0]
    lines += ["", f"Targets: full build within 1.3× of raw pyoxigraph at 1M; peak RSS within 1.3× at 10M. "
              f"Load average at the end: {load:.2f} (2 cores; other processes make times noisy)."]
    text = "\n".join(lines)
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"store-{time.strftime('%Y%m%d-%H%M')}.md"
    out.write_text(text + "\n", encoding="utf-8")
    say(f"saved {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
