"""The measured cases of `bench/run.py`. Each runs in a fresh process and returns a dict of numbers.

Parts written by other developers (analyses, views, extraction, the bundled registry) are imported
lazily: when one is missing or fails, its entry is `{"na": "reason"}` and the rest still runs.
"""
from __future__ import annotations

import gc
import math
import resource
import shutil
import signal
import statistics
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH_QUERIES = Path(__file__).resolve().parent / "queries"
FIXTURE_REGISTRY = REPO / "tests" / "fixtures" / "registry_small"
BENCH_REGISTRY = Path(__file__).resolve().parent / "registry"  # themes only, identical to the synthetic ones
STRATEGY_TEXT = Path("/work/shared/seeds/003_1fe72c798f52d037.txt")
VIEW_NODES = 2000
# Entities of the synthetic graph that exist at every size, used to bind library query parameters.
SYNTHETIC_IDS = {"agency": "jst", "organization": "jst", "org": "jst", "funder": "jst", "unit": "jst-unit-1",
                 "ministry": "mext", "council": "csti", "program": "prog-1", "fund": "fund-1",
                 "policy": "strategy-2025", "strategy": "strategy-2025", "plan": "plan-6", "start": "prog-1",
                 "theme": "ai"}


class Timeout(Exception):
    pass


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn: Callable, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    value = fn(*args, **kwargs)
    return time.perf_counter() - started, value


def timed_cpu(fn: Callable, *args) -> tuple[float, float, object]:
    """(wall seconds, CPU seconds of this process, value)."""
    cpu = time.process_time()
    wall, value = timed(fn, *args)
    return wall, time.process_time() - cpu, value


def with_deadline(seconds: float, fn: Callable, *args):
    """Run fn, raising Timeout after `seconds` (works for pure-Python code such as rdflib's engine)."""
    def alarm(_signum, _frame):
        raise Timeout()

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return fn(*args)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def na(exc: BaseException | str) -> dict:
    text = exc if isinstance(exc, str) else f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}"
    return {"na": text[:160]}


# -- competency queries --------------------------------------------------------------------

def competency_queries() -> list[tuple[str, str]]:
    """(name, query text): the bench's five, plus the library's (stigraph/sparql/queries/*.rq) when present.

    Library queries get their first `# example:` parameters, with entity values the synthetic graph
    lacks replaced by synthetic ids of the same role; every engine receives the same string.
    """
    queries = [(f"bench/{p.stem}", p.read_text(encoding="utf-8")) for p in sorted(BENCH_QUERIES.glob("*.rq"))]
    try:
        from stigraph.sparql import library as querylib
        library = querylib.list_queries()
    except Exception:  # the library is optional for the benchmark
        return queries
    from bench.synthetic import AGENCIES, COUNCILS, MINISTRIES, THEMES

    known = {i[0] for i in AGENCIES + MINISTRIES + COUNCILS} | {t[0] for t in THEMES}
    for query in library:
        params = query.example_params()[0] if query.examples else {}
        bound = {}
        for name, values in params.items():
            param = query.parameter(name)
            if param.kind == "entity":
                values = [v if v in known else SYNTHETIC_IDS.get(name, "prog-1") for v in values]
            bound[name] = values
        try:
            queries.append((f"lib/{query.name}", querylib.bind(query, bound)))
        except Exception:
            continue
    return queries


def _run_queries(run: Callable[[str], int], settings: dict, include_library: bool = True) -> dict:
    """Latency per query: one warm-up, then up to `reps` runs within `budget` seconds per query.

    settings: {"bench": (budget, reps, per_call), "lib": (...)}; the bench's five questions run on
    every engine, the library's queries only where `include_library` (rdflib would not fit the time).
    """
    out = {}
    for name, text in competency_queries():
        kind = name.split("/")[0]
        if kind == "lib" and not include_library:
            continue
        budget, reps, per_call = settings[kind]
        try:
            first, rows = timed(with_deadline, per_call, run, text)
        except Timeout:
            out[name] = {"timeout": per_call}
            continue
        except Exception as exc:
            out[name] = na(exc)
            continue
        times = []
        spent = first
        while len(times) < reps and spent + first < budget:
            try:
                t, rows = timed(with_deadline, per_call, run, text)
            except Timeout:
                break
            times.append(t)
            spent += t
        if not times:
            times = [first]  # too slow to repeat within the budget: the warm-up run is the measurement
        times.sort()
        out[name] = {"rows": rows, "runs": len(times), "p50": statistics.median(times),
                     "p95": times[min(len(times) - 1, math.ceil(0.95 * len(times)) - 1)]}
    return out


def _query_settings(size: int, engine: str) -> dict:
    """{"bench"|"lib": (budget seconds per query, repetitions, timeout per call)}."""
    big = size >= 500_000
    if engine == "rdflib":
        return {"bench": (10.0, 5, 20.0 if big else 60.0)}
    return {"bench": (5.0, 20, 60.0), "lib": (0.5 if big else 2.0, 3 if big else 10, 30.0)}


def _consume(result) -> int:
    """Rows of any pyoxigraph result, read to the end."""
    import pyoxigraph as ox

    if isinstance(result, ox.QueryBoolean):
        return int(bool(result))
    return sum(1 for _ in result)


# -- the three engines ---------------------------------------------------------------------

def case_pyoxigraph(data: Path, work: Path, size: int) -> dict:
    """The engine's own limit: bulk load into an on-disk store (timed), then compacted and reopened
    read-only for the queries on the union graph and a full scan of every quad."""
    import pyoxigraph as ox

    store_dir = work / "pyoxigraph"
    shutil.rmtree(store_dir, ignore_errors=True)
    started = time.perf_counter()
    store = ox.Store(str(store_dir))
    store.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
    store.flush()
    result = {"load": time.perf_counter() - started, "rss_after_load": peak_rss_mb()}
    # The engine at its best for reading: compacted and opened read-only, as stigraph's store is.
    result["optimize"], _ = timed(store.optimize)
    del store
    store = ox.Store.read_only(str(store_dir))

    def run(text: str) -> int:
        return _consume(store.query(text, use_default_graph_as_union=True))

    result["queries"] = _run_queries(run, _query_settings(size, "pyoxigraph"))

    def scan() -> int:
        n = 0
        for q in store:
            q.subject.value, q.predicate.value, q.object.value  # what any projection must read
            n += 1
        return n

    result["scan"], result["scan_quads"] = timed(scan)
    result["peak_rss"] = peak_rss_mb()
    del store
    shutil.rmtree(store_dir, ignore_errors=True)
    return result


def build_synthetic(store_dir: Path, data: Path):
    """A full build of the bench registry plus the synthetic N-Quads as one input; returns the BuildSummary."""
    from stigraph.builder import inputs
    from stigraph.builder.update import update

    # The synthetic data carries the bench registry's themes itself (graph registry/themes).
    specs = [inputs.ontology_input(), inputs.nquads_input("synthetic", "dataset", [data])]
    return update(store_dir, add=specs, full=True).build


def case_stigraph(data: Path, work: Path, size: int) -> dict:
    """stigraph's full build (bench registry + the synthetic N-Quads as one input), queries, projection.

    A full build (a fresh generation, every node checked against the shapes on disk).
    """
    import pyoxigraph as ox

    from stigraph.graph.projection import to_networkx
    from stigraph.sparql.graph import StiGraph
    from stigraph.sparql.run import python_value

    store_dir = work / f"stigraph-{size}"
    shutil.rmtree(store_dir, ignore_errors=True)
    started = time.perf_counter()
    summary = build_synthetic(store_dir, data)
    result = {"load": time.perf_counter() - started, "rss_after_load": peak_rss_mb(),
              "triples": summary.triples, "quads": summary.quads, "graphs": summary.graphs}
    gc.collect()
    graph = StiGraph.open(store_dir)

    def run(text: str) -> int:  # the API a user calls: rows as Python values for a SELECT
        result = graph.raw_query(text)
        if isinstance(result, ox.QuerySolutions):
            names = [v.value for v in result.variables]
            return len([{n: python_value(sol[n]) for n in names} for sol in result])
        return _consume(result)

    result["queries"] = _run_queries(run, _query_settings(size, "stigraph"))
    result["projection"], nxg = timed(to_networkx, graph)
    result["nodes"], result["edges"] = nxg.number_of_nodes(), nxg.number_of_edges()
    result["peak_rss"] = peak_rss_mb()
    _save_projection(nxg, work, size)
    return result  # the store and the projection stay for the analysis and view cases


def case_rdflib(data: Path, work: Path, size: int) -> dict:
    """Plain rdflib, what a user of rdflib or kglab gets: in-memory Dataset, rdflib's parser and engine."""
    from rdflib import Dataset

    started = time.perf_counter()
    dataset = Dataset(default_union=True)
    dataset.parse(str(data), format="nquads")
    result = {"load": time.perf_counter() - started, "rss_after_load": peak_rss_mb()}
    result["queries"] = _run_queries(lambda text: len(list(dataset.query(text))), _query_settings(size, "rdflib"),
                                     include_library=False)
    from rdflib.extras.external_graph_libs import rdflib_to_networkx_multidigraph

    try:
        result["projection"], nxg = timed(with_deadline, 180.0, rdflib_to_networkx_multidigraph,
                                                    dataset.triples((None, None, None)))
        result["nodes"], result["edges"] = nxg.number_of_nodes(), nxg.number_of_edges()
        del nxg
    except Timeout:
        result["projection_timeout"] = 180.0
    result["peak_rss"] = peak_rss_mb()
    return result


# -- stigraph features ---------------------------------------------------------------------

def _save_projection(nxg, work: Path, size: int) -> None:
    """Keep the projection for the analysis and view cases (they measure analyses, not projection)."""
    import pickle

    with open(work / f"projection-{size}.pickle", "wb") as handle:
        pickle.dump(nxg, handle, protocol=pickle.HIGHEST_PROTOCOL)


def _projection(work: Path, size: int):
    """The projection saved by the stigraph case, or a fresh one from its store."""
    import pickle

    saved = work / f"projection-{size}.pickle"
    if saved.exists():
        with open(saved, "rb") as handle:
            return pickle.load(handle)
    from stigraph.graph.projection import to_networkx

    return to_networkx(_open_built(work, size))


def _open_built(work: Path, size: int):
    from stigraph.sparql.graph import StiGraph

    if (work / f"stigraph-{size}" / "current").exists():
        return StiGraph.open(work / f"stigraph-{size}")
    raise FileNotFoundError(f"no stigraph store for size {size} (the stigraph cases did not finish)")


def case_analysis(data: Path, work: Path, size: int) -> dict:
    """deps (up from a project, down from an agency) and overlaps on the projection of the built graph."""
    result = {}
    nxg = _projection(work, size)
    try:
        from stigraph.graph.analysis.deps import deps
    except Exception as exc:
        result["deps"] = na(exc)
    else:
        try:
            up, res_up = timed(deps, nxg, "prog-1-1-1", "up")
            down, res_down = timed(deps, nxg, "jst", "down")
            result["deps"] = {"up": up, "down": down, "reached_up": len(res_up.reached()),
                              "reached_down": len(res_down.reached())}
        except Exception as exc:
            result["deps"] = na(exc)
    try:
        from stigraph.graph.analysis.overlaps import overlaps
    except Exception as exc:
        result["overlaps"] = na(exc)
    else:
        try:
            seconds, found = timed(with_deadline, 240.0, overlaps, nxg)
            result["overlaps"] = {"seconds": seconds, "found": len(found.overlaps)}
        except Timeout:
            result["overlaps"] = na("timeout > 240 s")
        except Exception as exc:
            result["overlaps"] = na(exc)
    result["peak_rss"] = peak_rss_mb()
    return result


def view_subgraph(nxg, size: int = VIEW_NODES):
    """The first `size` nodes reached breadth-first from MEXT (ignoring direction), deterministic."""
    import networkx as nx

    undirected = nxg.to_undirected(as_view=True)
    order = [n for n, _ in zip(nx.bfs_tree(undirected, "mext", sort_neighbors=sorted).nodes, range(size))]
    return nxg.subgraph(order).copy()


def case_view(data: Path, work: Path, size: int) -> dict:
    """Render an interactive page of 2,000 nodes taken from the built synthetic graph."""
    sub = view_subgraph(_projection(work, size))
    try:
        from stigraph.views.whole import network_view
    except Exception as exc:
        return na(exc)
    seconds, cpu, page = timed_cpu(network_view, sub, "bench")
    return {"seconds": seconds, "cpu_s": cpu, "nodes": page.nodes, "edges": page.edges, "html_mb": len(page.html) / 1e6,
            "peak_rss": peak_rss_mb()}


def case_extract(data: Path, work: Path, size: int) -> dict:
    """Extraction (budgets, measures, mentions) from the 920 KB strategy text."""
    if not STRATEGY_TEXT.exists():
        return na(f"{STRATEGY_TEXT} not found")
    try:
        from stigraph.extract import extract_file
    except Exception as exc:
        return na(exc)
    note = ""
    try:
        seconds, cpu, result = timed_cpu(extract_file, STRATEGY_TEXT, "all")
    except Exception as exc:  # the bundled registry (the gazetteer) may not load while curators work
        note = f"bundled registry failed ({type(exc).__name__}); fixture registry used"
        seconds, cpu, result = timed_cpu(extract_file, STRATEGY_TEXT, "all", FIXTURE_REGISTRY)
    return {"seconds": seconds, "cpu_s": cpu, "measures": len(result.measures), "budgets": len(result.budgets),
            "mentions": len(result.mentions), "note": note, "peak_rss": peak_rss_mb()}


def case_bundled(data: Path, work: Path, size: int) -> dict:
    """The full build of the bundled graph (ontology, registry, derived data) into a fresh store."""
    from stigraph.builder.operations import build

    store_dir = work / "bundled"
    shutil.rmtree(store_dir, ignore_errors=True)
    try:
        seconds, cpu, result = timed_cpu(build, store_dir)
        summary = result.build
    except Exception as exc:
        return na(exc)
    finally:
        shutil.rmtree(store_dir, ignore_errors=True)
    return {"seconds": seconds, "cpu_s": cpu, "triples": summary.triples, "peak_rss": peak_rss_mb()}


CASES = {"pyoxigraph": case_pyoxigraph, "stigraph": case_stigraph, "rdflib": case_rdflib,
         "analysis": case_analysis, "view": case_view, "extract": case_extract, "bundled": case_bundled}
