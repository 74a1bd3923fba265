"""The page itself: escaping, no external URL, determinism, legend, tooltips, summaries."""
from __future__ import annotations

import json
import re

import networkx as nx
import pytest

from stigraph.views import ViewOptions, graph_view, network_view
from stigraph.views.page import strip_nonfunctional_urls, vis_js
from tests.browser.viewkit import (
    XSS_LABELS, external_references, fixture_graph, loading_attributes, urls_outside_namespaces,
)


def _data(html: str) -> dict:
    match = re.search(r'<script id="graph-data" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


@pytest.fixture(scope="module")
def whole():
    return graph_view(fixture_graph())


def test_xss_labels_never_appear_raw(whole):
    for label in XSS_LABELS:
        assert label not in whole.html
    # Exactly our three <script> elements close: no label closed one early or opened a comment state.
    assert whole.html.lower().count("</script") == 3 and "<!--" not in whole.html
    labels = {n["id"]: n for n in _data(whole.html)["nodes"]}
    caption = labels["xss-probe"]["label"]                              # the label survives as data (shortened) …
    assert caption.endswith("…") and XSS_LABELS[0].startswith(caption[:-1]) and len(caption) > 10
    assert XSS_LABELS[1] in labels["xss-probe"]["title"]              # … and the tooltip as plain text
    assert "&lt;img src=x onerror=alert(1)&gt;" in whole.html         # the search list escapes it


def test_no_external_reference_and_only_the_svg_namespace_url(whole):
    assert external_references(whole.html) == []
    assert loading_attributes(whole.html) == []
    assert loading_attributes('<a href="https://e.org">x</a><p style="background:url(x.png)">') == [
        ("a", "href", "https://e.org"), ("p", "style", "background:url(x.png)")]
    assert urls_outside_namespaces(whole.html) == []
    assert "http://www.w3.org/2000/svg" in whole.html  # kept: createElementNS needs it


def test_vis_inlining_keeps_code_and_drops_comment_urls():
    code = vis_js()
    assert "vis-network 9.1.2" in code and "Apache-2.0" in code
    assert "github.com/zloirock/core-js" in code and "https://github.com" not in code
    assert "sourceMappingURL" not in code
    assert strip_nonfunctional_urls('/*! https://a.b */x("http://www.w3.org/1999/xlink")') == 'x("http://www.w3.org/1999/xlink")'
    assert external_references('x.src="https://cdn.example/a.js";fetch("//e.org/x");y.src=e;url(data:a)') == [
        "https://cdn.example/a.js", "//e.org/x"]


def test_same_graph_and_options_give_identical_bytes():
    options = ViewOptions(title="t", themes=("ai",))
    first = graph_view(fixture_graph(), options).html
    assert first == graph_view(fixture_graph(), options).html
    assert first.encode("utf-8").decode("utf-8") == first and '<meta charset="utf-8">' in first


def test_tooltips_carry_labels_abbreviations_budgets_and_sources(whole):
    nodes = {n["id"]: n for n in _data(whole.html)["nodes"]}
    tip = nodes["medical-ai"]["title"]
    assert "医療AI研究開発事業" in tip and "Medical AI R&D Program" in tip
    assert "FY2022 Initial: 3,800,000,000 yen (38.00億円)" in tip and "FY2021 Initial" in tip
    assert "source: 000_e5eefd47d6133f4f.txt:15" in tip
    assert "abbreviations: JST" in nodes["jst"]["title"]
    edge = next(e for e in _data(whole.html)["edges"] if e["from"] == "moonshot" and e["pred"] == "administeredBy")
    assert "source: 000_e5eefd47d6133f4f.txt:12" in edge["title"] and edge["label"] == "administeredBy"


def test_legend_states_colours_and_size_rule(whole):
    assert "node size: number of relations (degree)" in whole.html or "node size: latest-year budget" in whole.html
    for name in ("Agency", "Program", "administeredBy", "hasTheme"):
        assert f"</span>{name}</span>" in whole.html
    budget = graph_view(fixture_graph(), ViewOptions(size_by="budget"))
    assert "node size: latest-year budget" in budget.html
    sizes = {n["id"]: n["size"] for n in _data(budget.html)["nodes"]}
    assert sizes["gi-fund"] > sizes["medical-ai"] > sizes["jst"]


def test_positions_are_precomputed_and_physics_is_off(whole):
    data = _data(whole.html)
    assert data["options"]["physics"]["enabled"] is False
    assert len({(n["x"], n["y"]) for n in data["nodes"]}) == len(data["nodes"])


def test_large_graph_is_summarised_and_the_page_says_so():
    result = graph_view(fixture_graph(), ViewOptions(max_nodes=5, summary="class"))
    assert result.nodes == len(_data(result.html)["nodes"]) < 20
    assert "more than 5" in result.html and "Filter with --class" in result.html
    community = graph_view(fixture_graph(), ViewOptions(max_nodes=10))
    assert community.nodes <= 10 and "community" in community.note


def test_network_view_renders_plain_networkx_graphs():
    g = nx.MultiDiGraph()
    g.add_node("a", id="a", label_en="Alpha", **{"class": "Agency"})
    g.add_node("b", id="b", label_ja="ベータ", **{"class": "Program"})
    g.add_edge("b", "a", key="administeredBy", predicate="administeredBy", source="x.txt:1")
    g.add_edge("b", "a", key="fundedBy", predicate="fundedBy", source="")
    result = network_view(g, "two", note="<i>n</i>")
    assert (result.nodes, result.edges) == (2, 2)
    assert "&lt;i&gt;n&lt;/i&gt;" in result.html
    curved = [e for e in _data(result.html)["edges"] if "smooth" in e]
    assert len(curved) == 1  # the second relation between the same nodes bends so both stay visible


def test_repr_html_and_iframe_are_sandboxed(whole):
    frame = whole._repr_html_()
    assert frame.startswith("<iframe srcdoc=") and 'sandbox="allow-scripts"' in frame and "<script>" not in frame


def test_write_is_utf8(tmp_path, whole):
    path = whole.write(tmp_path / "v.html")
    assert path.read_bytes().decode("utf-8") == whole.html


@pytest.mark.slow
def test_output_does_not_depend_on_the_hash_seed():
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = ("import hashlib; from tests.browser.viewkit import fixture_graph; from stigraph.views import *; "
            "g = fixture_graph(); print(hashlib.sha256((graph_view(g).html + graph_view(g, ViewOptions(max_nodes=8)).html"
            " + analysis_view(g, 'chokepoints').html).encode()).hexdigest())")
    repo = Path(__file__).resolve().parent.parent
    digests = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=repo,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    assert len(digests) == 1


def test_analysis_pages_are_identical_across_hash_seeds(tmp_path):
    """Layouts iterate sets of ids: with another PYTHONHASHSEED the page must still be byte for byte the same."""
    import hashlib
    import os
    import subprocess
    import sys

    script = ("import hashlib, sys; from stigraph.views import analysis_view; from tests.browser.viewkit import fixture_graph;"
              "g = fixture_graph(); print(''.join(hashlib.sha256(analysis_view(g, n).html.encode()).hexdigest()[:12] "
              "for n in ('overlaps', 'ministries')))")
    digests = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
        digests.add(out.stdout.strip())
    assert len(digests) == 1 and len(hashlib.sha256(b"").hexdigest()[:12] * 2) == len(digests.pop())


@pytest.mark.parametrize("options, analysis", [(ViewOptions(focus="moonshot"), None), (ViewOptions(focus="jst", limit=2), None),
                                               (ViewOptions(), "overlaps"), (ViewOptions(), "ministries")])
def test_new_view_types_never_write_labels_raw(options, analysis):
    """Focus pages (with their count nodes' members) and the overlap list carry document labels as data only."""
    from stigraph.views import make_view

    html = make_view(fixture_graph(), options, analysis=analysis).html
    for label in (*XSS_LABELS, "<img src=x onerror=alert(2)>", '"><svg onload=alert(2)>'):
        assert label not in html
    assert html.lower().count("</script") == (4 if analysis == "overlaps" else 3) and "<!--" not in html
    assert external_references(html) == [] and loading_attributes(html) == [] and urls_outside_namespaces(html) == []
    if options.focus:  # the probes are on the page, as data
        assert "\\u003cimg src=x onerror=" in html
