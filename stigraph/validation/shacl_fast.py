"""SHACL validation on Oxigraph instead of pySHACL.

pySHACL needs the whole graph as an rdflib Graph: at 100k triples that is ~30 s of parsing and
~60 s of validation; at 1M, many minutes and gigabytes. stigraph's shapes use a small part of SHACL
Core, checked here straight on an Oxigraph store, with the same (focus node, path, severity,
message) results as pySHACL (bench/proposed/check_shacl_equivalence.py compares them, faults
included). Two engines over one reading of the shapes:
- `stigraph.validation.checker.ShapeChecker` (default): the shapes tested in Python over tables of
  what they read (`stigraph.validation.facts`), from a store or straight from parsed quads.
- `ShapeQueries` (here): one SPARQL query per constraint (~10 s at 1M in memory); the same queries can
  check a graph held by any SPARQL endpoint without downloading it.
Shapes outside the supported part raise `Unsupported`; the caller then falls back to pySHACL.

Supported: sh:targetClass (with rdfs:subClassOf in the data), property shapes with an IRI sh:path
and sh:minCount, sh:maxCount, sh:datatype, sh:class, sh:pattern (+ sh:flags), sh:uniqueLang,
sh:languageIn, sh:minInclusive, sh:severity, sh:message; node-level sh:or of property shapes that
carry only sh:minCount.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from stigraph.ontology.vocabulary import node_id
from stigraph.validation.report import ValidationReport, Violation
from stigraph.sparql.internal import internal_query

SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
XSD = "http://www.w3.org/2001/XMLSchema#"
# Lexical forms pySHACL (through rdflib) accepts for the datatypes the shapes use; others: datatype only.
WELL_FORMED = {
    XSD + "integer": r"^[+-]?[0-9]+$",
    XSD + "decimal": r"^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)$",
    XSD + "gYear": r"^-?[0-9]{4,}(Z|[+-][0-9]{2}:[0-9]{2})?$",
}
PROPERTY_KEYS = {"path", "minCount", "maxCount", "datatype", "class", "pattern", "flags", "uniqueLang", "languageIn",
                 "minInclusive", "severity", "message", "name", "description"}


class Unsupported(Exception):
    """The shapes use SHACL beyond what this validator translates."""


@dataclass(frozen=True)
class Finding:
    focus: str
    path: str
    severity: str
    message: str


def _short(iri) -> str:
    from stigraph.sparql.run import shorten

    return shorten(str(iri))


def _literal_text(literal) -> str:
    """How pySHACL writes a literal in its messages: Literal("1", datatype=xsd:integer)."""
    datatype = getattr(literal, "datatype", None)
    return f'Literal("{literal}"' + (f", datatype={_short(datatype)})" if datatype else ")")


def _term(node) -> str:
    """An rdflib term (from the shapes graph) in SPARQL syntax."""
    return node.n3()


def _list(shapes, head) -> list:
    from rdflib.collection import Collection

    return list(Collection(shapes, head))


def _values(shapes, subject, local: str) -> list:
    from rdflib import URIRef

    return list(shapes.objects(subject, URIRef(SH + local)))


def _one(shapes, subject, local: str):
    values = _values(shapes, subject, local)
    return values[0] if values else None


def _severity(shapes, shape) -> str:
    value = _one(shapes, shape, "severity")
    return str(value).removeprefix(SH) if value is not None else "Violation"


class ShapeQueries:
    """The SPARQL queries for one shapes graph; run them with `findings(db)`."""

    def __init__(self, shapes_path: Path) -> None:
        from rdflib import Graph, URIRef
        from rdflib.namespace import RDF

        self.shapes = Graph().parse(str(shapes_path), format="turtle")
        self.node_shapes = sorted(set(self.shapes.subjects(RDF.type, URIRef(SH + "NodeShape"))), key=str)
        self._check_supported()

    def _keys(self, node) -> set[str]:
        return {str(p).removeprefix(SH) for p, _ in self.shapes.predicate_objects(node) if str(p).startswith(SH)}

    def _check_supported(self) -> None:
        """Raise Unsupported for any SHACL feature outside the translated part."""
        from rdflib import URIRef

        for shape in self.node_shapes:
            unknown = self._keys(shape) - {"targetClass", "property", "or", "severity", "message", "name", "description"}
            if unknown or not _values(self.shapes, shape, "targetClass"):
                raise Unsupported(f"{shape}: needs sh:targetClass and none of {sorted(unknown)}")
            for prop in _values(self.shapes, shape, "property"):
                if self._keys(prop) - PROPERTY_KEYS or not isinstance(_one(self.shapes, prop, "path"), URIRef):
                    raise Unsupported(f"{shape}: a property shape uses {sorted(self._keys(prop) - PROPERTY_KEYS)} "
                                      "or a non-IRI path")
            for alternatives in _values(self.shapes, shape, "or"):
                for alternative in _list(self.shapes, alternatives):
                    min_count = _one(self.shapes, alternative, "minCount")
                    if self._keys(alternative) - {"path", "minCount"} or min_count is None or int(min_count) != 1:
                        raise Unsupported(f"{shape}: sh:or alternatives must be [sh:path P ; sh:minCount 1]")

    def _subclasses(self, db: ox.Store, cls: str, cache: dict) -> list[str]:
        if cls not in cache:
            rows = db.query(internal_query("subclasses-of", ("cls",), [(ox.NamedNode(cls),)]), use_default_graph_as_union=True)
            cache[cls] = sorted({row["c"].value for row in rows} | {cls})
        return cache[cls]

    def queries(self, db: ox.Store) -> list[tuple[str, str, str, str]]:
        """(sparql, path, severity, message) per constraint; each query selects ?focus."""
        cache: dict[str, list[str]] = {}
        out = []
        for shape in self.node_shapes:
            classes = [c for target in _values(self.shapes, shape, "targetClass")
                       for c in self._subclasses(db, str(target), cache)]
            if not classes:
                raise Unsupported(f"{shape}: only sh:targetClass targets are supported")
            targets = f"VALUES ?cls {{ {' '.join(f'<{c}>' for c in classes)} }} ?focus <{RDF_TYPE}> ?cls ."
            for prop in _values(self.shapes, shape, "property"):
                out += self._property(prop, targets, db, cache)
            for alternatives in _values(self.shapes, shape, "or"):
                out.append(self._or(shape, alternatives, targets))
            extra = {str(p).removeprefix(SH) for p, _ in self.shapes.predicate_objects(shape) if str(p).startswith(SH)}
            unknown = extra - {"targetClass", "property", "or", "severity", "message", "name", "description"}
            if unknown:
                raise Unsupported(f"{shape}: unsupported {sorted(unknown)}")
        return out

    def _property(self, prop, targets: str, db: ox.Store, cache: dict) -> list[tuple[str, str, str, str]]:
        keys = {str(p).removeprefix(SH) for p, _ in self.shapes.predicate_objects(prop) if str(p).startswith(SH)}
        if keys - PROPERTY_KEYS:
            raise Unsupported(f"property shape uses {sorted(keys - PROPERTY_KEYS)}")
        path = _one(self.shapes, prop, "path")
        if path is None or not hasattr(path, "startswith") or type(path).__name__ != "URIRef":
            raise Unsupported("only IRI paths are supported")
        p = f"<{path}>"
        severity = _severity(self.shapes, prop)
        message = str(_one(self.shapes, prop, "message") or "")
        found = []

        def add(query: str, default: str) -> None:
            found.append((query, str(path), severity, message or default))

        min_count = _one(self.shapes, prop, "minCount")
        if min_count is not None:
            n = int(min_count)
            if n == 1:
                add(f"SELECT DISTINCT ?focus WHERE {{ {targets} FILTER NOT EXISTS {{ ?focus {p} ?v }} }}",
                    f"Less than {n} values on <{{focus}}>->{_short(path)}")
            elif n > 1:
                add(f"SELECT ?focus WHERE {{ {targets} OPTIONAL {{ ?focus {p} ?v }} }} GROUP BY ?focus "
                    f"HAVING (COUNT(DISTINCT ?v) < {n})",
                    f"Less than {n} values on <{{focus}}>->{_short(path)}")
        max_count = _one(self.shapes, prop, "maxCount")
        if max_count is not None:
            add(f"SELECT ?focus WHERE {{ {targets} ?focus {p} ?v }} GROUP BY ?focus HAVING (COUNT(DISTINCT ?v) > {int(max_count)})",
                f"More than {int(max_count)} values on <{{focus}}>->{_short(path)}")

        def each_value(fails: str, default: str) -> None:
            add(f"SELECT ?focus ?v WHERE {{ {{ SELECT DISTINCT ?focus ?v WHERE {{ {targets} ?focus {p} ?v }} }} FILTER({fails}) }}",
                default)

        datatype = _one(self.shapes, prop, "datatype")
        if datatype is not None:
            fails = f"!isLiteral(?v) || datatype(?v) != <{datatype}>"
            if str(datatype) in WELL_FORMED:
                fails += f' || !REGEX(STR(?v), "{WELL_FORMED[str(datatype)]}")'
            each_value(fails, f"Value is not Literal with datatype {_short(datatype)}")
        cls = _one(self.shapes, prop, "class")
        if cls is not None:
            allowed = " ".join(f"<{c}>" for c in self._subclasses(db, str(cls), cache))
            each_value(f"NOT EXISTS {{ ?v <{RDF_TYPE}> ?t . VALUES ?t {{ {allowed} }} }}", f"Value does not have class {_short(cls)}")
        pattern = _one(self.shapes, prop, "pattern")
        if pattern is not None:
            flags = _one(self.shapes, prop, "flags")
            regex = f"REGEX(STR(?v), {_term(pattern)}" + (f", {_term(flags)})" if flags is not None else ")")
            each_value(f"isBlank(?v) || !{regex}", f"Value does not match pattern {pattern}")
        languages = _one(self.shapes, prop, "languageIn")
        if languages is not None:
            tests = " || ".join(f'langMatches(lang(?v), "{lang}")' for lang in _list(self.shapes, languages))
            each_value(f"!isLiteral(?v) || !({tests})", "Language not in the allowed list")
        minimum = _one(self.shapes, prop, "minInclusive")
        if minimum is not None:
            each_value(f"!COALESCE(?v >= {_term(minimum)}, false)", f"Value is not >= {_literal_text(minimum)}")
        unique = _one(self.shapes, prop, "uniqueLang")
        if unique is not None and unique.toPython() is True:
            add(f"SELECT DISTINCT ?focus (LCASE(lang(?a)) AS ?lang) WHERE {{ {targets} ?focus {p} ?a , ?b . "
                f'FILTER(!sameTerm(?a, ?b) && lang(?a) != "" && LCASE(lang(?a)) = LCASE(lang(?b))) }}',
                "More than one String shares the same Language")
        return found

    def _or(self, shape, alternatives, targets: str) -> tuple[str, str, str, str]:
        tests = []
        for alternative in _list(self.shapes, alternatives):
            keys = {str(p).removeprefix(SH) for p, _ in self.shapes.predicate_objects(alternative)}
            min_count = _one(self.shapes, alternative, "minCount")
            if keys - {"path", "minCount"} or min_count is None or int(min_count) != 1:
                raise Unsupported(f"{shape}: sh:or alternatives must be [sh:path P ; sh:minCount 1]")
            tests.append(f"NOT EXISTS {{ ?focus <{_one(self.shapes, alternative, 'path')}> ?x{len(tests)} }}")
        message = str(_one(self.shapes, shape, "message") or "Node does not conform to any shape in sh:or")
        return (f"SELECT DISTINCT ?focus WHERE {{ {targets} FILTER({' && '.join(tests)}) }}", "",
                _severity(self.shapes, shape), message)

    def findings(self, db: ox.Store) -> list[Finding]:
        """Every result, one per (focus, constraint[, value]) like pySHACL's report."""
        results = []
        for query, path, severity, message in self.queries(db):
            for row in db.query(query, use_default_graph_as_union=True):
                focus = row["focus"].value
                results.append(Finding(focus, path, severity, message.replace("{focus}", focus)))
        return results


def entity_sources(db: ox.Store, foci: list[str]) -> dict[str, list[str]]:
    """"file:line" of each given node's stig:source locators (only the reported nodes, not all)."""
    out: dict[str, set[str]] = {}
    for start in range(0, len(foci), 500):
        batch = [(ox.NamedNode(f),) for f in foci[start:start + 500] if not f.startswith("_:")]
        for row in db.query(internal_query("node-source-lines", ("e",), batch), use_default_graph_as_union=True):
            out.setdefault(row["e"].value, set()).add(f"{row['file'].value}:{row['line'].value}")
    return {k: sorted(v) for k, v in out.items()}


def report_of(findings: list[Finding], db: ox.Store, triples: int, warning_sources: bool = True) -> ValidationReport:
    """Findings as a ValidationReport: violations and warnings by entity id, each with its source lines
    (a change's check leaves warnings without: an update reports only what refuses it)."""
    sources = entity_sources(db, sorted({f.focus for f in findings if warning_sources or f.severity == "Violation"}))
    violations, warnings = [], []
    for f in findings:
        item = Violation(focus=node_id(f.focus), path=_short(f.path) if f.path else "", message=f.message,
                         severity=f.severity, sources=sources.get(f.focus, []))
        (violations if f.severity == "Violation" else warnings).append(item)
    key = lambda v: (v.focus, v.path, v.message)  # noqa: E731
    return ValidationReport(conforms=not violations, violations=sorted(violations, key=key),
                            warnings=sorted(warnings, key=key), triples=triples)
