"""Node details the projection does not carry: every budget figure, entity source lines, periods.

Read straight from the pyoxigraph store with `quads_for_pattern` (DESIGN §7: no rdflib term
conversion on bulk reads). Tooltips show these; the `--year` filter uses them.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import networkx as nx
import pyoxigraph as ox

from stigraph.sparql.graph import StiGraph
from stigraph.graph.projection import locators, node_id
from stigraph.ontology.vocabulary import STIG

_STIG = str(STIG)


def _pred(name: str) -> ox.NamedNode:
    return ox.NamedNode(f"{_STIG}{name}")


def _objects(db: ox.Store, name: str) -> dict[str, str]:
    return {q.subject.value: q.object.value for q in db.quads_for_pattern(None, _pred(name), None)}


def add_details(graph: StiGraph, nxg: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Attach `budgets` [(fy, kind, yen)] newest first, `sources`, `period_start/end`, `decided_year`, `section`.

    >>> from stigraph.builder.inputs import collect_quads  # doctest: +SKIP
    >>> g = StiGraph.from_nquads(collect_quads()); nxg = add_details(g, to_networkx(g))  # doctest: +SKIP
    """
    db = graph.store
    locator_text = locators(db)
    sources: dict[str, set[str]] = defaultdict(set)
    for q in db.quads_for_pattern(None, _pred("source"), None):
        nid = node_id(q.subject.value)
        if nid in nxg:
            sources[nid].add(locator_text.get(q.object.value, node_id(q.object.value)))
    for nid, found in sources.items():
        nxg.nodes[nid]["sources"] = sorted(found)
    amounts, years, kinds = _objects(db, "amount"), _objects(db, "fiscalYear"), _objects(db, "budgetKind")
    budgets: dict[str, list[tuple[int, str, int]]] = defaultdict(list)
    for q in db.quads_for_pattern(None, _pred("budgetOf"), None):
        entry, owner = q.subject.value, node_id(q.object.value)
        if owner in nxg and entry in amounts and entry in years:
            kind = kinds.get(entry, "").rsplit("#", 1)[-1] or "budget"
            budgets[owner].append((int(years[entry][:4]), kind, int(Decimal(amounts[entry]))))
    for owner, entries in budgets.items():
        nxg.nodes[owner]["budgets"] = sorted(set(entries), key=lambda e: (-e[0], e[1], -e[2]))
        nxg.nodes[owner]["budget_years"] = sorted({e[0] for e in entries})
    for subject, value in _objects(db, "section").items():
        nid = node_id(subject)
        if nid in nxg:
            nxg.nodes[nid]["section"] = value
    for name, attr in (("periodStart", "period_start"), ("periodEnd", "period_end"), ("dateDecided", "decided_year")):
        for subject, value in _objects(db, name).items():
            nid = node_id(subject)
            if nid in nxg and value[:4].isdigit():
                nxg.nodes[nid][attr] = int(value[:4])
    return nxg
