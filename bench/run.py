"""stigraph's performance benchmark: synthetic graphs at 10k/100k/1M quads, each case in a fresh process.

Side by side on the same data: stigraph's build and API, plain rdflib (in-memory Dataset, rdflib's
parser and SPARQL engine: what a user of rdflib or kglab gets) and raw pyoxigraph (the engine's own
bulk load and query: the practical limit). Prints one table with ratios and saves it with the raw
numbers under bench/results/.

    python -m bench.run            # 10k, 100k and 1M (about 6-7 minutes on 2 cores)
    python -m bench.run --quick    # 10k and 100k only, for development
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
MARK = "BENCH-RESULT "
SIZES = (10_000, 100_000, 1_000_000)
QUICK_SIZES = (10_000, 100_000)
COLUMNS = ("stigraph", "rdflib", "pyoxigraph")  # the three the issue compares
TARGETS = {  # checked at 1M quads (the largest size in a --quick run is reported, not checked)
    "load_vs_rdflib": 4.0, "load_vs_pyoxigraph": 1.5, "query_vs_rdflib": 10.0, "projection_vs_scan": 1.3,
    "peak_rss_mb": 2048, "bundled_s": 2.0, "extract_s": 1.0, "view_s": 1.0,
}


def run_case(name: str, size: int, data: Path | None, work: Path, timeout: float) -> dict:
    """Run one case in a fresh Python process; {"na": reason} if it fails or times out."""
    command = [sys.executable, "-m", "bench.run", "--case", name, "--size", str(size), "--work", str(work)]
    if data:
        command += ["--data", str(data)]
    cache = work / "xdg-cache"  # empty for every case: no validation result carried over between cases
    shutil.rmtree(cache, ignore_errors=True)
    env = dict(os.environ, XDG_CACHE_HOME=str(cache))
    started = time.perf_counter()
    try:
        done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return {"na": f"timeout > {timeout:.0f} s"}
    wall = time.perf_counter() - started
    for line in done.stdout.splitlines():
        if line.startswith(MARK):
            result = json.loads(line[len(MARK):])
            result["wall"] = wall
            return result
    last = (done.stderr.strip().splitlines() or ["no output"])[-1]
    return {"na": f"exit {done.returncode}: {last[:150]}"}


def child(args: argparse.Namespace) -> int:
    from bench.cases import CASES
    from bench.store_cases import STORE_CASES

    result = {**CASES, **STORE_CASES}[args.case](Path(args.data) if args.data else None, Path(args.work), args.size)
    # On a shared machine wall times depend on what else runs: keep the CPU time and the load with them.
    result["cpu"] = time.process_time()
    result["loadavg"] = os.getloadavg()[0]
    print(MARK + json.dumps(result, default=str), flush=True)
    return 0


# -- formatting ----------------------------------------------------------------------------

def _geomean(values: list[float]) -> float:
    import math

    return math.exp(sum(math.log(max(v, 1e-9)) for v in values) / len(values)) if values else float("nan")


def query_summary(queries: dict, stat: str, names: list[str]) -> tuple[float, bool]:
    """Geometric mean of a latency statistic over `names`; True when a timeout makes it a lower bound."""
    values, lower = [], False
    for name in names:
        q = queries.get(name, {})
        if "timeout" in q:
            values.append(q["timeout"])
            lower = True
        elif stat in q:
            values.append(q[stat])
    return _geomean(values), lower


def _s(x: float | None, lower: bool = False) -> str:
    if x is None or x != x:
        return "n/a"
    prefix = ">" if lower else ""
    if x < 0.001:
        return f"{prefix}{x * 1e6:.0f} µs"
    if x < 1:
        return f"{prefix}{x * 1000:.1f} ms"
    return f"{prefix}{x:.2f} s"


def _ratio(a: float | None, b: float | None, lower: bool = False) -> str:
    if not a or not b or a != a or b != b:  # missing or NaN (no query answered)
        return "n/a"
    return (">" if lower else "") + f"{a / b:.1f}×"


def _na(result: dict) -> str:
    return f"n/a ({result['na']})"


def _common_queries(results: dict) -> list[str]:
    """The bench's competency queries that every engine answered (or timed out on): the headline set."""
    names = None
    for engine in COLUMNS:
        if "queries" not in results.get(engine, {}):
            continue  # a failed case leaves the others comparable
        queries = results[engine]["queries"]
        ok = {n for n, q in queries.items() if n.startswith("bench/") and ("p50" in q or "timeout" in q)}
        names = ok if names is None else names & ok
    return sorted(names or [])


def size_table(size: int, results: dict) -> list[str]:
    """Rows of the main table for one size."""
    st, rd, ox = (results.get(e, {}) for e in COLUMNS)
    quads, triples = st.get("quads"), st.get("triples") or 0
    head = f"**{size // 1000:,}k**" + (f" ({quads:,} quads, {triples:,} triples)" if quads else "")
    rows = [f"| {head} | stigraph | rdflib | pyoxigraph | rdflib ÷ stigraph | stigraph ÷ pyoxigraph |",
            "|---|---:|---:|---:|---:|---:|"]

    def line(label: str, key: str, ox_key: str | None = None, rd_text: str | None = None) -> str:
        ox_key = ox_key or key
        return (f"| {label} | {_cell(st, key)} | {rd_text or _cell(rd, key)} | {_cell(ox, ox_key)} | "
                f"{_ratio(rd.get(key), st.get(key))} | {_ratio(st.get(key), ox.get(ox_key))} |")

    rows.append(line("build / load", "load"))
    rows.append(f"| peak RSS | {_mb(st)} | {_mb(rd)} | {_mb(ox)} | | |")
    rows.append(f"| CPU time of the whole case | {_cpu(st)} | {_cpu(rd)} | {_cpu(ox)} | | |")
    rows.append(f"| machine load average at case end | {_load(st)} | {_load(rd)} | {_load(ox)} | | |")
    names = _common_queries(results)
    for stat in ("p50", "p95"):
        vals = {e: query_summary(results.get(e, {}).get("queries", {}), stat, names) for e in COLUMNS}
        speed = _ratio(vals["rdflib"][0], vals["stigraph"][0], vals["rdflib"][1])
        overhead = _ratio(vals["stigraph"][0], vals["pyoxigraph"][0])
        cells = " | ".join(_s(*vals[e]) if names and "na" not in results.get(e, {}) else "n/a" for e in COLUMNS)
        rows.append(f"| competency queries {stat} (geomean of {len(names)}) | {cells} | {speed} | {overhead} |")
    rd_proj = None if "projection" in rd else (f">{rd['projection_timeout']:.0f} s" if "projection_timeout" in rd else None)
    rows.append(line("RDF → networkx (pyoxigraph: full scan)", "projection", "scan", rd_proj))
    an = results.get("analysis", {})
    if "na" in an:
        rows.append(f"| deps, overlaps | {_na(an)} | | | | |")
    else:
        deps = an.get("deps", {})
        deps_text = _na(deps) if "na" in deps else (f"up {_s(deps.get('up'))}, down {_s(deps.get('down'))} "
                                                    f"({deps.get('reached_down')} reached)")
        ov = an.get("overlaps", {})
        ov_text = _na(ov) if "na" in ov else f"{_s(ov.get('seconds'))} ({ov.get('found')} pairs)"
        rows.append(f"| deps (a project up, JST down) | {deps_text} | | | | |")
        rows.append(f"| overlaps (whole graph) | {ov_text} | | | | |")
    return rows


def _cell(result: dict, key: str) -> str:
    if "na" in result:
        return _na(result)
    return _s(result.get(key))


def _cpu(r: dict) -> str:
    return f"{r['cpu']:.1f} s" if "cpu" in r else "n/a"


def _load(r: dict) -> str:
    return f"{r['loadavg']:.1f}" if "loadavg" in r else "n/a"


def _mb(r: dict) -> str:
    return f"{r['peak_rss']:,.0f} MB" if "peak_rss" in r else "n/a"


def query_table(size: int, results: dict) -> list[str]:
    rows = [f"| query ({size // 1000:,}k) | rows | stigraph p50 / p95 | rdflib p50 | pyoxigraph p50 | "
            "rdflib ÷ stigraph | stigraph ÷ pyoxigraph |", "|---|---:|---:|---:|---:|---:|---:|"]
    st, rd, ox = (results.get(e, {}).get("queries", {}) for e in COLUMNS)
    for name in sorted(set(st) | set(rd) | set(ox)):
        s, r, o = st.get(name, {}), rd.get(name, {}), ox.get(name, {})
        counts = {x.get("rows") for x in (s, r, o) if "rows" in x}
        rows_text = "/".join(str(x.get("rows", "-")) for x in (s, r, o)) if len(counts) > 1 else str(next(iter(counts), "-"))
        r50 = f">{r['timeout']:.0f} s" if "timeout" in r else (_na(r) if "na" in r else ("-" if not r else _s(r.get("p50"))))
        rows.append(f"| {name} | {rows_text} | {_q(s)} | {r50} | {_q(o, False)} | "
                    f"{_ratio(r.get('p50') or r.get('timeout'), s.get('p50'), 'timeout' in r)} | "
                    f"{_ratio(s.get('p50'), o.get('p50'))} |")
    return rows


def _q(q: dict, both: bool = True) -> str:
    if not q:
        return "-"
    if "na" in q:
        return _na(q)
    if "timeout" in q:
        return f">{q['timeout']:.0f} s"
    return f"{_s(q.get('p50'))} / {_s(q.get('p95'))}" if both else _s(q.get("p50"))


def feature_table(features: dict) -> list[str]:
    rows = ["| one-off case | time (CPU) | target | detail |", "|---|---:|---:|---|"]
    view, ext, bundled = features.get("view", {}), features.get("extract", {}), features.get("bundled", {})

    def cell(result: dict, detail: str) -> str:
        if "na" in result:
            return f"{_na(result)} | "
        cpu = f" ({_s(result['cpu_s'])})" if "cpu_s" in result else ""
        return f"{_s(result.get('seconds'))}{cpu} | "

    view_detail = "" if "na" in view else f"{view.get('edges')} edges, {view.get('html_mb', 0):.1f} MB of HTML"
    ext_detail = "" if "na" in ext else (f"{ext.get('measures')} measures, {ext.get('budgets')} budget lines, "
                                         f"{ext.get('mentions')} mentioned entities. {ext.get('note', '')}").strip()
    bundled_detail = "" if "na" in bundled else f"{bundled.get('triples', 0):,} triples"
    rows.append(f"| view generation ({view.get('nodes', 2000):,} nodes) | {cell(view, view_detail)}≤ 1 s | {view_detail} |")
    rows.append(f"| extraction of the 920 KB strategy text | {cell(ext, ext_detail)}≤ 1 s | {ext_detail} |")
    rows.append(f"| full build of the bundled graph | {cell(bundled, bundled_detail)}≤ 2 s | {bundled_detail} |")
    return rows


def target_table(results: dict, features: dict) -> list[str]:
    """Each target of the issue, checked at 1M quads (the one-off cases at their own size)."""
    if 1_000_000 not in results:
        return ["(the targets are checked at 1M quads: run without --quick)"]
    r = results[1_000_000]
    st, rd, ox = r.get("stigraph", {}), r.get("rdflib", {}), r.get("pyoxigraph", {})
    names = _common_queries(r)
    rd_q, _ = query_summary(rd.get("queries", {}), "p50", names)

    def ratio(a, b):
        return a / b if a and b else None

    st_q, _ = query_summary(st.get("queries", {}), "p50", names) if "queries" in st else (None, False)
    checks = [
        ("load ≥ 4× faster than rdflib", ratio(rd.get("load"), st.get("load")), ">=", TARGETS["load_vs_rdflib"], "×"),
        ("load within 1.5× of pyoxigraph", ratio(st.get("load"), ox.get("load")), "<=", TARGETS["load_vs_pyoxigraph"], "×"),
        ("queries p50 ≥ 10× faster than rdflib", ratio(rd_q, st_q), ">=", TARGETS["query_vs_rdflib"], "×"),
        ("projection within 1.3× of a raw scan", ratio(st.get("projection"), ox.get("scan")), "<=",
         TARGETS["projection_vs_scan"], "×"),
        ("peak RSS ≤ 2 GB", st.get("peak_rss"), "<=", TARGETS["peak_rss_mb"], " MB"),
        ("bundled graph build ≤ 2 s", features.get("bundled", {}).get("seconds"), "<=", TARGETS["bundled_s"], " s"),
        ("strategy extraction ≤ 1 s", features.get("extract", {}).get("seconds"), "<=", TARGETS["extract_s"], " s"),
        ("2,000-node view ≤ 1 s", features.get("view", {}).get("seconds"), "<=", TARGETS["view_s"], " s"),
    ]

    def cell(value, op, limit, unit) -> str:
        if value is None:
            return "n/a | –"
        ok = value >= limit if op == ">=" else value <= limit
        return f"{value:,.2f}{unit} | {'yes' if ok else 'NO'}"

    rows = ["| target (1M quads) | stigraph | met |", "|---|---:|---|"]
    for label, value, op, limit, unit in checks:
        rows.append(f"| {label} | {cell(value, op, limit, unit)} |")
    return rows


def report(results: dict, features: dict, meta: dict) -> str:
    lines = [f"stigraph benchmark — {meta['date']} — {meta['machine']} — command: `{meta['command']}` "
             f"— total {meta['total_s']:.0f} s", ""]
    for size in sorted(results):
        lines += size_table(size, results[size]) + [""]
    lines += feature_table(features) + [""]
    lines += target_table(results, features) + [""]
    for size in sorted(results):
        lines += query_table(size, results[size]) + [""]
    lines.append("Ratios: rdflib ÷ stigraph = how many times faster stigraph is than plain rdflib; "
                 "stigraph ÷ pyoxigraph = stigraph's overhead over the raw engine (1.0× = none). "
                 "Query latencies are geometric means over the queries every engine answered; "
                 "'>' marks a lower bound (an rdflib call stopped at its timeout).")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10k and 100k only (development)")
    parser.add_argument("--sizes", help="comma-separated quad counts, e.g. 10000,100000")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--data-dir", default=os.environ.get("STIGRAPH_BENCH_DIR", "/tmp/stigraph-bench"),
                        help="where generated data and stores go (not the repository)")
    parser.add_argument("--timeout", type=float, default=420, help="seconds allowed for one case")
    parser.add_argument("--no-save", action="store_true", help="print only; do not write bench/results/")
    parser.add_argument("--report", metavar="JSON", help="print the tables of a saved run again (no measuring)")
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.case:
        return child(args)
    if args.report:
        saved = json.loads(Path(args.report).read_text(encoding="utf-8"))
        print(report({int(k): v for k, v in saved["results"].items()}, saved["features"], saved["meta"]), end="")
        return 0
    from bench.synthetic import cached

    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else list(QUICK_SIZES if args.quick else SIZES)
    work = Path(args.data_dir)
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    results: dict[int, dict] = {}

    def say(text: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f} s] {text}", file=sys.stderr, flush=True)

    for size in sizes:
        say(f"generating {size:,} synthetic quads (seed {args.seed})")
        data = cached(size, args.seed, work)
        _clean(work, size)  # nothing left from an earlier run may stand in for a failed case
        results[size] = {}
        for case in ("pyoxigraph", "stigraph", "rdflib", "analysis"):
            say(f"{size:,}: {case}")
            results[size][case] = run_case(case, size, data, work, args.timeout)
    features = {}
    view_size = max(s for s in sizes if s <= 100_000) if any(s <= 100_000 for s in sizes) else sizes[0]
    for case, size in (("view", view_size), ("extract", 0), ("bundled", 0)):
        say(case)
        features[case] = run_case(case, size, None, work, args.timeout)
    total = time.perf_counter() - started
    command = "python -m bench.run" + (" --quick" if args.quick else "") + (f" --sizes {args.sizes}" if args.sizes else "")
    meta = {"date": time.strftime("%Y-%m-%d %H:%M"), "total_s": total, "command": command,
            "machine": f"{os.cpu_count()} cores, Python {platform.python_version()}, {_versions()}"}
    text = report(results, features, meta)
    print(text)
    if not args.no_save:
        RESULTS.mkdir(exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M") + ("-quick" if args.quick else "")
        (RESULTS / f"{stamp}.md").write_text(text, encoding="utf-8")
        (RESULTS / f"{stamp}.json").write_text(json.dumps({"meta": meta, "results": results, "features": features},
                                                          indent=1, default=str), encoding="utf-8")
        say(f"saved bench/results/{stamp}.md and .json")
    for size in sizes:
        _clean(work, size)
    return 0


def _clean(work: Path, size: int) -> None:
    shutil.rmtree(work / f"stigraph-{size}", ignore_errors=True)
    (work / f"projection-{size}.pickle").unlink(missing_ok=True)


def _versions() -> str:
    from importlib.metadata import version

    return ", ".join(f"{name} {version(name)}" for name in ("pyoxigraph", "rdflib", "networkx"))


if __name__ == "__main__":
    raise SystemExit(main())
