"""Which neighbours a focus view shows: ranked, capped, with hubs and bulk relations folded into count nodes.

A plain ego network of JST has 110 nodes, of MEXT 580: unreadable. A focus view instead
- ranks the neighbours (relation kind first, then budget, class and connectedness) and shows the
  best `limit` of them;
- folds bulk relations (strategy measures, mentions, the measures a ministry is responsible for) and whatever
  the limit leaves out into count nodes such as 「58 measures」 that the page expands on click;
- at depth 2 walks on only from shown neighbours that are not hubs (themes, or nodes with more than
  HUB_DEGREE relations, such as MEXT), so a second step does not pull in half the graph.
The result is a `FocusSelection`; `focus_graph` turns it into the networkx graph the page draws.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx

from stigraph.errors import UserError

DEFAULT_LIMIT = 40      # neighbours shown by default
MAX_VISIBLE = 60        # shown neighbours + count nodes + the focus never exceed this
HUB_DEGREE = 40         # a node with more relations is a hub: depth 2 does not walk through it
HUB_CLASSES = frozenset({"Theme"})
BULK_PREDICATES = frozenset({"mentions", "responsibleMinistry"})
BULK_CLASSES = frozenset({"Measure"})
SMALL_BULK = 3          # a bulk group this small is shown as nodes, not folded
MIN_GROUP = 3           # smaller count groups merge into one 「N more」 node per anchor and side
# How much a relation tells about the focus: structure and money first, context next, tags last.
RELATION_WEIGHT = {
    "administeredBy": 3.0, "underJurisdictionOf": 3.0, "subOrganizationOf": 3.0, "managedBy": 3.0,
    "fundedBy": 3.0, "partOf": 2.8, "operates": 2.5, "succeeds": 2.3, "overseenBy": 2.2, "basedOn": 2.0,
    "decidedBy": 2.0, "participatesIn": 1.8, "collaboratesWith": 1.8, "overlapsWith": 1.8,
    "responsibleMinistry": 1.0, "mentions": 0.8, "hasTheme": 0.8,
}
CLASS_WEIGHT = {"Program": 0.5, "Fund": 0.5, "Agency": 0.5, "Ministry": 0.4, "Unit": 0.4, "Council": 0.3,
                "BudgetAccount": 0.3, "Plan": 0.3, "Strategy": 0.3, "Law": 0.2, "Facility": 0.2}
PLURALS = {"Policy": "policies", "Facility": "facilities", "BudgetAccount": "budget accounts", "Strategy": "strategies"}


@dataclass(frozen=True)
class Link:
    """One relation from an anchor (the focus or a shown neighbour) to a neighbour, in its own direction."""

    anchor: str
    node: str
    predicate: str
    outgoing: bool          # True: anchor -predicate-> node
    distance: int


@dataclass
class CountGroup:
    """Neighbours folded into one count node: same anchor, relation, direction and class; best first."""

    key: str
    anchor: str
    predicate: str
    outgoing: bool
    cls: str
    members: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)

    @property
    def label(self) -> str:
        """「58 measures」: the count and the class in the plural.

        >>> CountGroup("g", "jst", "responsibleMinistry", False, "Measure", ["a", "b"]).label
        '2 measures'
        """
        if self.cls == "*":
            return f"{len(self.members)} more"
        noun = PLURALS.get(self.cls, f"{self.cls.lower()}s") if len(self.members) != 1 else self.cls.lower()
        noun = noun[:-2] + "ies" if noun.endswith("ys") else noun
        return f"{len(self.members)} {noun}"


@dataclass
class FocusSelection:
    """What a focus view draws: the focus, the shown neighbours (with the link that brought each) and count nodes."""

    focus: str
    depth: int
    shown: dict[str, Link]
    groups: list[CountGroup]
    total_neighbours: int
    dropped: int = 0        # depth-2 neighbours neither shown nor in a count node (too many groups)

    def visible_count(self) -> int:
        """Nodes on the page before any click: focus + shown + count nodes."""
        return 1 + len(self.shown) + len(self.groups)


def is_hub(nxg: nx.MultiDiGraph, node) -> bool:
    """Themes, and nodes with more than HUB_DEGREE relations (MEXT, CSTI's secretariat …)."""
    return nxg.nodes[node].get("class") in HUB_CLASSES or nxg.degree(node) > HUB_DEGREE


def score(nxg: nx.MultiDiGraph, link: Link) -> float:
    """How relevant a neighbour is to the focus: relation kind, latest budget, class, connectedness, distance.

    >>> g = nx.MultiDiGraph(); g.add_node("p", **{"class": "Program"}, budget_latest_yen=10**10); g.add_node("t", **{"class": "Theme"})
    >>> score(g, Link("f", "p", "administeredBy", False, 1)) > score(g, Link("f", "t", "hasTheme", True, 1))
    True
    """
    data = nxg.nodes[link.node]
    value = RELATION_WEIGHT.get(link.predicate, 1.5) + CLASS_WEIGHT.get(data.get("class", ""), 0.0)
    yen = data.get("budget_latest_yen") or 0
    if yen > 0:
        value += min(1.5, math.log10(1 + yen / 1e8) / 2)   # 1億円 ≈ +0.15, 100億円 ≈ +1, 1,000億円 = +1.5
    value += 0.1 * math.log2(1 + nxg.degree(link.node))
    return value * (0.6 if link.distance > 1 else 1.0)


def _links(nxg: nx.MultiDiGraph, anchor, distance: int, skip: set) -> dict[str, Link]:
    """The neighbours of `anchor` not in `skip`, each with its most telling relation to the anchor."""
    found: dict[str, Link] = {}
    for outgoing, edges in ((True, nxg.out_edges(anchor, data="predicate")), (False, nxg.in_edges(anchor, data="predicate"))):
        for s, o, predicate in edges:
            other = o if outgoing else s
            if other == anchor or other in skip:
                continue
            link = Link(anchor, other, str(predicate), outgoing, distance)
            best = found.get(other)
            if best is None or RELATION_WEIGHT.get(link.predicate, 1.5) > RELATION_WEIGHT.get(best.predicate, 1.5):
                found[other] = link
    return found


def _is_bulk(nxg: nx.MultiDiGraph, link: Link) -> bool:
    """Strategy measures, mentions, and the measures/programs that name a ministry responsible (seen from the ministry).

    A program's own responsible ministries and themes are few and telling: they are not bulk.
    """
    if nxg.nodes[link.node].get("class") in BULK_CLASSES:
        return True
    if link.predicate == "responsibleMinistry":
        return not link.outgoing
    return link.predicate in BULK_PREDICATES


def _class(nxg: nx.MultiDiGraph, node) -> str:
    return str(nxg.nodes[node].get("class", "?"))


class _Folder:
    """Collects folded neighbours into count groups: bulk relations by relation and class, overflow by class."""

    def __init__(self, nxg: nx.MultiDiGraph):
        self.nxg = nxg
        self.groups: dict[tuple, CountGroup] = {}

    def fold(self, link: Link, bulk: bool) -> None:
        cls = _class(self.nxg, link.node)
        key = (link.anchor, link.predicate if bulk else "", link.outgoing, cls)
        if key not in self.groups:
            self.groups[key] = CountGroup("", link.anchor, link.predicate, link.outgoing, cls)
        group = self.groups[key]
        if group.predicate != link.predicate:
            group.predicate = "related"  # an overflow group mixing relations
        group.members.append(link.node)
        group.links.append(link)

    def finish(self, shown: dict[str, Link]) -> list[CountGroup]:
        """Groups of fewer than MIN_GROUP merge per anchor and side into 「N more」; a lone leftover is shown."""
        kept, small = [], defaultdict(list)
        for group in self.groups.values():
            (kept if len(group.members) >= MIN_GROUP else small[(group.anchor, group.outgoing)]).append(group)
        for (anchor, outgoing), groups in small.items():
            links = [link for g in groups for link in g.links]
            if len(links) == 1:
                shown[links[0].node] = links[0]
                continue
            kept.append(CountGroup("", anchor, "related", outgoing, "*", [x.node for x in links], links))
        kept.sort(key=lambda g: (g.anchor, not g.outgoing, g.cls, g.predicate))
        for index, group in enumerate(kept, 1):
            group.key = f"group:{index}"
        return kept


def select_focus(nxg: nx.MultiDiGraph, focus: str, depth: int = 1, limit: int | None = DEFAULT_LIMIT) -> FocusSelection:
    """The neighbours a focus view shows and the count nodes for the rest (`limit=None`: every neighbour, no folding).

    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from([(f"m{i}", {"class": "Measure"}) for i in range(9)] + [("jst", {"class": "Agency"})])
    >>> _ = g.add_edges_from([(f"m{i}", "mext", {"predicate": "responsibleMinistry"}) for i in range(9)])
    >>> _ = g.add_edge("jst", "mext", predicate="underJurisdictionOf")
    >>> sel = select_focus(g, "mext")
    >>> sorted(sel.shown), [grp.label for grp in sel.groups]
    (['jst'], ['9 measures'])
    """
    if focus not in nxg:
        raise UserError(f"{focus!r} is not a node of this graph; check the id with `stigraph show {focus}`")
    if depth < 0:
        raise UserError(f"depth must be 0 or more, not {depth}")
    if limit is not None and limit < 0:
        raise UserError(f"limit must be 0 or more, not {limit}")
    first = _links(nxg, focus, 1, {focus}) if depth >= 1 else {}
    if limit is None:
        return _everything(nxg, focus, depth, first)
    folder = _Folder(nxg)
    shown: dict[str, Link] = {}

    def place(candidates: dict[str, Link], quota: int) -> None:
        by_group: dict[tuple, list[Link]] = defaultdict(list)
        for link in candidates.values():
            by_group[(link.anchor, link.predicate, link.outgoing, _class(nxg, link.node))].append(link)
        ranked = []
        for members in by_group.values():
            if _is_bulk(nxg, members[0]) and len(members) > SMALL_BULK:
                for link in sorted(members, key=lambda x: (-score(nxg, x), str(x.node))):
                    folder.fold(link, bulk=True)
            else:
                ranked += members
        ranked.sort(key=lambda x: (-score(nxg, x), str(x.node)))
        for link in ranked:
            if len(shown) < quota:
                shown[link.node] = link
            else:
                folder.fold(link, bulk=False)

    place(first, limit if depth <= 1 else max(1, math.ceil(limit * 0.6)))
    total = len(first)
    if depth >= 2:
        seen = set(first) | {focus}
        second: dict[str, Link] = {}
        for anchor, link in list(shown.items()):
            if is_hub(nxg, anchor) or _is_bulk(nxg, link):
                continue
            for node, nxt in _links(nxg, anchor, 2, seen | set(second)).items():
                if not _is_bulk(nxg, nxt) and not is_hub(nxg, node):
                    second[node] = nxt
        total += len(second)
        place(second, limit)
        _promote(nxg, shown, folder, limit)
    selection = FocusSelection(focus, depth, shown, folder.finish(shown), total)
    _cap_visible(selection)
    return selection


def _everything(nxg: nx.MultiDiGraph, focus: str, depth: int, first: dict[str, Link]) -> FocusSelection:
    """Every node within `depth` relations, nothing folded (the plain ego network)."""
    shown = dict(first)
    frontier = list(first)
    for distance in range(2, depth + 1):
        nxt = []
        for anchor in frontier:
            for node, link in _links(nxg, anchor, distance, set(shown) | {focus}).items():
                if node not in shown:
                    shown[node] = link
                    nxt.append(node)
        frontier = nxt
    return FocusSelection(focus, depth, shown, [], len(shown))


def _promote(nxg: nx.MultiDiGraph, shown: dict[str, Link], folder: _Folder, limit: int) -> None:
    """Fill room the second step left with the best folded neighbours of overflow groups."""
    spare = [(g, link) for g in folder.groups.values() for link in g.links if not _is_bulk(nxg, link)]
    spare.sort(key=lambda item: (-score(nxg, item[1]), str(item[1].node)))
    for group, link in spare[:max(0, limit - len(shown))]:
        shown[link.node] = link
        group.members.remove(link.node)
        group.links.remove(link)
    for key in [k for k, g in folder.groups.items() if not g.members]:
        del folder.groups[key]


def _cap_visible(selection: FocusSelection) -> None:
    """Keep focus + shown + count nodes within MAX_VISIBLE: merge an anchor's groups, then drop depth-2 groups."""
    if selection.visible_count() <= MAX_VISIBLE:
        return
    by_anchor: dict[str, list[CountGroup]] = defaultdict(list)
    for group in selection.groups:
        by_anchor[group.anchor].append(group)
    merged = []
    for anchor, groups in by_anchor.items():
        if anchor == selection.focus or len(groups) == 1:
            merged += groups
        else:
            merged.append(CountGroup(groups[0].key, anchor, "related", True, "*", [m for g in groups for m in g.members],
                                     [link for g in groups for link in g.links]))
    selection.groups = merged
    while selection.visible_count() > MAX_VISIBLE and selection.groups:
        outer = [g for g in selection.groups if g.anchor != selection.focus]
        victim = min(outer or selection.groups, key=lambda g: (len(g.members), g.key))
        selection.groups.remove(victim)
        selection.dropped += len(victim.members)


def focus_graph(nxg: nx.MultiDiGraph, selection: FocusSelection) -> nx.MultiDiGraph:
    """The graph a focus view draws: focus, shown neighbours and the relations among them, and one node per count group.

    A count node carries `group` (its CountGroup); its edge to the anchor carries the relation (colour,
    tooltip) and is as wide as the count is large.

    >>> g = nx.MultiDiGraph([("m1", "x", {"predicate": "responsibleMinistry"}), ("m2", "x", {"predicate": "responsibleMinistry"})])
    >>> sorted(focus_graph(g, select_focus(g, "x")))
    ['m1', 'm2', 'x']
    """
    keep = [selection.focus, *selection.shown]
    out = nxg.subgraph(keep).copy()
    out.nodes[selection.focus]["highlight"] = True
    for node, link in selection.shown.items():
        out.nodes[node]["focus_link"] = link
    for group in selection.groups:
        label = group.label
        out.add_node(group.key, id=group.key, caption_ja=label, caption_en=label, label_ja=label, label_en="",
                     alt_labels="", group=group, size_value=len(group.members), **{"class": "Group"},
                     extra_lines=_group_lines(nxg, group))
        start, end = (group.anchor, group.key) if group.outgoing else (group.key, group.anchor)
        out.add_edge(start, end, key=group.predicate, predicate=group.predicate, source="",
                     label="", width=1 + min(len(group.members), 50) ** 0.5,
                     dashes=True)
    return out


def _group_lines(nxg: nx.MultiDiGraph, group: CountGroup, shown: int = 8) -> list[str]:
    relation = group.predicate if group.outgoing else f"← {group.predicate}"
    lines = [f"{group.label} ({relation} {group.anchor})",
             "click to show them"]
    names = [nxg.nodes[m].get("caption_ja") or nxg.nodes[m].get("label_ja") or str(m) for m in group.members]
    lines += [f"  {n}" for n in names[:shown]]
    if len(names) > shown:
        lines.append(f"  … and {len(names) - shown} more")
    return lines
