"""The focus page: ranked neighbours in columns, count nodes that expand on click (see `stigraph.views.focus`)."""
from __future__ import annotations

import networkx as nx

from stigraph.views.encode import encode_network, vis_options
from stigraph.views.focus import DEFAULT_LIMIT, HUB_DEGREE, CountGroup, FocusSelection, focus_graph, select_focus
from stigraph.views.focus_layout import focus_positions
from stigraph.views.page import ViewResult, render_page

LARGEST_NODE = 11.0  # px radius: a node never grows past its row (the 10兆円 university fund would)


def _expansion(nxg: nx.MultiDiGraph, group: CountGroup, positions: dict, visible: set, lang: str) -> dict:
    """The vis nodes and edges a count node expands to: its members, their relation to the anchor and to shown nodes."""
    members = set(group.members)
    part = nx.MultiDiGraph()
    for node in [*group.members, *sorted(visible, key=str)]:
        part.add_node(node, **nxg.nodes[node])
    for node in group.members:
        for s, o, key, data in (*nxg.out_edges(node, keys=True, data=True), *nxg.in_edges(node, keys=True, data=True)):
            if (s in members or s in visible) and (o in members or o in visible):
                part.add_edge(s, o, key=key, **data)
    nodes, edges, _legend = encode_network(part, positions, lang=lang, largest=LARGEST_NODE)
    for edge in edges:
        edge["id"] = f"{group.key}/{edge['id']}"
    return {"nodes": [n for n in nodes if n["id"] in members], "edges": edges}


def describe(selection: FocusSelection) -> str:
    """The page note: how many neighbours are shown, how the rest is folded, what depth 2 skipped.

    >>> describe(FocusSelection("jst", 1, {}, [], 0))
    '0 of 0 neighbours within 1 relation(s) of jst, ranked by relation, budget and class.'
    """
    folded = sum(len(g.members) for g in selection.groups)
    text = (f"{len(selection.shown)} of {selection.total_neighbours} neighbours within {selection.depth} relation(s) "
            f"of {selection.focus}, ranked by relation, budget and class.")
    if selection.groups:
        text += f" {len(selection.groups)} dashed count node(s) hold {folded} more: click one to show them."
    if selection.depth > 1:
        text += f" The second step does not pass through themes or hubs (more than {HUB_DEGREE} relations)."
    if selection.dropped:
        text += f" {selection.dropped} second-step neighbour(s) are not drawn; focus on a neighbour to see its own."
    return text


def focus_view(nxg: nx.MultiDiGraph, focus: str, *, depth: int = 1, limit: int | None = DEFAULT_LIMIT,
               title: str = "stigraph", notes=(), size_by: str = "auto", lang: str = "ja") -> ViewResult:
    """A readable ego network of `focus`: at most `limit` ranked neighbours, the rest in count nodes.

    >>> g = nx.MultiDiGraph(); g.add_node("a", id="a", label_ja="A", **{"class": "Agency"})
    >>> g.add_node("p", id="p", label_ja="P", **{"class": "Program"}); _ = g.add_edge("p", "a", predicate="administeredBy")
    >>> focus_view(g, "a").nodes
    2
    """
    selection = select_focus(nxg, focus, depth, limit if limit else None)
    drawn = focus_graph(nxg, selection)
    for s, o, _key, data in drawn.edges(keys=True, data=True):
        if focus not in (s, o):
            data["curved"] = True
        data.setdefault("label", "")  # colour tells the relation (legend); the tooltip names it
    positions, member_positions = focus_positions(drawn, selection, nxg)
    nodes, edges, legend = encode_network(drawn, positions, size_by=size_by, lang=lang, largest=LARGEST_NODE)
    visible = {n for n in drawn if not str(n).startswith("group:")}
    groups = {g.key: _expansion(nxg, g, {**positions, **member_positions[g.key]}, visible, lang)
              for g in selection.groups}
    legend["classes"] = [c for c in legend["classes"] if c["name"] != "Group"]
    if selection.groups:
        legend["extra"] = ["dashed box: a count node — click it to show its members", *legend["extra"]]
    page_notes = [n for n in (*notes, describe(selection)) if n]
    html = render_page(title, nodes, edges, vis_options(len(nodes)), legend, page_notes, groups=groups)
    return ViewResult(html=html, nodes=len(nodes), edges=len(edges), note=" ".join(page_notes), notes=page_notes)
