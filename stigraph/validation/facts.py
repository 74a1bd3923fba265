"""What the SHACL shapes read of a graph, in Python tables by subject: classes, subclass links, path values.

Two ways to fill them, one interface for `stigraph.validation.checker.ShapeChecker`:
- `Facts`: one pass over a stream of parsed quads (a change's file, one part of a large change, the context
  the store gives it), keeping only what a shape reads. No in-memory store in between: loading a change
  into one and reading it back by path cost about as much again as the check itself.
- `StoreFacts`: a store read one path at a time as the checker asks, each path's values dropped once
  its last shape is done (a whole store in memory: 1M quads are ~1M Python objects per path table).

Nodes are keyed by their IRI, blank nodes by "_:" + their label (how findings name a focus).
"""
from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from stigraph.ontology.vocabulary import STIG
from stigraph.validation.shacl_fast import RDF_TYPE, RDFS_SUBCLASS

SOURCE_PATHS = tuple(str(STIG[local]) for local in ("source", "document", "fileName", "line"))
"""The paths a report follows from a node to the file and line it was stated at (`entity_sources`)."""


def term_key(term: ox.NamedNode | ox.BlankNode) -> str:
    """How a node is keyed in the tables and named in findings."""
    return term.value if type(term) is ox.NamedNode else f"_:{term.value}"


class Facts:
    """The tables of what the shapes read, filled from quads (or triples) as they are parsed.

    Quads added as `checked` are the change: their subjects are the nodes to check, their predicates tell
    whether any shape can care, and their longest literal is noted. Context quads only inform.
    """

    def __init__(self, paths: Iterable[str], class_paths: Iterable[str] = ()) -> None:
        self.types: dict[str, set[str]] = {}
        self.parents: dict[str, set[str]] = {}               # class -> its direct subclasses
        self._tables: dict[str, dict[str, set]] = {path: {} for path in (*paths, *SOURCE_PATHS)}
        self._class_paths = frozenset(class_paths)
        self.subjects: dict[str, ox.NamedNode | ox.BlankNode] = {}   # of checked quads
        self.class_objects: set[ox.NamedNode] = set()        # IRIs whose classes a sh:class test needs
        self.predicates: set[str] = set()                     # of checked quads
        self.quads = 0                                        # checked quads read
        self.longest_literal: tuple[int, str] = (0, "")       # (characters, subject) among checked quads

    def add(self, quads: Iterable[ox.Quad | ox.Triple], checked: bool = True) -> None:
        """Index `quads`; parse errors of a lazy stream (SyntaxError) propagate to the caller."""
        tables, types, parents, class_paths = self._tables, self.types, self.parents, self._class_paths
        subjects, predicates = self.subjects, self.predicates
        named, literal = ox.NamedNode, ox.Literal
        longest, count = self.longest_literal, 0
        for quad in quads:
            subject, predicate, obj = quad.subject, quad.predicate.value, quad.object
            key = subject.value if type(subject) is named else f"_:{subject.value}"
            if checked:
                count += 1
                subjects[key] = subject
                predicates.add(predicate)
                if type(obj) is literal and len(obj.value) > longest[0]:
                    longest = (len(obj.value), key)
            if predicate == RDF_TYPE:
                types.setdefault(key, set()).add(obj.value)
            elif predicate == RDFS_SUBCLASS:
                parents.setdefault(obj.value, set()).add(subject.value)
            table = tables.get(predicate)
            if table is not None:
                table.setdefault(key, set()).add(obj)
                if predicate in class_paths and type(obj) is named:
                    self.class_objects.add(obj)
        self.quads += count
        self.longest_literal = longest

    def add_types(self, node: ox.NamedNode, classes: Iterable[str]) -> None:
        """Classes of a node known from elsewhere (the change's other parts)."""
        found = list(classes)
        if found:
            self.types.setdefault(node.value, set()).update(found)

    def values(self, path: str) -> dict[str, set]:
        return self._tables.get(path, {})

    def release(self, path: str) -> None:
        """Nothing to free: the tables are the facts."""

    def source_store(self) -> ox.Store:
        """The statements leading from nodes to their source files and lines, as a store for `entity_sources`."""
        store = ox.Store()
        for path in SOURCE_PATHS:
            predicate = ox.NamedNode(path)
            store.extend(ox.Quad(_node(key), predicate, value) for key, found in self._tables[path].items()
                         for value in found)
        return store


def _node(key: str) -> ox.NamedNode | ox.BlankNode:
    return ox.BlankNode(key[2:]) if key.startswith("_:") else ox.NamedNode(key)


class StoreFacts:
    """The same tables read from a store, one path when first asked and dropped on `release`."""

    def __init__(self, db: ox.Store, uses: dict[str, int]) -> None:
        self._db, self._uses, self._tables = db, dict(uses), {}
        self.types: dict[str, set[str]] = {}
        for quad in db.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), None):
            self.types.setdefault(term_key(quad.subject), set()).add(quad.object.value)
        self.parents: dict[str, set[str]] = {}
        for quad in db.quads_for_pattern(None, ox.NamedNode(RDFS_SUBCLASS), None):
            self.parents.setdefault(quad.object.value, set()).add(quad.subject.value)

    def values(self, path: str) -> dict[str, set]:
        if path not in self._tables:
            table: dict[str, set] = {}
            for quad in self._db.quads_for_pattern(None, ox.NamedNode(path), None):
                table.setdefault(term_key(quad.subject), set()).add(quad.object)
            self._tables[path] = table
        return self._tables[path]

    def release(self, path: str) -> None:
        self._uses[path] = self._uses.get(path, 1) - 1
        if self._uses[path] <= 0:
            self._tables.pop(path, None)
