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

import pyoxigraph as ox

from stigraph.ontology.vocabulary import shapes_path
from stigraph.sparql.internal import internal_query
from stigraph.validation.report import ValidationReport, Violation
from stigraph.validation.shacl_fast import RDF_TYPE, RDFS_SUBCLASS, ShapeChecker, _short, entity_sources, node_id

BATCH = 5_000
"""Nodes per VALUES block when the context is read from the store."""
_CONTEXT_GRAPH = ox.NamedNode("urn:stigraph:context")


def _batches(items: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def touched_subjects(store: ox.Store, graphs: Iterable[str]) -> set[ox.NamedNode]:
    """The IRI subjects of the given named graphs of a store."""
    graphs = list(graphs)
    if not graphs:
        return set()
    return {row[0] for row in store.query(internal_query("graph-subjects", ("g",), [(g,) for g in graphs]))}


def _rows(store: ox.Store, name: str, variable: str, nodes: Iterable[ox.NamedNode], dropped: set[str]):
    """Rows of an internal query bound to `nodes` in batches, leaving out what the dropped graphs state."""
    nodes = sorted(nodes, key=str)
    for batch in _batches(nodes):
        yield from store.query(internal_query(name, (variable,), [(n,) for n in batch], not_in_graphs=sorted(dropped)))


def _add_context(added: ox.Store, before: ox.Store, nodes: set[ox.NamedNode], dropped: set[str]) -> None:
    """Copy into `added` what `before` (outside the dropped graphs) says about `nodes`, and their objects' classes."""
    added.extend(ox.Quad(r["s"], r["p"], r["o"], _CONTEXT_GRAPH) for r in _rows(before, "node-quads", "s", nodes, dropped))
    objects = {row[0] for row in added.query(internal_query("graph-iri-objects"))}
    rdf_type, subclass = ox.NamedNode(RDF_TYPE), ox.NamedNode(RDFS_SUBCLASS)
    added.extend(ox.Quad(r["o"], rdf_type, r["t"], _CONTEXT_GRAPH)
                 for r in _rows(before, "node-classes", "o", objects, dropped))
    added.extend(ox.Quad(r["c"], subclass, r["d"], _CONTEXT_GRAPH)
                 for r in before.query(internal_query("subclasses", not_in_graphs=sorted(dropped))))


def check_change(added: ox.Store, before: ox.Store, dropped_graphs: Iterable[str] = (),
                 removed_subjects: Iterable[ox.NamedNode] = ()) -> ValidationReport:
    """The shapes' results for the nodes of `added` and `removed_subjects`, as they will be after the change.

    `added` (in memory; it is extended with context) holds the quads being added; `before` is the store
    as it is now; `dropped_graphs` are the graphs the change removes (or replaces).
    """
    dropped = set(dropped_graphs)
    nodes = {row[0] for row in added.query(internal_query("graph-subjects"))}
    nodes |= set(removed_subjects)
    _add_context(added, before, nodes, dropped)
    keys = {n.value for n in nodes}
    findings = [f for f in ShapeChecker(shapes_path()).findings(added) if f.focus in keys]
    sources = entity_sources(added, sorted({f.focus for f in findings}))
    violations, warnings = [], []
    for f in findings:
        item = Violation(focus=node_id(f.focus), path=_short(f.path) if f.path else "", message=f.message,
                         severity=f.severity, sources=sources.get(f.focus, []))
        (violations if f.severity == "Violation" else warnings).append(item)
    key = lambda v: (v.focus, v.path, v.message)  # noqa: E731
    return ValidationReport(conforms=not violations, violations=sorted(violations, key=key),
                            warnings=sorted(warnings, key=key), triples=len(added))
