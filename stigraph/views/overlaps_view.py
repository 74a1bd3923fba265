"""The overlap page: every pair as evidence (names, kind, score, the lines that support it) beside a network.

The list ranks the pairs as the analysis does (stated, re-listed, shared program, look-alike; by
score within a kind) and filters by kind, organization and theme; the network draws the pairs
between programs and organizations (re-listed strategy measures stay in the list: a network of
hundreds of measure pairs tells nothing). Measures are named by what they name, who is
responsible and their theme (`stigraph.views.labels`), never only by position.
"""
from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from stigraph.views.coerce import as_texts, field_of, items_of, plain_id
from stigraph.views.encode import encode_network, vis_options
from stigraph.views.labels import caption
from stigraph.views.labelled_layout import labelled_layout
from stigraph.views.page import ViewResult, render_page

KINDS = {"stated": "stated in a source", "relisted": "re-listed measure", "shared-program": "shared program",
         "similar": "look-alike"}
KIND_COLORS = {"stated": "#d62728", "relisted": "#8c564b", "shared-program": "#1f77b4", "similar": "#2ca02c"}
MEASURE = "Measure"
NETWORK_AREA = (880.0, 740.0)   # px beside the 500 px evidence list in a 1400x900 window
ORGANIZATION_CLASSES = frozenset({"Ministry", "Council", "Agency", "Unit", "Organization"})


@dataclass(frozen=True)
class OverlapPair:
    """Two entities that overlap, how much (0–1), why, which kind, the evidence lines and who runs each side."""

    a: str
    b: str
    score: float
    reasons: tuple[str, ...] = ()
    kind: str = ""
    evidence: tuple = ()                 # the analysis' evidence records (dicts) or plain texts
    a_runners: tuple[str, ...] = ()
    b_runners: tuple[str, ...] = ()
    evidence_ids: tuple[str, ...] = ()   # entities the evidence names (the shared program, theme, policy …)


def evidence_ids(evidence) -> tuple[str, ...]:
    """The entity ids named in evidence records (`id`, `subject`, `object`).

    >>> evidence_ids([{"type": "program run by both", "id": "k-program"}, "plain text"])
    ('k-program',)
    """
    found = [str(item[k]) for item in evidence or () if isinstance(item, dict) for k in ("id", "subject", "object")
             if item.get(k)]
    return tuple(dict.fromkeys(found))


def evidence_lines(evidence, name=str) -> tuple[str, ...]:
    """Readable lines from the analysis' evidence records (dicts) or plain texts; `name(id)` names entities.

    >>> evidence_lines([{"type": "stated", "subject": "a", "predicate": "overlapsWith", "object": "b", "source": "x.txt:3"}])
    ('stated: a overlapsWith b (x.txt:3)',)
    >>> evidence_lines([{"type": "policy basis", "id": "p", "label": "指針", "weight": 4.2}])
    ('shared policy basis: 指針 (p), weight 4.2',)
    """
    lines: list[str] = []
    for item in evidence or ():
        if not isinstance(item, dict):
            lines.append(str(item))
        elif "predicate" in item:
            lines.append(f"{item.get('type', 'stated')}: {name(item.get('subject'))} {item['predicate']} {name(item.get('object'))}"
                         + (f" ({item['source']})" if item.get("source") else ""))
        elif "how" in item:
            themes = f"; themes {', '.join(item['themes'])}" if item.get("themes") else ""
            lines.append(f"{item.get('type', 'program')}: {item.get('label')} ({item.get('id')}){themes}")
            lines += [f"  {how}" for how in item["how"]]
        elif "weight" in item:
            lines.append(f"shared {item.get('type')}: {item.get('label')} ({item.get('id')}), weight {item['weight']}")
        else:
            lines.append(", ".join(f"{k}: {v}" for k, v in item.items()))
    return tuple(lines)


def as_overlap_pairs(result) -> list[OverlapPair]:
    """Overlap pairs from tuples (a, b, score, reasons), dicts, objects or a result with `.pairs`/`.overlaps`.

    >>> as_overlap_pairs([{"a": "x", "b": "y", "score": 0.5, "reasons": "same theme"}])[0].reasons
    ('same theme',)
    """
    return [OverlapPair(plain_id(field_of(i, ("a", "left", "first", "u"), 0)),
                        plain_id(field_of(i, ("b", "right", "second", "v"), 1)),
                        float(field_of(i, ("score", "weight", "similarity"), 2, 0.0) or 0.0),
                        as_texts(field_of(i, ("reasons", "reason", "why", "shared"), 3)),
                        str(field_of(i, ("kind",), None, "") or ""),
                        tuple(field_of(i, ("evidence",), None, (), kind=(list, tuple))),
                        tuple(plain_id(r) for r in field_of(i, ("a_runners",), None, (), kind=(list, tuple))),
                        tuple(plain_id(r) for r in field_of(i, ("b_runners",), None, (), kind=(list, tuple))),
                        evidence_ids(field_of(i, ("evidence",), None, (), kind=(list, tuple))))
            for i in items_of(result, ("pairs", "overlaps"))]


def _entity(nxg: nx.MultiDiGraph, node: str) -> dict:
    data = nxg.nodes[node] if node in nxg else {"id": node}
    return {"id": node, "caption": caption(data, "ja"), "ja": str(data.get("label_ja") or ""),
            "en": str(data.get("label_en") or ""), "cls": str(data.get("class") or "?"),
            "about": [str(x) for x in data.get("measure_lines", ())]}


def _out(nxg: nx.MultiDiGraph, node: str, predicate: str) -> set[str]:
    if node not in nxg:
        return set()
    return {o for _s, o, p in nxg.out_edges(node, data="predicate") if p == predicate}


def _tags(nxg: nx.MultiDiGraph, pair: OverlapPair) -> tuple[list[str], list[str]]:
    """(organizations, themes) a pair can be filtered by: who runs or is responsible for each side, and their themes."""
    orgs = set(pair.a_runners) | set(pair.b_runners)
    themes: set[str] = set()
    for node in (pair.a, pair.b):
        if node in nxg and nxg.nodes[node].get("class") in ORGANIZATION_CLASSES:
            orgs.add(node)
        orgs |= _out(nxg, node, "responsibleMinistry") | _out(nxg, node, "administeredBy")
        themes |= _out(nxg, node, "hasTheme")
    for node in pair.evidence_ids:  # e.g. the program two bodies both run brings its themes
        if node in nxg and nxg.nodes[node].get("class") == "Theme":
            themes.add(node)
        elif nxg.nodes.get(node, {}).get("class") != MEASURE:
            themes |= _out(nxg, node, "hasTheme")
    return sorted(orgs), sorted(themes)


def overlap_entries(nxg: nx.MultiDiGraph, pairs: list[OverlapPair]) -> list[dict]:
    """The list rows: rank, kind, score, both entities (caption and names), evidence lines, filter tags.

    >>> g = nx.MultiDiGraph(); g.add_node("p", label_ja="P事業", **{"class": "Program"})
    >>> overlap_entries(g, [OverlapPair("p", "q", 0.5, kind="similar")])[0]["kind_name"]
    'look-alike'
    """
    rows = []

    def name(node) -> str:
        return f"「{caption(nxg.nodes[node], 'ja')}」" if node in nxg else str(node)

    for rank, pair in enumerate(pairs, 1):
        orgs, themes = _tags(nxg, pair)
        rows.append({"rank": rank, "kind": pair.kind or "stated", "kind_name": KINDS.get(pair.kind, pair.kind or "pair"),
                     "score": round(pair.score, 3), "a": _entity(nxg, pair.a), "b": _entity(nxg, pair.b),
                     "reason": list(pair.reasons), "evidence": list(evidence_lines(pair.evidence, name)), "orgs": orgs,
                     "themes": themes})
    return rows


def _choices(nxg: nx.MultiDiGraph, rows: list[dict], key: str) -> list[dict]:
    counts: dict[str, int] = {}
    for row in rows:
        for value in row[key]:
            counts[value] = counts.get(value, 0) + 1
    return [{"id": v, "name": caption(nxg.nodes[v], "ja") if v in nxg else v, "count": n}
            for v, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


def overlap_network(nxg: nx.MultiDiGraph, pairs: list[OverlapPair]) -> nx.MultiDiGraph:
    """Programs and organizations joined by their overlaps (edge colour = kind, width = score, `ref` = list rank).

    >>> g = nx.MultiDiGraph(); g.add_node("m", **{"class": "Measure"})
    >>> overlap_network(g, [OverlapPair("m", "n", 1.0, kind="relisted")]).number_of_edges()  # measures: list only
    0
    """
    out = nx.MultiDiGraph()
    for rank, pair in enumerate(pairs, 1):
        ends = [nxg.nodes[x] if x in nxg else {"id": x, "class": "?"} for x in (pair.a, pair.b)]
        if any(e.get("class") == MEASURE for e in ends):
            continue
        for node, data in zip((pair.a, pair.b), ends):
            if node not in out:
                out.add_node(node, **{k: v for k, v in data.items() if k != "highlight"})
        lines = [f"#{rank} {KINDS.get(pair.kind, pair.kind)} · score {pair.score:.3f}", *evidence_lines(pair.evidence)[:6],
                 *(f"why: {r}" for r in pair.reasons[:2])]
        out.add_edge(pair.a, pair.b, key=f"overlap-{rank}", predicate=pair.kind or "overlap",
                     color=KIND_COLORS.get(pair.kind), label="", ref=rank,
                     width=1 + 5 * max(0.0, min(pair.score, 1.0)), source="", extra_lines=lines)
    return out


def overlaps_view(nxg: nx.MultiDiGraph, pairs, title: str = "overlaps", min_score: float = 0.0, notes=()) -> ViewResult:
    """The overlap page: the ranked evidence list (filterable) and the network of programs and organizations.

    >>> g = nx.MultiDiGraph(); g.add_node("p", id="p", label_ja="P", **{"class": "Program"})
    >>> g.add_node("q", id="q", label_ja="Q", **{"class": "Program"})
    >>> overlaps_view(g, [("p", "q", 0.8, ["same theme"])]).nodes
    2
    """
    pairs = [p for p in as_overlap_pairs(pairs) if p.score >= min_score]
    rows = overlap_entries(nxg, pairs)
    network = overlap_network(nxg, pairs)
    positions = labelled_layout(network, area=NETWORK_AREA)
    nodes, edges, legend = encode_network(network, positions, size_by="degree", largest=16.0)
    legend["predicates"] = [{"name": KINDS[k], "color": c} for k, c in KIND_COLORS.items()
                            if any(e["pred"] == k for e in edges)]
    legend["extra"] = ["edge width: score (0–1); click a pair in the list to find it", *legend["extra"]]
    in_list_only = sum(1 for r in rows if MEASURE in (r["a"]["cls"], r["b"]["cls"]))
    note = (f"{len(rows)} overlapping pair(s)" + (f" with score ≥ {min_score}" if min_score else "")
            + f"; the network shows the {len(rows) - in_list_only} between programs and organizations"
            + (f", the list also the {in_list_only} between strategy measures." if in_list_only else "."))
    kinds = [{"id": k, "name": name, "count": sum(1 for r in rows if r["kind"] == k)} for k, name in KINDS.items()]
    html = render_page(title, nodes, edges, vis_options(len(nodes)), legend, [*notes, note], template="overlaps.html.j2",
                       pairs=rows, kinds=[k for k in kinds if k["count"]], orgs=_choices(nxg, rows, "orgs"),
                       themes=_choices(nxg, rows, "themes"))
    return ViewResult(html=html, nodes=len(nodes), edges=len(edges), note=note, notes=[*notes, note])
