"""Time the analyses (deps, chokepoints, overlaps; optionally ministries and landscape) on a big graph.

Default: a seeded synthetic networkx projection of exactly --nodes nodes and --edges edges, shaped
like stigraph's (ministries, councils, agencies with units, funds, budget accounts, policies with
their basis chain, themes, strategy measures, and programs nested up to three deep with
administrators, funders, policy bases, themes and Japanese labels). The graph is built directly as a
MultiDiGraph: loading millions of quads is the store's benchmark, not this one.

With --from-synthetic QUADS the graph comes from the shared generator (bench/synthetic.py) instead,
loaded into an in-memory store and projected with to_networkx (both timed too).

    python -m bench.bench_analysis                      # 100k nodes / 500k edges, seed 42
    python -m bench.bench_analysis --nodes 20000 --edges 100000 --with-landscape
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from stigraph.graph.analysis import chokepoints, deps, landscape, ministries, overlaps  # noqa: E402

KANJI = ("研究技術開発基盤創出推進支援事業拠点形成国際共同社会実装先端計測量子材料生命医療宇宙海洋環境防災食料"
         "人材育成産学連携情報通信半導体電池水素次世代革新戦略加速融合知能数理解析制御設計評価標準安全保障")
# Shares of the edges added after the skeleton. Every program already has one administrator or a
# parent; about a fifth get a second body (a co-administrator or a participant), as in the registry.
PREDICATE_WEIGHTS = (("hasTheme", 0.33), ("basedOn", 0.19), ("fundedBy", 0.16), ("partOf", 0.11), ("mentions", 0.08),
                     ("responsibleMinistry", 0.04), ("administeredBy", 0.03), ("participatesIn", 0.02),
                     ("overseenBy", 0.02), ("overlapsWith", 0.005), ("succeeds", 0.005))


def _label(rng: random.Random, words: list[str]) -> str:
    # Word frequency is skewed (a few words in many names, most in few), as in real program names.
    picked = [words[min(int(rng.paretovariate(0.7)) - 1, len(words) - 1)] for _ in range(rng.randint(2, 4))]
    return "".join(dict.fromkeys(picked)) + rng.choice(("事業", "プログラム", "制度", "課題"))


def synthetic_projection(nodes: int = 100_000, edges: int = 500_000, seed: int = 42) -> nx.MultiDiGraph:
    """A seeded MultiDiGraph with exactly `nodes` nodes and (about, parallel duplicates aside) `edges` edges."""
    rng = random.Random(seed)
    g = nx.MultiDiGraph()
    # A vocabulary of 3,000 two-character words drawn from the kanji above.
    words = sorted({rng.choice(KANJI) + rng.choice(KANJI) for _ in range(4000)})[:3000]
    rng.shuffle(words)

    def add(node: str, cls: str, ja: str) -> str:
        g.add_node(node, id=node, **{"class": cls}, label_ja=ja, label_en=node, alt_labels="")
        return node

    count = [0]

    def edge(u: str, v: str, p: str) -> None:
        if u != v and not g.has_edge(u, v, key=p):
            g.add_edge(u, v, key=p, predicate=p, source=f"synthetic.txt:{rng.randint(1, 99999)}")
            count[0] += 1

    ministries_ = [add(f"ministry-{i}", "Ministry", f"府省{i}") for i in range(18)]
    councils = [add(f"council-{i}", "Council", f"会議{i}") for i in range(6)]
    themes = [add(f"theme/t{i}", "Theme", f"テーマ{i}") for i in range(25)]
    n = nodes - len(ministries_) - len(councils) - len(themes)
    agencies = [add(f"agency-{i}", "Agency", f"法人{i}") for i in range(max(10, n // 500))]
    units = [add(f"unit-{i}", "Unit", f"部門{i}") for i in range(max(20, n // 100))]
    funds = [add(f"fund-{i}", "Fund", f"基金{i}") for i in range(max(5, n // 300))]
    accounts = [add(f"account-{i}", "BudgetAccount", f"交付金{i}") for i in range(max(5, n // 500))]
    policies = [add(f"policy-{i}", rng.choice(("Strategy", "Plan", "Law", "Guideline", "Policy")), _label(rng, words))
                for i in range(max(20, n // 30))]
    measures = [add(f"measure-{i}", "Measure", _label(rng, words)) for i in range(n // 7)]
    rest = nodes - g.number_of_nodes()
    programs = [add(f"program-{i}", "Program", _label(rng, words)) for i in range(rest)]
    orgs = agencies + units
    sources = funds + accounts
    items = programs + measures
    # The skeleton every graph has: jurisdiction, sub-organizations, fund managers, policy chain.
    for a in agencies:
        for m in rng.sample(ministries_, rng.choice((1, 1, 2))):
            edge(a, m, "underJurisdictionOf")
    for u in units:
        edge(u, rng.choice(agencies), "subOrganizationOf")
    for f in funds + accounts:
        edge(f, rng.choice(orgs), "managedBy")
    for i, p in enumerate(policies):
        edge(p, rng.choice(councils + ministries_), "decidedBy")
        if i:
            edge(p, policies[rng.randrange(i)], "basedOn")
    skeleton = count[0]
    # Every program gets an administrator (or a parent) so the dependency layers are realistic.
    for i, p in enumerate(programs):
        if i > 1000 and rng.random() < 0.6:
            edge(p, programs[rng.randrange(max(0, i - 5000), i)], "partOf")
        else:
            edge(p, rng.choice(orgs), "administeredBy")
    # Top up with typed edges until the edge budget is spent; policy and theme choice is skewed
    # (a few hubs, a long tail) as in the real data.
    names = [p for p, _ in PREDICATE_WEIGHTS]
    shares = [w for _, w in PREDICATE_WEIGHTS]
    while count[0] < edges:  # repeated (u, v, predicate) collapse, so top up until exact
        predicate = rng.choices(names, shares)[0]
        if predicate == "hasTheme":
            edge(rng.choice(items), themes[min(int(rng.paretovariate(1.2)) - 1, 24)], predicate)
        elif predicate == "basedOn":
            edge(rng.choice(items), policies[min(int(rng.paretovariate(0.8)) - 1, len(policies) - 1)], predicate)
        elif predicate == "administeredBy":
            edge(rng.choice(programs), rng.choice(orgs), predicate)
        elif predicate == "fundedBy":
            edge(rng.choice(programs), rng.choice(sources), predicate)
        elif predicate == "partOf":
            i = rng.randrange(1, len(programs))
            edge(programs[i], programs[rng.randrange(i)], predicate)
        elif predicate == "mentions":
            edge(rng.choice(measures), rng.choice(programs), predicate)
        elif predicate == "responsibleMinistry":
            edge(rng.choice(measures), rng.choice(ministries_), predicate)
        elif predicate == "participatesIn":
            edge(rng.choice(orgs), rng.choice(programs), predicate)
        elif predicate == "overseenBy":
            edge(rng.choice(programs), rng.choice(councils), predicate)
        elif predicate == "overlapsWith":
            edge(rng.choice(items), rng.choice(items), predicate)
        else:
            edge(rng.choice(programs), rng.choice(programs), predicate)
    g.graph["skeleton_edges"] = skeleton
    return g


def _timed(label: str, rows: list[tuple[str, float, float, str]], fn):
    """Run fn; record wall-clock and CPU seconds (CPU time stays meaningful on a shared, busy machine)."""
    started, cpu = time.perf_counter(), time.process_time()
    result = fn()
    rows.append((label, time.perf_counter() - started, time.process_time() - cpu, ""))
    return result


def _note(rows: list, text: str) -> None:
    rows[-1] = (*rows[-1][:3], text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--edges", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--from-synthetic", type=int, metavar="QUADS", default=None,
                        help="use bench/synthetic.py with about this many quads instead of the direct generator")
    parser.add_argument("--with-landscape", action="store_true", help="also time ministries and landscape")
    args = parser.parse_args(argv)
    rows: list[tuple[str, float, float, str]] = []
    if args.from_synthetic:
        from bench.synthetic import generate
        from stigraph.sparql.graph import StiGraph
        from stigraph.graph.projection import to_networkx

        data = _timed("generate quads (bench/synthetic.py)", rows, lambda: generate(args.from_synthetic, args.seed))
        graph = _timed("load into memory store", rows, lambda: StiGraph.from_nquads([data]))
        g = _timed("project to networkx", rows, lambda: to_networkx(graph))
    else:
        g = _timed("generate projection", rows,
                   lambda: synthetic_projection(args.nodes, args.edges, args.seed))
    hub = max(g.nodes, key=lambda n: (g.in_degree(n), n) if g.nodes[n].get("class") == "Agency" else (-1, n))
    program = next(n for n in sorted(g.nodes) if g.nodes[n].get("class") == "Program")
    up = _timed(f"deps {program} up", rows, lambda: deps(g, program, "up"))
    _note(rows, f"{len(up.reached())} reached")
    down = _timed(f"deps {hub} down", rows, lambda: deps(g, hub, "down"))
    _note(rows, f"{len(down.reached())} reached")
    choke = _timed("chokepoints (top 20)", rows, lambda: chokepoints(g, top=20))
    _note(rows, f"top cuts {choke.chokepoints[0].programs_cut if choke.chokepoints else 0} programs")
    over = _timed("overlaps (min score 0.4)", rows, lambda: overlaps(g, min_score=0.4))
    _note(rows, ", ".join(f"{k} {v}" for k, v in over.counts.items()))
    if args.with_landscape:
        mins = _timed("ministries", rows, lambda: ministries(g))
        _note(rows, f"{len(mins.pairs)} pairs")
        _timed("landscape (no betweenness)", rows, lambda: landscape(g, betweenness_exact_max_nodes=0))
    print(f"graph: {g.number_of_nodes():,} nodes, {g.number_of_edges():,} edges (seed {args.seed})")
    width = max(len(r[0]) for r in rows)
    print(f"{'step'.ljust(width)}  {'wall s':>7}  {'CPU s':>7}  result")
    print(f"{'-' * width}  {'-' * 7}  {'-' * 7}  ------")
    for label, wall, cpu, note in rows:
        print(f"{label.ljust(width)}  {wall:7.2f}  {cpu:7.2f}  {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
