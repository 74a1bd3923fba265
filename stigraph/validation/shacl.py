"""SHACL validation of a graph with pySHACL, reported by entity and source line."""
from __future__ import annotations


from pathlib import Path

import pyoxigraph as ox

from stigraph.ontology.vocabulary import node_id, shapes_path
from stigraph.sparql.graph import StiGraph
from stigraph.sparql.internal import internal_query
from stigraph.validation.report import ValidationReport, Violation
from stigraph.validation.checker import ShapeChecker
from stigraph.validation.shacl_fast import _short, entity_sources, report_of
from stigraph.validation.shape_scan import ShapeScan

SH = "http://www.w3.org/ns/shacl#"


def _rdflib_graph(db: ox.Store):
    from rdflib import Graph

    ntriples = ox.serialize(db.query(internal_query("all-triples"), use_default_graph_as_union=True),
                            format=ox.RdfFormat.N_TRIPLES)
    data = Graph()
    data.parse(data=ntriples.decode("utf-8"), format="nt")
    return data


def validate_store(db: ox.Store, engine: str = "auto", triples: int | None = None) -> ValidationReport:
    """Run the bundled shapes over the union of all named graphs of an Oxigraph store.

    engine "fast" checks the shapes on Oxigraph (shacl_fast: same results, ~100x faster, no rdflib copy of the
    graph), "pyshacl" runs pySHACL, "auto" uses fast unless the shapes need more SHACL than it knows.
    """
    if engine in ("auto", "fast", "sparql"):
        from stigraph.validation.shacl_fast import Unsupported

        try:
            return validate_store_fast(db, shapes_path(), triples=triples,
                                       engine="sparql" if engine == "sparql" else "python")
        except Unsupported:
            if engine != "auto":
                raise
    import pyshacl

    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF

    data = _rdflib_graph(db)
    shapes = Graph().parse(str(shapes_path()), format="turtle")
    _conforms, report, _text = pyshacl.validate(data, shacl_graph=shapes, inference="none", allow_warnings=True,
                                                advanced=False, abort_on_first=False)
    violations, warnings = [], []
    sh = lambda local: URIRef(SH + local)  # noqa: E731
    for result in sorted(report.subjects(RDF.type, sh("ValidationResult")), key=str):
        focus = str(report.value(result, sh("focusNode")))
        path = report.value(result, sh("resultPath"))
        severity = str(report.value(result, sh("resultSeverity"))).removeprefix(SH)
        message = str(report.value(result, sh("resultMessage")) or "")
        item = Violation(focus=focus, path=_short(str(path)) if path else "", message=message, severity=severity)
        (violations if severity == "Violation" else warnings).append(item)
    sources = entity_sources(db, sorted({v.focus for v in violations + warnings}))
    for item in violations + warnings:
        item.sources, item.focus = sources.get(item.focus, []), node_id(item.focus)
    key = lambda v: (v.focus, v.path, v.message)  # noqa: E731
    return ValidationReport(conforms=not violations, violations=sorted(violations, key=key),
                            warnings=sorted(warnings, key=key), triples=len(data))


def validate(graph: StiGraph) -> ValidationReport:
    """Validate an opened graph against the bundled SHACL shapes.

    >>> from stigraph.builder.inputs import collect_quads
    >>> validate(StiGraph.from_nquads(collect_quads())).conforms   # doctest: +SKIP
    True
    """
    return validate_store(graph.store)


def validate_store_fast(db: ox.Store, shapes_path: Path, triples: int | None = None, engine: str = "python"):
    """A `stigraph.validation.shacl.ValidationReport` computed on Oxigraph instead of with pySHACL.

    engine "python" reads the store once into Python tables (fastest in memory); "sparql" runs one query
    per node shape inside Oxigraph (stigraph.validation.shape_scan; bounded memory, for stores too large to read into Python).
    """
    findings = (ShapeScan if engine == "sparql" else ShapeChecker)(shapes_path).findings(db)
    if triples is None:
        rows = db.query(internal_query("triple-count"), use_default_graph_as_union=True)
        triples = int(next(iter(rows))["n"].value)
    return report_of(findings, db, triples)
