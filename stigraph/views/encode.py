"""Visual encoding: class colours, predicate colours, node sizes, labels and plain-text tooltips.

Every function here turns networkx attributes into the plain dicts vis-network reads; none of
them writes HTML, so a label can only ever be shown as text (the template escapes the rest).
"""
from __future__ import annotations

import math
from collections import Counter

import networkx as nx

from stigraph.views.labels import caption
from stigraph.views.page import CJK_FONTS

CLASS_COLORS = {
    "Ministry": "#d62728", "Council": "#9467bd", "Agency": "#1f77b4", "Unit": "#17becf",
    "Organization": "#7f7f7f", "Program": "#2ca02c", "Fund": "#ff7f0e", "BudgetAccount": "#ffbb78",
    "Facility": "#8c564b", "Plan": "#e377c2", "Strategy": "#f7b6d2", "Law": "#bcbd22", "Guideline": "#dbdb8d",
    "Policy": "#c49c94", "Measure": "#c7c7c7", "Initiative": "#98df8a", "Theme": "#aec7e8", "Group": "#f2f2f2",
}
PREDICATE_COLORS = {
    "administeredBy": "#1f77b4", "underJurisdictionOf": "#d62728", "subOrganizationOf": "#17becf",
    "fundedBy": "#ff7f0e", "managedBy": "#8c564b", "basedOn": "#e377c2", "partOf": "#2ca02c",
    "succeeds": "#7f7f7f", "overseenBy": "#9467bd", "decidedBy": "#bcbd22", "responsibleMinistry": "#c44e52",
    "collaboratesWith": "#55a868", "overlapsWith": "#dd8452", "participatesIn": "#4c72b0", "operates": "#937860",
    "mentions": "#b0b0b0", "hasTheme": "#aec7e8",
}
# Relations without a direction (and the overlap kinds of the overlap view): drawn without arrows.
SYMMETRIC_PREDICATES = frozenset({"collaboratesWith", "overlapsWith", "coResponsible", "stated", "relisted",
                                  "shared-program", "similar"})
DEFAULT_COLOR = "#999999"
TOOLTIP_LIST_MAX = 4
TARGET_CLASSES = frozenset({"Plan", "Strategy", "Law", "Guideline", "Policy"})
NODE_FONT_SIZE = 14
LARGE_VIEW = 500  # above this many nodes, edges hide while dragging (keeps the page responsive)
EDGE_LABEL_LIMIT = 400  # above this many edges, predicate names go into tooltips only (labels clutter)


def class_color(cls: str | None) -> str:
    """The fill colour of a class (grey for unknown classes).

    >>> class_color("Agency")
    '#1f77b4'
    """
    return CLASS_COLORS.get(cls or "", DEFAULT_COLOR)


def predicate_color(predicate: str) -> str:
    """The line colour of a predicate (a counted summary edge `p ×3` takes the colour of `p`).

    >>> predicate_color("fundedBy ×3")
    '#ff7f0e'
    """
    return PREDICATE_COLORS.get(predicate.split(" ×")[0], DEFAULT_COLOR)


def format_yen(yen: int | float) -> str:
    """Yen with thousands separators and the 億円/兆円 reading Japanese documents use.

    >>> format_yen(3_105_000_000)
    '3,105,000,000 yen (31.05億円)'
    """
    yen = int(yen)
    if abs(yen) >= 10**12:
        return f"{yen:,} yen ({yen / 10**12:.2f}兆円)"
    if abs(yen) >= 10**8:
        return f"{yen:,} yen ({yen / 10**8:.2f}億円)"
    if abs(yen) >= 10**6:
        return f"{yen:,} yen ({yen / 10**6:.1f}百万円)"
    return f"{yen:,} yen"


def short_label(data: dict, lang: str = "ja") -> str:
    """The node's caption: its short name, abbreviation or composed measure caption (see `stigraph.views.labels`).

    >>> short_label({"id": "x", "label_ja": "", "label_en": "A very long English programme name here"}, "ja")
    'A very long English …'
    """
    return caption(data, lang)


def _more(items: list[str], limit: int = TOOLTIP_LIST_MAX) -> list[str]:
    return items[:limit] + ([f"… and {len(items) - limit} more"] if len(items) > limit else [])


def node_tooltip(data: dict) -> str:
    """Plain-text tooltip: ja/en labels, id and class, abbreviations, budget figures, source lines.

    >>> print(node_tooltip({"id": "jst", "class": "Agency", "label_ja": "科学技術振興機構", "label_en": "JST", "alt_labels": "JST"}))
    科学技術振興機構
    JST
    id: jst · class: Agency
    abbreviations: JST
    """
    lines = [t for t in (data.get("label_ja"), data.get("label_en")) if t] or [str(data.get("id", ""))]
    lines.append(f"id: {data.get('id', '')} · class: {data.get('class', '?')}")
    if data.get("alt_labels"):
        lines.append(f"abbreviations: {data['alt_labels']}")
    lines += [str(x) for x in data.get("measure_lines", ())]
    if data.get("period_start") or data.get("period_end"):
        lines.append(f"period: FY{data.get('period_start') or '?'}–{data.get('period_end') or ''}")
    budgets = data.get("budgets") or []
    if budgets:
        lines.append("budget:")
        lines += _more([f"  FY{fy} {kind}: {format_yen(yen)}" for fy, kind, yen in budgets])
    elif data.get("budget_latest_yen") is not None:
        lines.append(f"budget: FY{data.get('budget_latest_fy')}: {format_yen(data['budget_latest_yen'])}")
    sources = data.get("sources") or []
    if sources:
        lines += ["source: " + s for s in _more(list(sources))]
    lines += [str(x) for x in data.get("extra_lines", ())]
    return "\n".join(lines)


def edge_tooltip(source: str, target: str, data: dict) -> str:
    """Plain-text tooltip of one relation: predicate, ends, and the source lines that state it.

    >>> edge_tooltip("moonshot", "jst", {"predicate": "administeredBy", "source": "a.txt:3; b.txt:9"})
    'administeredBy\\nmoonshot → jst\\nsource: a.txt:3\\nsource: b.txt:9'
    """
    lines = [str(data.get("predicate", "")), f"{source} → {target}"]
    sources = [s.strip() for s in str(data.get("source") or "").split(";") if s.strip()]
    lines += ["source: " + s for s in _more(sources)]
    lines += [str(x) for x in data.get("extra_lines", ())]
    return "\n".join(lines)


def size_mode(nxg: nx.Graph, requested: str = "auto") -> str:
    """`budget` or `degree`; `auto` picks budget when at least a quarter of the nodes carry a budget figure.

    >>> g = nx.Graph(); g.add_node("a", budget_latest_yen=5); g.add_node("b")
    >>> size_mode(g)
    'budget'
    """
    if requested in ("budget", "degree"):
        return requested
    with_budget = sum(1 for _n, d in nxg.nodes(data=True) if d.get("budget_latest_yen"))
    return "budget" if nxg.number_of_nodes() and with_budget * 4 >= nxg.number_of_nodes() else "degree"


def node_sizes(nxg: nx.Graph, mode: str, largest: float = 40.0) -> dict:
    """Node -> vis size, at most `largest`. Budget: area grows with the latest-year yen (policy targets do
    not count); value: area grows with `size_value`; degree: log of the relation count.

    >>> g = nx.Graph(); g.add_node("a", size_value=4); g.add_node("b", size_value=1)
    >>> node_sizes(g, "value", largest=20.0)
    {'a': 20.0, 'b': 14.0}
    """
    if mode in ("budget", "value"):
        if mode == "budget":  # plans' and strategies' figures are national targets, not spending
            values = {n: (d.get("budget_latest_yen") or 0) if d.get("class") not in TARGET_CLASSES else 0
                      for n, d in nxg.nodes(data=True)}
            base = 10.0
        else:
            values = {n: d.get("size_value") or 0 for n, d in nxg.nodes(data=True)}
            base = 8.0
        top = max(values.values(), default=0) or 1
        return {n: round(base + (largest - base) * math.sqrt(max(v, 0) / top), 2) if (v or mode == "value") else 6.0
                for n, v in values.items()}
    degrees = dict(nxg.degree())
    return {n: min(largest, 8 + 4 * math.log2(1 + degrees.get(n, 0))) for n in nxg.nodes}


SIZE_NOTES = {
    "budget": "node size: latest-year budget (area ∝ yen; small dots have no budget figure)",
    "degree": "node size: number of relations (degree)",
}


def encode_network(nxg: nx.Graph, positions: dict, size_by: str = "auto", lang: str = "ja",
                   size_note: str | None = None, largest: float = 40.0) -> tuple[list[dict], list[dict], dict]:
    """vis node and edge dicts (sorted, so output is deterministic) and the legend that explains them.

    Node attributes read: id, class, label_ja/label_en, alt_labels, budgets, sources, plus the
    view-specific `highlight` (bool), `faded` (bool), `extra_lines`, `size_value`.
    Edge attributes read: predicate, source, plus `label`, `width`, `extra_lines`.

    >>> g = nx.MultiDiGraph(); g.add_node("a", id="a", label_ja="<b>")
    >>> _ = g.add_edge("a", "a", key="partOf", predicate="partOf")
    >>> nodes, edges, legend = encode_network(g, {"a": (0.0, 0.0)})
    >>> nodes[0]["label"], edges[0]["label"], legend["size"]
    ('<b>', 'partOf', 'node size: number of relations (degree)')
    """
    mode = size_by if size_by == "value" else size_mode(nxg, size_by)
    sizes = node_sizes(nxg, mode, largest)
    nodes = []
    for nid in sorted(nxg.nodes, key=str):
        data = nxg.nodes[nid]
        color = class_color(data.get("class"))
        x, y = positions.get(nid, (0.0, 0.0))
        node = {"id": nid, "label": short_label(data, lang), "title": node_tooltip(data), "cls": data.get("class") or "?",
                "color": {"background": color, "border": color}, "size": round(sizes[nid], 2),
                "x": round(float(x), 1), "y": round(float(y), 1), "search": _search_text(data)}
        if data.get("highlight"):
            node.update(borderWidth=4, color={"background": color, "border": "#000000"},
                        font={"size": 18, "bold": True})
        elif data.get("faded"):
            node.update(opacity=0.35)
        if data.get("group") is not None:  # a count node: a dashed box the page expands on click
            node.update(shape="box", color={"background": color, "border": "#777777"}, group_key=nid,
                        shapeProperties={"borderDashes": [4, 3]}, margin=6)
        nodes.append(node)
    edge_list = sorted(_edges(nxg), key=lambda e: (str(e[0]), str(e[1]), str(e[2])))
    with_labels = len(edge_list) <= EDGE_LABEL_LIMIT
    parallel: Counter = Counter()
    edges = []
    for index, (s, o, _key, d) in enumerate(edge_list):
        predicate = str(d.get("predicate", ""))
        edge = {"id": index, "from": s, "to": o, "title": edge_tooltip(str(s), str(o), d),
                "color": {"color": d.get("color") or predicate_color(predicate)}, "pred": predicate.split(" ×")[0],
                "arrows": "" if predicate.split(" ×")[0] in SYMMETRIC_PREDICATES else "to"}
        if with_labels:
            edge["label"] = str(d.get("label", predicate))
        if d.get("width"):
            edge["width"] = round(float(d["width"]), 2)
        if d.get("dashes"):
            edge["dashes"] = True
        if d.get("ref") is not None:  # what the page links the edge to (e.g. its row in the overlap list)
            edge["ref"] = d["ref"]
        pair = (min(str(s), str(o)), max(str(s), str(o)))
        if parallel[pair]:  # curve the 2nd, 3rd … relation between the same two nodes so each stays visible
            edge["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": round(0.15 * parallel[pair], 2)}
        elif d.get("curved"):  # e.g. a relation between two neighbours of a focus: a faint arc off the columns
            edge["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.25}
            edge["color"]["opacity"] = 0.45
        parallel[pair] += 1
        edges.append(edge)
    legend = {
        "classes": [{"name": c, "color": class_color(c)} for c in sorted({n["cls"] for n in nodes})],
        "predicates": [{"name": p, "color": predicate_color(p)} for p in sorted({e["pred"] for e in edges})],
        "size": size_note or SIZE_NOTES.get(mode, ""),
        "extra": [] if with_labels or not edges else ["edge labels hidden (many edges): hover an edge for its predicate"],
    }
    return nodes, edges, legend


def _edges(nxg: nx.Graph):
    if nxg.is_multigraph():
        return nxg.edges(keys=True, data=True)
    return ((s, o, "", d) for s, o, d in nxg.edges(data=True))


def _search_text(data: dict) -> str:
    return " ".join(str(data.get(k) or "") for k in ("id", "label_ja", "label_en", "alt_labels")).lower()


def vis_options(node_count: int) -> dict:
    """vis-network options: no physics (positions are precomputed), hover tooltips, keyboard navigation."""
    return {
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "interaction": {"hover": True, "tooltipDelay": 150, "keyboard": {"enabled": True, "bindToWindow": False},
                        "hideEdgesOnDrag": node_count > LARGE_VIEW, "multiselect": True},
        "nodes": {"shape": "dot", "borderWidth": 1,
                  "font": {"size": NODE_FONT_SIZE, "face": CJK_FONTS, "strokeWidth": 3, "strokeColor": "#ffffff"}},
        "edges": {"smooth": False, "font": {"size": 10, "align": "middle", "strokeWidth": 2, "face": CJK_FONTS},
                  "arrows": {"to": {"scaleFactor": 0.5}}, "width": 1},
    }
