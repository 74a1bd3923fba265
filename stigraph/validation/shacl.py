"""SHACL validation of a graph with pySHACL, reported by entity and source line."""
from __future__ import annotations


import pyoxigraph as ox

from stigraph.ontology.vocabulary import node_id, shapes_path
from stigraph.sparql.graph import StiGraph
from stigraph.validation.report import ValidationReport, Violation

SH = "http://www.w3.org/ns/shacl#"


def _rdflib_graph(db: ox.Store):
    from rdflib import Graph

    ntriples = ox.serialize(db.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True),
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
        from stigraph.validation.shacl_fast import Unsupported, validate_store_fast

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
    sources = _entity_sources(db)
    violations, warnings = [], []
    sh = lambda local: URIRef(SH + local)  # noqa: E731
    for result in sorted(report.subjects(RDF.type, sh("ValidationResult")), key=str):
        focus = str(report.value(result, sh("focusNode")))
        path = report.value(result, sh("resultPath"))
        severity = str(report.value(result, sh("resultSeverity"))).removeprefix(SH)
        message = str(report.value(result, sh("resultMessage")) or "")
        item = Violation(focus=node_id(focus), path=_short(str(path)) if path else "", message=message,
                         severity=severity, sources=sources.get(focus, []))
        (violations if severity == "Violation" else warnings).append(item)
    key = lambda v: (v.focus, v.path, v.message)  # noqa: E731
    return ValidationReport(conforms=not violations, violations=sorted(violations, key=key),
                            warnings=sorted(warnings, key=key), triples=len(data))


def _short(iri: str) -> str:
    from stigraph.sparql.run import shorten

    return shorten(iri)


def _entity_sources(db: ox.Store) -> dict[str, list[str]]:
    rows = db.query("""SELECT ?e ?file ?line WHERE { ?e <https://w3id.org/stigraph/ontology#source> ?loc .
        ?loc <https://w3id.org/stigraph/ontology#document>/<https://w3id.org/stigraph/ontology#fileName> ?file ;
             <https://w3id.org/stigraph/ontology#line> ?line }""", use_default_graph_as_union=True)
    out: dict[str, list[str]] = {}
    for row in rows:
        out.setdefault(row["e"].value, []).append(f"{row['file'].value}:{row['line'].value}")
    return {k: sorted(set(v)) for k, v in out.items()}


def validate(graph: StiGraph) -> ValidationReport:
    """Validate an opened graph against the bundled SHACL shapes.

    >>> from stigraph.builder.inputs import collect_quads
    >>> validate(StiGraph.from_nquads(collect_quads())).conforms   # doctest: +SKIP
    True
    """
    return validate_store(graph.store)
