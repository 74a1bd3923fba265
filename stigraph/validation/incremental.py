"""SHACL checks of a change: the nodes an added or removed input touches, checked with the context the rest
of the store gives them.

A full check of a large store reads every quad; a change needs only its own nodes. The change's quads are
read into the checker's tables (`stigraph.validation.facts.Facts`) as they are parsed; this module adds,
from the store as it was (`before`, minus the graphs being dropped), every other statement about those
nodes and the classes of the nodes they point at, then runs the shapes on the touched nodes. The on-disk
load of the change can run meanwhile (pyoxigraph releases the GIL while it parses and writes).

>>> report = check_change(ox.Store(), ox.Store())
>>> report.conforms
True
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from stigraph.errors import UserError
from stigraph.ontology.vocabulary import shapes_path
from stigraph.sparql.internal import internal_query
from stigraph.validation.checker import ShapeChecker
from stigraph.validation.facts import Facts
from stigraph.validation.report import ValidationReport
from stigraph.validation.shacl_fast import RDF_TYPE, RDFS_SUBCLASS, report_of

BATCH = 5_000
"""Nodes per VALUES block when the context is read from the store."""
PROBE_COST = 10
"""About how many quads Oxigraph reads in one scan in the time it looks up one node bound in VALUES."""


@dataclass
class ChangeFile:
    """One file a change loads: N-Quads written by stigraph, or a user's RDF file loaded into `to_graph`."""

    path: Path
    format: ox.RdfFormat
    to_graph: str | None = None
    base_iri: str | None = None
    label: str = ""                 # how errors name the file (the user's own path)

    def quads(self) -> Iterator[ox.Quad | ox.Triple]:
        """The file's statements, parsed strictly; a syntax error is a UserError naming the file and line."""
        try:
            yield from ox.parse(path=str(self.path), format=self.format, base_iri=self.base_iri)
        except SyntaxError as exc:
            raise UserError(f"{self.label or self.path}: not valid RDF: {str(exc).splitlines()[0]}") from None


@lru_cache(maxsize=1)
def shape_checker() -> ShapeChecker:
    """The bundled shapes, read once per process."""
    return ShapeChecker(shapes_path())


def touched_subjects(store: ox.Store, graphs: Iterable[str]) -> set[ox.NamedNode]:
    """The nodes whose results can change when the given named graphs are dropped: their IRI subjects, and
    the nodes elsewhere whose sh:class-tested values those graphs give a class."""
    graphs = sorted(graphs)
    if not graphs:
        return set()
    rows = [(g,) for g in graphs]
    nodes = {row[0] for row in store.query(internal_query("graph-subjects", ("g",), rows))}
    class_paths = set(shape_checker().class_paths)
    nodes.update(row[0] for row in store.query(internal_query("class-referrers", ("d",), rows, not_in_graphs=graphs))
                 if row[1].value in class_paths)
    return nodes


def _batches(items: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def add_context(facts: Facts, before: ox.Store, nodes: Iterable[ox.NamedNode], dropped: set[str],
                before_quads: int | None) -> None:
    """Add to `facts` what `before` (outside the dropped graphs) says about `nodes`, the classes of the nodes
    a sh:class test will look at, and every subclass statement.

    Either each node is looked up (a large store, a small change) or the store is read once and filtered
    (a small store, a large change: importing 200k triples into the bundled graph), whichever reads less.
    """
    nodes = sorted((n for n in nodes if type(n) is ox.NamedNode), key=str)
    if before_quads is not None and before_quads < PROBE_COST * (len(nodes) + len(facts.class_objects)):
        _scan_context(facts, before, nodes, dropped)
        return
    leave_out = sorted(dropped)
    for batch in _batches(nodes):
        facts.add(before.query(internal_query("node-quads-construct", ("s",), [(n,) for n in batch],
                                              not_in_graphs=leave_out)), checked=False)
    for batch in _batches(sorted(facts.class_objects, key=str)):
        facts.add(before.query(internal_query("node-classes-construct", ("o",), [(n,) for n in batch],
                                              not_in_graphs=leave_out)), checked=False)
    for row in before.query(internal_query("subclasses", not_in_graphs=leave_out)):
        facts.parents.setdefault(row["d"].value, set()).add(row["c"].value)


def _scan_context(facts: Facts, before: ox.Store, nodes: list[ox.NamedNode], dropped: set[str]) -> None:
    """The context of `add_context` by reading `before` once, graph by graph (the dropped ones skipped)."""
    wanted = {n.value for n in nodes}
    classes: dict[str, list[str]] = {}
    about = []
    for graph in [ox.DefaultGraph(), *before.named_graphs()]:
        if getattr(graph, "value", None) in dropped:
            continue
        for quad in before.quads_for_pattern(None, None, None, graph):
            predicate = quad.predicate.value
            if quad.subject.value in wanted or predicate == RDFS_SUBCLASS:
                about.append(quad)
            if predicate == RDF_TYPE:
                classes.setdefault(quad.subject.value, []).append(quad.object.value)
    facts.add(about, checked=False)
    for node in facts.class_objects:
        facts.add_types(node, classes.get(node.value, ()))


@lru_cache(maxsize=1)
def shape_predicates() -> frozenset[str]:
    """The predicates a shape result can depend on: every sh:path, rdf:type and rdfs:subClassOf."""
    return frozenset({*shape_checker().paths, RDF_TYPE, RDFS_SUBCLASS})


def can_change_results(predicates: Iterable[str], before: ox.Store, dropped_graphs: Iterable[str]) -> bool:
    """False when the change adds (`predicates`) and removes no triple whose predicate a shape looks at:
    then no shape result can change (a user's RDF in its own vocabulary), and the check is skipped."""
    used = set(predicates)
    dropped = list(dropped_graphs)
    if dropped:
        used |= {row[0].value for row in before.query(internal_query("dropped-predicates", ("g",), [(g,) for g in dropped]))}
    return bool(used & shape_predicates())


def check_facts(facts: Facts, before: ox.Store, dropped: set[str], also: Iterable[ox.NamedNode] = (),
                before_quads: int | None = None,
                more_types: Callable[[ox.NamedNode], Iterable[str]] | None = None) -> ValidationReport:
    """The shapes' results for the subjects of the change in `facts` and the nodes `also`, with their context
    from `before`; `more_types` gives classes known elsewhere of the nodes a sh:class test looks at. Warnings
    carry no source lines (an update reports only what refuses it)."""
    nodes = dict(facts.subjects)
    nodes.update((node.value, node) for node in also)
    add_context(facts, before, nodes.values(), dropped, before_quads)
    if more_types is not None:
        for node in facts.class_objects:
            facts.add_types(node, more_types(node))
    findings = shape_checker().check(facts, only=nodes.keys())
    sources = facts.source_store() if any(f.severity == "Violation" for f in findings) else ox.Store()
    return report_of(findings, sources, facts.quads, warning_sources=False)


def check_change(added: ox.Store | Iterable[ChangeFile], before: ox.Store, dropped_graphs: Iterable[str] = (),
                 before_quads: int | None = None,
                 longest_literals: dict[str, tuple[int, str]] | None = None) -> ValidationReport:
    """The shapes' results for the nodes the change touches, as they will be after the change.

    `added` is what the change adds: an (in-memory) store or the files it loads, parsed strictly here;
    `before` is the store as it is now; `dropped_graphs` are the graphs the change removes (or replaces):
    their subjects are checked too, with what remains about them. `before_quads` (the store's size, if
    known) lets the context be read in whichever way reads less. `longest_literals`, if given, receives
    for each file (by label) the longest literal it states: (characters, subject).
    """
    dropped = set(dropped_graphs)
    facts = shape_checker().facts()
    longest = longest_literals if longest_literals is not None else {}
    if isinstance(added, ox.Store):
        facts.add(added.quads_for_pattern(None, None, None))
    else:
        for file in added:
            facts.longest_literal = (0, "")
            facts.add(file.quads())
            longest[file.label or str(file.path)] = facts.longest_literal
    if not can_change_results(facts.predicates, before, dropped):
        return ValidationReport(conforms=True, violations=[], warnings=[], triples=facts.quads)
    return check_facts(facts, before, dropped, touched_subjects(before, dropped), before_quads)
