"""Project the RDF graph onto a networkx MultiDiGraph of entities and their relations.

Read straight from the Oxigraph store with `quads_for_pattern`: converting every term to rdflib
objects would double the time on large graphs (DESIGN §7).
"""
from __future__ import annotations

from collections import defaultdict

import networkx as nx
import pyoxigraph as ox

from stigraph.sparql.budget import BudgetBook
from stigraph.sparql.graph import StiGraph
from stigraph.ontology.vocabulary import ENTITY_CLASSES, RELATIONS, STIG, node_id

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
PREF_LABEL = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
ALT_LABEL = ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
RDF_SUBJECT = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#subject")
RDF_PREDICATE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate")
RDF_OBJECT = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#object")

NODE_CLASSES = (*ENTITY_CLASSES, "BudgetProject")
"""The classes that become nodes: the entities, and review-sheet projects (payers of the RS data)."""
_STIG = str(STIG)


def relation_iris() -> dict[str, str]:
    """Predicate IRI -> short relation name for every relation projected as an edge."""
    return {iri: name for name, iri in RELATIONS.items()}


def locators(db: ox.Store) -> dict[str, str]:
    """Locator IRI -> "file:line" (or "curated: citation")."""
    files = {}
    for q in db.quads_for_pattern(None, ox.NamedNode("https://w3id.org/stigraph/ontology#fileName"), None):
        files[q.subject.value] = q.object.value
    out: dict[str, str] = {}
    for q in db.quads_for_pattern(None, ox.NamedNode(f"{_STIG}document"), None):
        out[q.subject.value] = files.get(q.object.value, node_id(q.object.value))
    for q in db.quads_for_pattern(None, ox.NamedNode(f"{_STIG}line"), None):
        if q.subject.value in out and ":" not in out[q.subject.value]:
            out[q.subject.value] = f"{out[q.subject.value]}:{q.object.value}"
    for q in db.quads_for_pattern(None, ox.NamedNode("http://purl.org/dc/terms/bibliographicCitation"), None):
        out[q.subject.value] = f"curated: {q.object.value}"
    return out


def to_networkx(graph: StiGraph, include_budgets: bool = True) -> nx.MultiDiGraph:
    """The entities as nodes (id, class, label_ja, label_en) and relations as edges (predicate, source).

    Budget entries are folded into node attributes by the budget rule (`stigraph.sparql.budget`):
    `budget_latest_fy`, `budget_latest_kind`, `budget_latest_yen`.

    >>> from stigraph.builder.inputs import collect_quads
    >>> g = to_networkx(StiGraph.from_nquads(collect_quads()))
    >>> g.nodes["jst"]["class"]
    'Agency'
    """
    db = graph.store
    nxg = nx.MultiDiGraph()
    classes = {f"{_STIG}{c}": c for c in NODE_CLASSES}
    for q in db.quads_for_pattern(None, RDF_TYPE, None):
        cls = classes.get(q.object.value)
        if cls and isinstance(q.subject, ox.NamedNode):
            nid = node_id(q.subject.value)
            # A node typed twice (e.g. Theme and skos:Concept) keeps the most specific stigraph class seen.
            if nid not in nxg or nxg.nodes[nid].get("class") in ("Policy", "Organization"):
                nxg.add_node(nid, id=nid, iri=q.subject.value, label_ja="", label_en="", alt_labels="",
                             **{"class": cls})
    for q in db.quads_for_pattern(None, PREF_LABEL, None):
        nid = node_id(q.subject.value)
        if nid in nxg:
            lang = q.object.language
            if lang in ("ja", "en"):
                nxg.nodes[nid][f"label_{lang}"] = q.object.value
    alts: dict[str, set[str]] = defaultdict(set)
    for q in db.quads_for_pattern(None, ALT_LABEL, None):
        alts[node_id(q.subject.value)].add(q.object.value)
    for nid, labels in alts.items():
        if nid in nxg:
            nxg.nodes[nid]["alt_labels"] = "; ".join(sorted(labels))
    locator_text = locators(db)
    sources: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    statement_parts: dict[str, dict[str, str]] = defaultdict(dict)
    for part, pred in (("s", RDF_SUBJECT), ("p", RDF_PREDICATE), ("o", RDF_OBJECT)):
        for q in db.quads_for_pattern(None, pred, None):
            statement_parts[q.subject.value][part] = q.object.value
    for q in db.quads_for_pattern(None, ox.NamedNode(f"{_STIG}source"), None):
        parts = statement_parts.get(q.subject.value)
        if parts and len(parts) == 3:
            sources[(parts["s"], parts["p"], parts["o"])].add(locator_text.get(q.object.value, node_id(q.object.value)))
    seen: set[tuple[str, str, str]] = set()
    for pred_iri, name in sorted(relation_iris().items()):
        for q in db.quads_for_pattern(None, ox.NamedNode(pred_iri), None):
            s, o = node_id(q.subject.value), node_id(q.object.value)
            key = (q.subject.value, pred_iri, q.object.value)
            if s not in nxg or o not in nxg or key in seen:
                continue
            seen.add(key)
            nxg.add_edge(s, o, key=name, predicate=name, source="; ".join(sorted(sources.get(key, ()))))
    if include_budgets:
        _fold_budgets(graph, nxg)
    return nxg


def _fold_budgets(graph: StiGraph, nxg: nx.MultiDiGraph) -> None:
    """Attach the figure that stands for each entity (the budget rule's `BudgetBook.latest`) as node attributes:
    `budget_latest_fy`, `budget_latest_kind`, `budget_latest_yen` (whole yen)."""
    book = BudgetBook.from_graph(graph, with_sources=False)  # the nodes carry no source lines of figures
    for owner in book.owners():
        latest = book.latest(owner)
        if latest is not None and owner in nxg:
            nxg.nodes[owner]["budget_latest_fy"] = latest.fiscal_year
            nxg.nodes[owner]["budget_latest_kind"] = latest.kind
            nxg.nodes[owner]["budget_latest_yen"] = int(latest.amount)
