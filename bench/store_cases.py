"""Cases of the store benchmark (`python -m bench.store`): incremental import and removal against plain
rdflib parsing the same file, and full builds against raw pyoxigraph bulk loads (time and peak RSS).

Each case runs in a fresh process (bench/run.py's `run_case`), so peak RSS is the case's own.
"""
from __future__ import annotations

import shutil
import statistics
import time
from pathlib import Path

from bench.cases import BENCH_REGISTRY, build_synthetic, peak_rss_mb


def triples_file(size: int, folder: Path) -> Path:
    """About `size` distinct triples of stigraph's shapes as N-Triples (the synthetic N-Quads without graphs)."""
    from bench.synthetic import cached

    path = folder / f"synthetic-{size}.nt"
    if not path.exists():
        seen: dict[str, None] = {}
        with open(cached(size), encoding="utf-8") as handle:
            for line in handle:
                head, _, _ = line.rstrip(" .\n").rpartition(" ")
                seen[head + " .\n"] = None
        tmp = path.with_suffix(".tmp")
        tmp.write_text("".join(seen), encoding="utf-8")
        tmp.replace(path)
    return path


REPEATS = 3
"""Each side of the import comparison is timed this many times in its process; the median is reported (a
1.5-second step varies by ±0.2 s from run to run on this machine)."""


def case_import(data: Path, work: Path, size: int) -> dict:
    """Import `data` (N-Triples) into a built store, then remove it again: the incremental update path."""
    from stigraph.builder.operations import build, import_files, remove_inputs

    store = work / "store-import"
    shutil.rmtree(store, ignore_errors=True)
    build(store, registry=[BENCH_REGISTRY], include_derived=False)
    imports, removals = [], []
    for _ in range(REPEATS):
        started = time.perf_counter()
        added = import_files([data], store)
        imports.append(time.perf_counter() - started)
        started = time.perf_counter()
        remove_inputs(added.added, store)
        removals.append(time.perf_counter() - started)
    shutil.rmtree(store, ignore_errors=True)
    return {"import": statistics.median(imports), "remove": statistics.median(removals), "imports": imports,
            "removals": removals, "quads_after_import": added.build.quads, "peak_rss": peak_rss_mb()}


def case_rdflib_parse(data: Path, work: Path, size: int) -> dict:
    """Plain rdflib parsing the same N-Triples file into an in-memory Graph."""
    from rdflib import Graph

    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        graph = Graph()
        graph.parse(str(data), format="nt")
        times.append(time.perf_counter() - started)
        triples = len(graph)
        del graph
    return {"parse": statistics.median(times), "parses": times, "triples": triples, "peak_rss": peak_rss_mb()}


def case_raw_load(data: Path, work: Path, size: int) -> dict:
    """Raw pyoxigraph: bulk-load the N-Quads into a fresh on-disk store (the engine's own limit)."""
    import pyoxigraph as ox

    store_dir = work / f"raw-{size}"
    shutil.rmtree(store_dir, ignore_errors=True)
    started = time.perf_counter()
    store = ox.Store(str(store_dir))
    store.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
    store.flush()
    seconds = time.perf_counter() - started
    quads = len(store)
    del store
    shutil.rmtree(store_dir, ignore_errors=True)
    return {"load": seconds, "quads": quads, "peak_rss": peak_rss_mb()}


def case_full_build(data: Path, work: Path, size: int) -> dict:
    """stigraph's full build of the same N-Quads (with the ontology and the bench registry), validated on disk."""
    store_dir = work / f"full-{size}"
    shutil.rmtree(store_dir, ignore_errors=True)
    started = time.perf_counter()
    summary = build_synthetic(store_dir, data)
    seconds = time.perf_counter() - started
    shutil.rmtree(store_dir, ignore_errors=True)
    return {"load": seconds, "quads": summary.quads, "peak_rss": peak_rss_mb()}


STORE_CASES = {"store_import": case_import, "store_rdflib_parse": case_rdflib_parse,
               "store_raw_load": case_raw_load, "store_full_build": case_full_build}
