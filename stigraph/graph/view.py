"""Self-contained interactive HTML views of the graph (pyvis's network model and bundled vis-network).

pyvis's own `add_node`/`add_edge` are quadratic and its templates load CDNs and write some fields
unescaped (DESIGN §7): nodes and edges go into a pyvis `Network` in one pass, and the page comes
from our own Jinja template with autoescape and vis-network inlined. Tooltips are plain text.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import jinja2
import networkx as nx
import pyvis
from pyvis.network import Network

from stigraph.graph.core import StiGraph
from stigraph.graph.projection import to_networkx

CLASS_COLORS = {
    "Ministry": "#d62728", "Council": "#9467bd", "Agency": "#1f77b4", "Unit": "#17becf",
    "Organization": "#7f7f7f", "Program": "#2ca02c", "Fund": "#ff7f0e", "BudgetAccount": "#ffbb78",
    "Facility": "#8c564b", "Plan": "#e377c2", "Strategy": "#f7b6d2", "Law": "#bcbd22", "Guideline": "#dbdb8d",
    "Policy": "#c49c94", "Measure": "#c7c7c7", "Theme": "#aec7e8",
}
MAX_NODES = 2000
_TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
_VIS_JS = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js"


@dataclass
class ViewResult:
    """A rendered view: the HTML and how many nodes/edges it shows."""

    html: str
    nodes: int
    edges: int
    note: str = ""

    def _repr_html_(self) -> str:  # Jupyter shows the page inline in a sandboxed iframe
        import html as html_mod

        return (f'<iframe srcdoc="{html_mod.escape(self.html, quote=True)}" '
                'style="width:100%;height:640px;border:0" sandbox="allow-scripts"></iframe>')

    def write(self, path: str | Path) -> Path:
        from stigraph.graph.export import write_atomic

        write_atomic(Path(path), self.html)
        return Path(path)


def _tooltip(data: dict) -> str:
    parts = [f"{data.get('label_ja') or ''} / {data.get('label_en') or ''}", f"id: {data['id']}  class: {data['class']}"]
    if data.get("alt_labels"):
        parts.append(f"also: {data['alt_labels']}")
    if data.get("budget_latest_yen") is not None:
        parts.append(f"FY{data['budget_latest_fy']}: {data['budget_latest_yen']:,} yen")
    return "\n".join(parts)


def _layout(nxg: nx.MultiDiGraph) -> dict:
    """Deterministic positions so the view does not depend on a physics run."""
    if nxg.number_of_nodes() == 0:
        return {}
    simple = nx.Graph(nxg.to_undirected())
    return nx.spring_layout(simple, seed=7, k=2.0 / math.sqrt(max(simple.number_of_nodes(), 1)), iterations=60)


def network_view(nxg: nx.MultiDiGraph, title: str = "stigraph", note: str = "") -> ViewResult:
    """Render a networkx projection as a self-contained HTML page (no external URL in it).

    >>> g = nx.MultiDiGraph(); g.add_node("a", id="a", label_ja="<b>", label_en="A", alt_labels="", **{"class": "Agency"})
    >>> "&lt;b&gt;" in network_view(g).html or "\\\\u003cb\\\\u003e" in network_view(g).html
    True
    """
    if nxg.number_of_nodes() > MAX_NODES:
        nxg = summarize_by_class(nxg)
        note = (note + " " if note else "") + f"The graph has more than {MAX_NODES} nodes: shown as one node per class."
    positions = _layout(nxg)
    net = Network(directed=True)
    degrees = dict(nxg.degree())
    # Filling the model's lists directly avoids pyvis's quadratic add_node/add_edge.
    for nid in sorted(nxg.nodes):
        data = nxg.nodes[nid]
        x, y = positions.get(nid, (0.0, 0.0))
        label = data.get("label_ja") or data.get("label_en") or nid
        net.nodes.append({
            "id": nid, "label": label if len(label) <= 24 else label[:23] + "…", "title": _tooltip(data),
            "color": CLASS_COLORS.get(data.get("class"), "#999999"), "group": data.get("class"),
            "size": 8 + 4 * math.log2(1 + degrees.get(nid, 0)),
            "x": round(float(x) * 1000, 2), "y": round(float(y) * 1000, 2),
            "search": " ".join(str(data.get(k) or "") for k in ("id", "label_ja", "label_en", "alt_labels")).lower(),
        })
    for index, (s, o, _k, d) in enumerate(sorted(nxg.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2]))):
        net.edges.append({"id": index, "from": s, "to": o, "label": d.get("predicate", ""), "arrows": "to",
                          "title": f"{d.get('predicate', '')}\n{d.get('source', '')}".strip(), "font": {"size": 8}})
    classes_present = sorted({n.get("group") for n in net.nodes if n.get("group")})
    options = {"physics": {"enabled": False}, "interaction": {"hover": True, "tooltipDelay": 120},
               "nodes": {"shape": "dot", "font": {"size": 12}}, "edges": {"smooth": False, "color": {"inherit": "from"}}}
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(_TEMPLATE_DIR)), autoescape=True,
                             keep_trailing_newline=True)
    html = env.get_template("network.html.j2").render(
        title=title, nodes=net.nodes, edges=net.edges, note=note,
        legend=[{"name": c, "color": CLASS_COLORS.get(c, "#999999")} for c in classes_present],
        size_note="node size: number of relations (degree)",
        data={"nodes": net.nodes, "edges": net.edges, "options": options},
        vis_js=_VIS_JS.read_text(encoding="utf-8"),
    )
    return ViewResult(html=html, nodes=len(net.nodes), edges=len(net.edges), note=note)


def summarize_by_class(nxg: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """One node per class, edges counted per (class, predicate, class)."""
    out = nx.MultiDiGraph()
    counts: dict[str, int] = {}
    for _nid, data in nxg.nodes(data=True):
        counts[data.get("class", "?")] = counts.get(data.get("class", "?"), 0) + 1
    for cls, n in counts.items():
        out.add_node(cls, id=cls, label_ja=f"{cls} ({n})", label_en=f"{cls} ({n})", alt_labels="", **{"class": cls})
    edge_counts: dict[tuple[str, str, str], int] = {}
    for s, o, d in nxg.edges(data=True):
        key = (nxg.nodes[s].get("class", "?"), nxg.nodes[o].get("class", "?"), d.get("predicate", ""))
        edge_counts[key] = edge_counts.get(key, 0) + 1
    for (s, o, p), n in edge_counts.items():
        out.add_edge(s, o, key=p, predicate=f"{p} ×{n}", source="")
    return out


def view(graph: StiGraph, title: str = "stigraph") -> ViewResult:
    """The whole graph as an interactive page; large graphs are summarised by class.

    >>> from stigraph.graph.build import collect_quads
    >>> view(StiGraph.from_nquads(collect_quads())).nodes > 0
    True
    """
    return network_view(to_networkx(graph), title=title)
