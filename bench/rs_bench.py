"""Import 1 and 10 sheet years of RS-layout review sheets at real size: stigraph vs raw pyoxigraph vs rdflib.

Each case runs in a fresh Python process (its peak RSS is the process's own, read with wait4):

| case        | what runs                                                                                    |
|-------------|----------------------------------------------------------------------------------------------|
| stigraph    | what a user runs: `build` (ontology + registry, no derived findings), then one `import` of   |
|             | every sheet year's ZIPs (one input per year; read, checkpoint, bulk load, SHACL check, swap)  |
| nquads      | the same parts written to N-Quads files (also the input of the two cases below)               |
| pyoxigraph  | `Store(dir).bulk_load(path=file)` for the same files, one call per sheet year; `optimize()`   |
| rdflib      | `Dataset().parse(file, format="nquads")` for the same files (capped by `--rdflib-cap-gb` and  |
|             | `--timeout`; a cap reached shows as "did not finish")                                         |
| queries     | the compacted stigraph store, read-only: `rs-top-payees-of-ministry ministry=mext` (all years),|
|             | `rs-payments-to payee=jst fiscal_year=<last reviewed year>`, `rs-ministry-totals`; first run   |
|             | and median of three                                                                          |

    python bench/rs_bench.py                       # generate (if missing) and run 1 and 10 sheet years
    python bench/rs_bench.py --years 1             # one sheet year only
    python bench/rs_bench.py --skip-rdflib --work /tmp/rs-bench

Prints a Markdown table and saves it with the raw numbers in bench/results/rs-<date>.md / .json.
The machine is shared: wall times move with the load average, which each case reports.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
MARK = "RS-BENCH "
FIRST_YEAR = 2016
TARGETS = {"ten_years_s": 600, "rss_vs_pyoxigraph": 1.3, "top_payees_s": 2.0}


# -- cases (each runs in its own process) -----------------------------------------------------------

def case_stigraph(data: Path, years: list[int], work: Path) -> dict:
    """What a user runs: `stigraph build --no-derived`, then one `stigraph import` of every sheet year's ZIPs
    (each year one input: read, then one checkpoint, bulk load, SHACL check of the change, swap)."""
    from stigraph.builder.operations import build, import_files
    from stigraph.store import generations as gens

    started = time.perf_counter()
    store_dir = work / "store-stigraph"
    shutil.rmtree(store_dir, ignore_errors=True)
    build(store_dir, include_derived=False)
    summary = import_files(sorted(path for year in years for path in (data / str(year)).glob("*.zip")), store_dir)
    seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 1), "quads": len(gens.open_read_only(store_dir)), "added": summary.added,
            "notes": summary.notes[:5]}


def _compaction_seconds(store) -> float:
    """Compact the store as stigraph does after a full build (`optimize`); the seconds it took."""
    started = time.perf_counter()
    store.optimize()
    store.flush()
    return round(time.perf_counter() - started, 1)


def _own_peak_rss_kb() -> int:
    """This process's peak RSS since its exec (VmHWM): ru_maxrss of a spawned child starts at its parent's."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def case_nquads(data: Path, years: list[int], work: Path) -> dict:
    from stigraph.loaders.datasets import dataset_parts

    from stigraph.builder.inputs import collect_quads

    started = time.perf_counter()
    registry = work / "registry.nq"
    registry.write_bytes(b"".join(collect_quads(include_derived=False)))
    files, quads, reports = [str(registry)], 0, []
    for part in dataset_parts([data / str(y) for y in years]):
        path = work / f"{part.name.replace('/', '-')}.nq"
        with open(path, "w", encoding="utf-8", buffering=1 << 20) as handle:
            report = part.write(handle.write)
        files.append(str(path))
        quads += report.quads
        reports.append(report.lines(limit=3)[0])
    return {"seconds": round(time.perf_counter() - started, 1), "quads": quads, "files": files,
            "bytes": sum(Path(f).stat().st_size for f in files), "reports": reports}


def case_pyoxigraph(files: list[str], work: Path) -> dict:
    import pyoxigraph as ox

    store_dir = work / "store-pyoxigraph"
    shutil.rmtree(store_dir, ignore_errors=True)
    started = time.perf_counter()
    store = ox.Store(str(store_dir))
    for path in files:
        store.bulk_load(path=path, format=ox.RdfFormat.N_QUADS)
    store.flush()
    seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 1), "compaction_s": _compaction_seconds(store), "quads": len(store)}


def case_rdflib(files: list[str], cap_gb: float) -> dict:
    from rdflib import Dataset

    resource.setrlimit(resource.RLIMIT_AS, (int(cap_gb * 2**30), int(cap_gb * 2**30)))
    started = time.perf_counter()
    dataset = Dataset()
    try:
        for path in files:
            dataset.parse(path, format="nquads")
    except MemoryError:
        return {"na": f"out of memory at the {cap_gb:g} GB cap after {time.perf_counter() - started:.0f} s"}
    return {"seconds": round(time.perf_counter() - started, 1), "quads": len(dataset)}


def case_queries(work: Path, last_year: int) -> dict:
    from stigraph.sparql.graph import StiGraph
    from stigraph.sparql.library import select_named
    from stigraph.store import generations as gens

    graph = StiGraph(gens.open_read_only(work / "store-stigraph"))
    cases = {"top payees of MEXT, all years": ("rs-top-payees-of-ministry", {"ministry": "mext"}),
             f"projects paying JST, FY{last_year - 1}": ("rs-payments-to", {"payee": "jst",
                                                                             "fiscal_year": str(last_year - 1)}),
             f"ministry totals, FY{last_year - 1} initial": ("rs-ministry-totals", {"fiscal_year": str(last_year - 1),
                                                                                    "kind": "initial"})}
    out = {}
    for label, (name, params) in cases.items():
        times, rows = [], 0
        for _ in range(4):
            started = time.perf_counter()
            rows = len(select_named(graph, name, params))
            times.append(time.perf_counter() - started)
        out[label] = {"first_s": round(times[0], 3), "median_s": round(statistics.median(times[1:]), 3), "rows": rows}
    return out


# -- driver -------------------------------------------------------------------------------------------

def run_case(args: list[str], timeout: float) -> dict:
    """One case in a fresh process; its result plus wall time, peak RSS (wait4) and load average."""
    command = [sys.executable, str(Path(__file__).resolve()), "--case", *args]
    started = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return {"na": f"stopped at the {timeout:.0f} s timeout"}
    result = next((json.loads(line[len(MARK):]) for line in out.splitlines() if line.startswith(MARK)), None)
    if result is None:
        last = (err.strip().splitlines() or ["no result"])[-1][:200]
        return {"na": "ran out of memory at the cap" if "MemoryError" in last else last}
    result["wall_s"] = round(time.perf_counter() - started, 1)
    result["load_average"] = round(os.getloadavg()[0], 1)
    return result


def _child_main(argv: list[str]) -> None:
    """Run one case in this process and print its result line with this process's peak RSS."""
    name, *rest = argv
    work = Path(rest[0])
    if name == "stigraph":
        result = case_stigraph(Path(rest[1]), [int(y) for y in rest[2].split(",")], work)
    elif name == "nquads":
        result = case_nquads(Path(rest[1]), [int(y) for y in rest[2].split(",")], work)
    elif name == "pyoxigraph":
        result = case_pyoxigraph(rest[1].split(","), work)
    elif name == "rdflib":
        result = case_rdflib(rest[1].split(","), float(rest[2]))
    elif name == "queries":
        result = case_queries(work, int(rest[1]))
    else:
        raise SystemExit(f"unknown case {name}")
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result["peak_rss_mb"] = round(_own_peak_rss_kb() / 1024)
    result["cpu_s"] = round(usage.ru_utime + usage.ru_stime, 1)
    print(MARK + json.dumps(result, ensure_ascii=False), flush=True)


def bench(years: int, data: Path, work: Path, skip_rdflib: bool, rdflib_cap: float, timeout: float) -> dict:
    chosen = list(range(FIRST_YEAR + 10 - years, FIRST_YEAR + 10))
    listing = ",".join(map(str, chosen))
    work.mkdir(parents=True, exist_ok=True)
    row: dict = {"sheet_years": years, "years": listing}
    row["stigraph"] = run_case(["stigraph", str(work), str(data), listing], timeout)
    row["nquads"] = run_case(["nquads", str(work), str(data), listing], timeout)
    files = ",".join(row["nquads"].get("files", []))
    row["pyoxigraph"] = run_case(["pyoxigraph", str(work), files], timeout) if files else {"na": "no files"}
    row["rdflib"] = ({"na": "skipped"} if skip_rdflib or not files
                     else run_case(["rdflib", str(work), files, str(rdflib_cap)], timeout))
    row["queries"] = run_case(["queries", str(work), str(chosen[-1])], timeout)
    for path in row["nquads"].get("files", []):
        Path(path).unlink(missing_ok=True)
    return row


def table(rows: list[dict]) -> str:
    """The Markdown result table, and the targets with whether each was met."""
    def cell(case: dict, key: str = "seconds", unit: str = " s") -> str:
        return f"n/a ({case['na']})" if "na" in case else f"{case.get(key)}{unit}"

    def query(q: dict, index: int) -> str:
        found = [v for v in q.values() if isinstance(v, dict)] if "na" not in q else []
        return f"{found[index]['first_s']} / {found[index]['median_s']} s" if len(found) > index else "n/a"

    lines = ["| sheet years | quads | stigraph build + import | its peak RSS | raw pyoxigraph load "
             "(+ compaction) | its peak RSS | RSS ratio | rdflib load | its peak RSS | top payees of MEXT, all years "
             "(first / median) | projects paying JST, one FY | ministry totals, one FY | load avg |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    checks = []
    for row in rows:
        st, ox_, rd, q = row["stigraph"], row["pyoxigraph"], row["rdflib"], row["queries"]
        ratio = None
        if "na" not in st and "na" not in ox_:
            ratio = st["peak_rss_mb"] / ox_["peak_rss_mb"]
        lines.append(
            f"| {row['sheet_years']} | {st.get('quads', 'n/a'):,} | {cell(st)} | {st.get('peak_rss_mb', '?')} MB "
            f"| {cell(ox_)} (+ {ox_.get('compaction_s', '?')} s) | {ox_.get('peak_rss_mb', 'n/a')} MB "
            f"| {f'{ratio:.2f}' if ratio else 'n/a'} | {cell(rd)} | {rd.get('peak_rss_mb', 'n/a')} MB "
            f"| {query(q, 0)} | {query(q, 1)} | {query(q, 2)} | {st.get('load_average', '?')} |")
        if row["sheet_years"] == 10:
            top = [v for v in q.values() if isinstance(v, dict)] if "na" not in q else []
            checks += [("10 sheet years import <= 600 s", st.get("seconds"), TARGETS["ten_years_s"]),
                       ("peak RSS <= 1.3x raw pyoxigraph", round(ratio, 2) if ratio else None,
                        TARGETS["rss_vs_pyoxigraph"]),
                       ("top payees of MEXT over 10 years < 2 s (median)", top[0]["median_s"] if top else None,
                        TARGETS["top_payees_s"])]
    if checks:
        lines += ["", "| target | measured | met |", "|---|---:|---|"]
        lines += [f"| {name} | {value if value is not None else 'n/a'} | "
                  f"{'yes' if value is not None and value <= limit else 'NO'} |" for name, value, limit in checks]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--case":
        _child_main(argv[1:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("STIGRAPH_BENCH_DIR", "/tmp/stigraph-rs-bench")))
    parser.add_argument("--years", default="1,10", help="how many sheet years per run (default 1,10)")
    parser.add_argument("--projects", type=int, default=5500)
    parser.add_argument("--skip-rdflib", action="store_true")
    parser.add_argument("--rdflib-cap-gb", type=float, default=12.0)
    parser.add_argument("--timeout", type=float, default=3600)
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args(argv)
    data = args.work / "data"
    missing = [y for y in range(FIRST_YEAR, FIRST_YEAR + 10) if not (data / str(y)).is_dir()]
    if missing:
        from bench.rs_generate import main as generate

        generate([str(data), "--years", f"{FIRST_YEAR}-{FIRST_YEAR + 9}", "--projects", str(args.projects)])
    rows = []
    for count in (int(n) for n in args.years.split(",")):
        print(f"running {count} sheet year(s) ...", file=sys.stderr)
        rows.append(bench(count, data, args.work / f"run-{count}", args.skip_rdflib, args.rdflib_cap_gb, args.timeout))
        print(json.dumps(rows[-1], ensure_ascii=False), file=sys.stderr)
    text = table(rows)
    print(text)
    if not args.no_save:
        RESULTS.mkdir(exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M")
        (RESULTS / f"rs-{stamp}.md").write_text(text + "\n", encoding="utf-8")
        (RESULTS / f"rs-{stamp}.json").write_text(json.dumps({"targets": TARGETS, "rows": rows}, indent=1,
                                                             ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
