"""SHACL checks of a change: the nodes an added or removed input touches, checked in memory with the context
the rest of the store gives them.

A full check of a large store reads every quad; a change needs only its own nodes. The caller loads what
is added into an in-memory store (`added`); this module adds, from the store as it was (`before`, minus
the graphs being dropped), every other quad about those nodes and the classes of the nodes they point
at, then runs the shapes on that small graph and keeps the results whose focus is a touched node. The
on-disk load of the change can run meanwhile (pyoxigraph releases the GIL).

>>> before, added = ox.Store(), ox.Store()
>>> report = check_change(added, before)
>>> report.conforms
True
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

import pyoxigraph as ox

from stigraph.ontology.vocabulary import shapes_path
from stigraph.sparql.internal import internal_query
from stigraph.validation.report import ValidationReport
from stigraph.validation.shacl_fast import RDF_TYPE, RDFS_SUBCLASS, ShapeChecker, report_of

BATCH = 5_000
"""Nodes per VALUES block when the context is read from the store."""
CONTEXT_GRAPH = ox.NamedNode("urn:stigraph:context")
"""Where a check's in-memory copy keeps what the store says about the checked nodes."""


def _batches(items: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def touched_subjects(store: ox.Store, graphs: Iterable[str]) -> set[ox.NamedNode]:
    """The IRI subjects of the given named graphs of a store."""
    graphs = list(graphs)
    if not graphs:
        return set()
    return {row[0] for row in store.query(internal_query("graph-subjects", ("g",), [(g,) for g in graphs]))}


def _load_context(added: ox.Store, store: ox.Store, name: str, variable: str, nodes: Iterable[ox.NamedNode],
                  dropped: set[str]) -> None:
    """Load into `added`'s context graph the triples an internal CONSTRUCT query gives for `nodes` (bound in
    batches), leaving out what the dropped graphs state; serialised and parsed in Oxigraph, never a Python
    object per row (a sheet year's context is millions of rows)."""
    nodes = sorted(nodes, key=str)
    for batch in _batches(nodes):
        triples = store.query(internal_query(name, (variable,), [(n,) for n in batch], not_in_graphs=sorted(dropped)))
        added.load(triples.serialize(format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.N_TRIPLES,
                   to_graph=CONTEXT_GRAPH)


PROBE_COST = 10
"""About how many quads Oxigraph reads in one scan in the time it looks up one node bound in VALUES."""


def add_context(added: ox.Store, before: ox.Store, nodes: set[ox.NamedNode], dropped: set[str],
                 before_quads: int | None) -> None:
    """Copy into `added` what `before` (outside the dropped graphs) says about `nodes`, and their objects' classes.

    Either each node is looked up (a large store, a small change) or the store is read once and filtered
    (a small store, a large change: importing 200k triples into the bundled graph), whichever reads less.
    """
    objects_before = {row[0] for row in added.query(internal_query("graph-iri-objects"))}
    if before_quads is not None and before_quads < PROBE_COST * (len(nodes) + len(objects_before)):
        _scan_context(added, before, nodes, objects_before, dropped)
        return
    _load_context(added, before, "node-quads-construct", "s", nodes, dropped)
    objects = {row[0] for row in added.query(internal_query("graph-iri-objects"))}
    _load_context(added, before, "node-classes-construct", "o", objects, dropped)
    subclass = ox.NamedNode(RDFS_SUBCLASS)
    added.extend(ox.Quad(r["c"], subclass, r["d"], CONTEXT_GRAPH)
                 for r in before.query(internal_query("subclasses", not_in_graphs=sorted(dropped))))


def _scan_context(added: ox.Store, before: ox.Store, nodes: set[ox.NamedNode], objects: set[ox.NamedNode],
                  dropped: set[str]) -> None:
    """The context of `_add_context` by reading `before` once: quads about the nodes, then the classes of every
    node those quads and the added ones point at, and every subclass statement."""
    rdf_type, subclass = ox.NamedNode(RDF_TYPE), ox.NamedNode(RDFS_SUBCLASS)
    about, classes = [], {}
    for quad in before.quads_for_pattern(None, None, None):
        if getattr(quad.graph_name, "value", None) in dropped:
            continue
        if quad.subject in nodes or quad.predicate == subclass:
            about.append(ox.Quad(quad.subject, quad.predicate, quad.object, CONTEXT_GRAPH))
        if quad.predicate == rdf_type:
            classes.setdefault(quad.subject, []).append(quad.object)
    added.extend(about)
    wanted = objects | {q.object for q in about if isinstance(q.object, ox.NamedNode)}
    added.extend(ox.Quad(node, rdf_type, cls, CONTEXT_GRAPH) for node in wanted for cls in classes.get(node, ()))


@lru_cache(maxsize=1)
def shape_predicates() -> frozenset[str]:
    """The predicates a shape result can depend on: every sh:path, rdf:type and rdfs:subClassOf."""
    from rdflib import Graph, URIRef

    shapes = Graph().parse(str(shapes_path()), format="turtle")
    paths = {str(o) for o in shapes.objects(None, URIRef("http://www.w3.org/ns/shacl#path"))}
    return frozenset(paths | {RDF_TYPE, RDFS_SUBCLASS})


def can_change_results(added: ox.Store, before: ox.Store, dropped_graphs: Iterable[str]) -> bool:
    """False when the change adds and removes no triple whose predicate a shape looks at: then no shape
    result can change (a user's RDF in its own vocabulary), and the check is skipped."""
    used = {row[0].value for row in added.query(internal_query("graph-predicates"))}
    dropped = list(dropped_graphs)
    if dropped:
        used |= {row[0].value for row in before.query(internal_query("dropped-predicates", ("g",), [(g,) for g in dropped]))}
    return bool(used & shape_predicates())


def check_change(added: ox.Store, before: ox.Store, dropped_graphs: Iterable[str] = (),
                 before_quads: int | None = None) -> ValidationReport:
    """The shapes' results for the nodes the change touches, as they will be after the change.

    `added` (in memory; it is extended with context) holds the quads being added; `before` is the store
    as it is now; `dropped_graphs` are the graphs the change removes (or replaces): their subjects are
    checked too, with what remains about them. `before_quads` (the store's size, if known) lets the context
    be read in whichever way reads less.
    """
    dropped = set(dropped_graphs)
    if not can_change_results(added, before, dropped):
        return ValidationReport(conforms=True, violations=[], warnings=[], triples=len(added))
    nodes = {row[0] for row in added.query(internal_query("graph-subjects"))}
    nodes |= touched_subjects(before, dropped)
    add_context(added, before, nodes, dropped, before_quads)
    keys = {n.value for n in nodes}
    findings = [f for f in ShapeChecker(shapes_path()).findings(added) if f.focus in keys]
    return report_of(findings, added, len(added))

