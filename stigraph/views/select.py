"""Which part of the graph a view shows: ego networks and the class/theme/year/org filters.

Filters combine with AND and each returns an induced subgraph, so every edge shown is a real
relation between two shown nodes. Themes and organizations are referred to by curated id.
"""
from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from stigraph.errors import UserError

# Relations that point from a part of an organization's portfolio towards the organization
# (program -> agency -> ministry): `--org X` keeps everything that reaches X along these.
PORTFOLIO_PREDICATES = frozenset({"administeredBy", "underJurisdictionOf", "subOrganizationOf", "managedBy",
                                  "fundedBy", "partOf", "responsibleMinistry", "overseenBy"})


def ego(nxg: nx.MultiDiGraph, center: str, depth: int = 1) -> nx.MultiDiGraph:
    """The nodes within `depth` relations of `center` (either direction) and the relations among them.

    >>> g = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("c", "d")])
    >>> sorted(ego(g, "b", 1))
    ['a', 'b', 'c']
    """
    if center not in nxg:
        raise UserError(f"{center!r} is not a node of this graph; check the id with `stigraph show {center}`")
    if depth < 0:
        raise UserError(f"--depth must be 0 or more, not {depth}")
    keep = nx.single_source_shortest_path_length(nxg.to_undirected(as_view=True), center, cutoff=depth)
    return nxg.subgraph(keep).copy()


def by_class(nxg: nx.MultiDiGraph, classes: Iterable[str]) -> set:
    """Nodes whose class is one of `classes` (case-insensitive)."""
    wanted = {c.lower() for c in classes}
    known = {str(d.get("class", "")).lower() for _n, d in nxg.nodes(data=True)}
    unknown = sorted(wanted - known)
    if unknown:
        raise UserError(f"no node of class {', '.join(unknown)} in this view; classes present: "
                        f"{', '.join(sorted(known)) or 'none'}")
    return {n for n, d in nxg.nodes(data=True) if str(d.get("class", "")).lower() in wanted}


def _theme_node(theme: str) -> str:
    return theme if theme.startswith("theme/") else f"theme/{theme}"


def by_theme(nxg: nx.MultiDiGraph, themes: Iterable[str]) -> set:
    """Entities tagged with one of `themes` (ids like `ai` or `theme/ai`), the theme nodes, and their direct neighbours.

    The neighbours (administering agency, funder, policy basis) give the tagged entities their context.
    """
    theme_nodes = [_theme_node(t) for t in themes]
    missing = [t for t in theme_nodes if t not in nxg]
    if missing:
        present = sorted(n[len("theme/"):] for n in nxg if str(n).startswith("theme/"))
        raise UserError(f"unknown theme {missing[0][len('theme/'):]!r}; themes: {', '.join(present) or 'none'}")
    tagged = {s for s, o, d in nxg.edges(data=True) if o in theme_nodes and d.get("predicate") == "hasTheme"}
    context = {m for n in tagged for m in nx.all_neighbors(nxg, n)
               if nxg.nodes[m].get("class") != "Theme" or m in theme_nodes}
    return tagged | set(theme_nodes) | context


def active_in(data: dict, year: int) -> bool | None:
    """Whether a node is active in fiscal `year` (budget figure, period or decision); None if it has no dates.

    >>> active_in({"budget_years": [2020, 2021]}, 2021), active_in({"period_start": 2022}, 2021), active_in({}, 2021)
    (True, False, None)
    """
    dated = False
    if data.get("budget_years"):
        dated = True
        if year in data["budget_years"]:
            return True
    start = data.get("period_start") or data.get("decided_year")
    end = data.get("period_end")
    if start or end:
        dated = True
        if (start or year) <= year <= (end or year):
            return True
    return False if dated else None


def by_year(nxg: nx.MultiDiGraph, years: Iterable[int]) -> set:
    """Dated nodes active in one of `years`, plus undated nodes (organizations, themes) next to one of them."""
    years = list(years)
    states = {n: [active_in(d, y) for y in years] for n, d in nxg.nodes(data=True)}
    active = {n for n, s in states.items() if any(v is True for v in s)}
    undated = {n for n, s in states.items() if all(v is None for v in s)}
    return active | {m for n in active for m in nx.all_neighbors(nxg, n) if m in undated}


def by_org(nxg: nx.MultiDiGraph, orgs: Iterable[str]) -> set:
    """Each organization and everything that reaches it along portfolio relations (units, programs, funds …)."""
    portfolio = nx.DiGraph()
    portfolio.add_nodes_from(nxg.nodes)
    portfolio.add_edges_from((s, o) for s, o, d in nxg.edges(data=True) if d.get("predicate") in PORTFOLIO_PREDICATES)
    keep: set = set()
    for org in orgs:
        if org not in nxg:
            raise UserError(f"--org {org!r} is not an entity id in this graph; find the id with `stigraph show NAME`")
        keep |= {org} | nx.ancestors(portfolio, org)
    return keep


def apply_filters(nxg: nx.MultiDiGraph, classes: Iterable[str] = (), themes: Iterable[str] = (),
                  years: Iterable[int] = (), orgs: Iterable[str] = (), always: Iterable[str] = ()) -> nx.MultiDiGraph:
    """The subgraph induced by the nodes that pass every given filter (nodes in `always` are kept regardless).

    >>> g = nx.MultiDiGraph(); g.add_node("a", **{"class": "Agency"}); g.add_node("p", **{"class": "Program"})
    >>> sorted(apply_filters(g, classes=["agency"]))
    ['a']
    """
    keep = set(nxg.nodes)
    classes, themes, years, orgs = list(classes), list(themes), list(years), list(orgs)
    if orgs:
        keep &= by_org(nxg, orgs)
    if themes:
        keep &= by_theme(nxg, themes)
    if years:
        keep &= by_year(nxg, years)
    if classes:
        keep &= by_class(nxg, classes)
    keep |= {n for n in always if n in nxg}
    return nxg.subgraph(keep).copy()


def describe_filters(classes=(), themes=(), years=(), orgs=(), focus: str | None = None, depth: int = 1) -> str:
    """One line saying what the view was restricted to, for the page header.

    >>> describe_filters(classes=["Program"], years=[2021])
    'filtered: class Program; year 2021'
    """
    parts = []
    if focus:
        parts.append(f"within {depth} relation(s) of {focus}")
    for name, values in (("class", classes), ("theme", themes), ("year", years), ("org", orgs)):
        if values:
            parts.append(f"{name} {', '.join(str(v) for v in values)}")
    return ("filtered: " + "; ".join(parts)) if parts else ""
