"""Benchmark: a 2,000-node view with stigraph's renderer vs pyvis's own add_node/add_edge path.

    python3 bench/bench_view.py            # 2,000 nodes (default), 3 runs each, best and median
    python3 bench/bench_view.py --nodes 5000 --runs 1
    python3 bench/bench_view.py --browser  # also: time from opening the page to its first drawing, in Chromium

The synthetic graph has the bundled graph's shape (ministries > agencies > units, programs
administered by agencies with themes and policy bases, measures with responsible ministries,
funds). Both sides get the same precomputed layout input sizes; pyvis is timed through
`Network.add_node`/`add_edge` (as its docs show) and `generate_html()`.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from stigraph.views.compose import network_view  # noqa: E402
from stigraph.views.encode import encode_network  # noqa: E402
from stigraph.views.layout import layout  # noqa: E402


def synthetic(nodes: int, seed: int = 1) -> nx.MultiDiGraph:
    """An STI-shaped MultiDiGraph with about `nodes` nodes and ~3 relations per node."""
    rnd = random.Random(seed)
    g = nx.MultiDiGraph()

    def add(prefix: str, cls: str, count: int) -> list[str]:
        ids = [f"{prefix}-{i}" for i in range(count)]
        for i, nid in enumerate(ids):
            g.add_node(nid, id=nid, label_ja=f"{cls}{i}の日本語名", label_en=f"{cls} {i}", alt_labels=f"{prefix.upper()}{i}",
                       sources=[f"000_seed.txt:{i + 1}"], **{"class": cls})
        return ids

    def rel(s: str, p: str, o: str) -> None:
        g.add_edge(s, o, key=p, predicate=p, source=f"000_seed.txt:{rnd.randint(1, 9999)}")

    ministries = add("ministry", "Ministry", 12)
    agencies = add("agency", "Agency", max(10, nodes // 50))
    units = add("unit", "Unit", max(10, nodes // 35))
    themes = add("theme", "Theme", 25)
    policies = add("policy", "Strategy", max(5, nodes // 70))
    funds = add("fund", "Fund", max(5, nodes // 60))
    rest = nodes - g.number_of_nodes()
    programs = add("program", "Program", rest * 2 // 3)
    measures = add("measure", "Measure", rest - len(programs))
    for a in agencies:
        rel(a, "underJurisdictionOf", rnd.choice(ministries))
    for u in units:
        rel(u, "subOrganizationOf", rnd.choice(agencies))
    for f in funds:
        rel(f, "managedBy", rnd.choice(agencies))
    for p in programs:
        rel(p, "administeredBy", rnd.choice(agencies + units))
        rel(p, "hasTheme", rnd.choice(themes))
        rel(p, "basedOn", rnd.choice(policies))
        if rnd.random() < 0.2:
            rel(p, "fundedBy", rnd.choice(funds))
        g.nodes[p]["budget_latest_fy"] = 2024
        g.nodes[p]["budget_latest_yen"] = rnd.randint(1, 50_000) * 1_000_000
    for m in measures:
        for ministry in rnd.sample(ministries, rnd.randint(1, 3)):
            rel(m, "responsibleMinistry", ministry)
        rel(m, "hasTheme", rnd.choice(themes))
    return g


def pyvis_add_path(nxg: nx.MultiDiGraph, positions: dict) -> str:
    """pyvis's documented path: add_node/add_edge one by one, then its own generate_html()."""
    from pyvis.network import Network

    net = Network(directed=True)
    for nid, data in nxg.nodes(data=True):
        x, y = positions[nid]
        net.add_node(nid, label=data["label_ja"], title=data["label_en"], group=data["class"], x=x, y=y)
    for s, o, d in nxg.edges(data=True):
        net.add_edge(s, o, title=d["predicate"], label=d["predicate"])
    net.toggle_physics(False)
    return net.generate_html()


def timed(function, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--browser", action="store_true", help="also time the first drawing in headless Chromium")
    args = parser.parse_args()
    nxg = synthetic(args.nodes)
    network_view(nxg.subgraph(list(nxg)[:50]).copy())  # warm up: template compile, vis-network read
    print(f"graph: {nxg.number_of_nodes()} nodes, {nxg.number_of_edges()} edges; {args.runs} run(s) each; seconds")
    positions = layout(nxg)
    rows = {
        "stigraph view, total (layout + encode + page)": timed(lambda: network_view(nxg, max_nodes=10**9), args.runs),
        "  layout only": timed(lambda: layout(nxg), args.runs),
        "  encode only (nodes/edges/legend in one pass)": timed(lambda: encode_network(nxg, positions), args.runs),
        "stigraph encode + page, same positions as pyvis below": timed(
            lambda: network_view(nxg, max_nodes=10**9, positions=positions), args.runs),
        "pyvis add_node/add_edge + generate_html (same positions)": timed(lambda: pyvis_add_path(nxg, positions), args.runs),
    }
    html = network_view(nxg, max_nodes=10**9).html
    for name, times in rows.items():
        print(f"{name:58s} best {min(times):7.3f}  median {statistics.median(times):7.3f}")
    print(f"page size: {len(html.encode('utf-8')) / 1e6:.2f} MB (vis-network inlined: 0.47 MB)")
    if args.browser:
        times = browser_times(html, args.runs)
        print(f"{'Chromium: open the page -> first drawing (1400x900)':58s} best {min(times):7.3f}  "
              f"median {statistics.median(times):7.3f}")


def browser_times(html: str, runs: int) -> list[float]:
    """Seconds from navigation start to the page's first drawing (window.stigraph.rendered), per run."""
    import shutil
    import tempfile

    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        page_path = Path(tmp) / "view.html"
        page_path.write_text(html, encoding="utf-8")
        browser = p.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"])
        times = []
        for _ in range(runs):
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(page_path.as_uri())
            page.wait_for_function("window.stigraph && window.stigraph.rendered === true", timeout=60_000)
            times.append(page.evaluate("window.stigraph.renderedAt") / 1000)
            page.close()
        browser.close()
    return times


if __name__ == "__main__":
    main()
