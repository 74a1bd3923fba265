"""The benchmark script's generator and table (small sizes; the 100k run is `python -m bench.bench_analysis`)."""
from __future__ import annotations

from collections import Counter

from bench.bench_analysis import main, synthetic_projection


def test_generator_gives_the_requested_size_and_stigraph_shapes():
    g = synthetic_projection(nodes=3000, edges=12000, seed=7)
    assert (g.number_of_nodes(), g.number_of_edges()) == (3000, 12000)
    classes = Counter(d["class"] for _, d in g.nodes(data=True))
    assert classes["Program"] > classes["Measure"] > classes["Agency"] > 0 and classes["Theme"] == 25
    predicates = Counter(k for _, _, k in g.edges(keys=True))
    assert {"administeredBy", "partOf", "basedOn", "hasTheme", "responsibleMinistry", "mentions"} <= set(predicates)
    same = synthetic_projection(nodes=3000, edges=12000, seed=7)
    assert sorted(same.edges(keys=True)) == sorted(g.edges(keys=True))


def test_main_prints_a_timing_table(capsys):
    assert main(["--nodes", "2000", "--edges", "8000"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("graph: 2,000 nodes, 8,000 edges (seed 42)")
    for step in ("deps", "chokepoints (top 20)", "overlaps (min score 0.4)"):
        assert step in out
