"""The Oxigraph-side SHACL checker gives exactly pySHACL's results."""
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from stigraph.builder.inputs import collect_quads
from stigraph.validation.shacl import validate_store_fast
from stigraph.validation.checker import ShapeChecker
from stigraph.validation.shacl_fast import ShapeQueries, Unsupported
from stigraph.validation.shape_scan import ShapeScan
from stigraph.validation.shacl import shapes_path, validate_store

FIXTURE = Path(__file__).parent / "fixtures" / "registry_analysis"
G = "<https://w3id.org/stigraph/graph/faults>"
ID = "https://w3id.org/stigraph/id/"
ST = "https://w3id.org/stigraph/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
FAULTS = "\n".join(f"{s} {p} {o} {G} ." for s, p, o in [
    (f"<{ID}bad>", TYPE, f"<{ST}Program>"),                                   # no labels, no source
    (f"<{ID}bad>", f"<{ST}curatedId>", '"Bad_ID"'),                           # pattern
    (f"<{ID}bad>", "<http://www.w3.org/2004/02/skos/core#prefLabel>", '"x"@fr'),  # languageIn
    (f"<{ID}bad>", "<http://www.w3.org/2004/02/skos/core#altLabel>", '"y"@ja'),   # datatype xsd:string
    (f"<{ID}bad>", f"<{ST}hasTheme>", f"<{ID}theme/none>"),                   # class
    (f"<{ID}b1>", TYPE, f"<{ST}BudgetEntry>"),
    (f"<{ID}b1>", f"<{ST}amount>", f'"abc"^^<{XSD}decimal>'),                # ill-formed
    (f"<{ID}b1>", f"<{ST}amount>", f'"-5"^^<{XSD}decimal>'),                 # minInclusive, maxCount
    (f"<{ID}b1>", f"<{ST}fiscalYear>", '"2020"'),                              # datatype
    (f"<{ID}loc1>", TYPE, f"<{ST}SourceLocator>"),                            # no kind, line 0
    (f"<{ID}loc1>", f"<{ST}line>", f'"0"^^<{XSD}integer>'),
    (f"<{ID}st1>", TYPE, "<http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement>"),
    (f"<{ID}u1>", TYPE, f"<{ST}Unit>"),
]) + "\n"


def _store(extra: str = "") -> ox.Store:
    db = ox.Store()
    for chunk in list(collect_quads([FIXTURE], include_derived=False)) + [extra.encode()]:
        db.bulk_load(chunk, format=ox.RdfFormat.N_QUADS)
    return db


def _results(report) -> Counter:
    return Counter((v.severity, v.focus, v.path, v.message) for v in report.violations + report.warnings)


@pytest.mark.parametrize("extra", ["", FAULTS], ids=["fixture", "fixture+faults"])
@pytest.mark.parametrize("engine", [ShapeChecker, ShapeQueries, ShapeScan], ids=["python", "sparql", "scan"])
def test_same_results_as_pyshacl(extra, engine, monkeypatch):
    db = _store(extra)
    expected = validate_store(db, engine="pyshacl")
    monkeypatch.setattr("stigraph.validation.shacl.ShapeChecker", engine)
    fast = validate_store_fast(db, shapes_path())
    assert _results(fast) == _results(expected)
    assert fast.conforms == expected.conforms
    assert fast.triples == expected.triples
    if extra:
        assert not fast.conforms and len(fast.violations) > 10


@pytest.mark.parametrize("extra", ["", FAULTS], ids=["fixture", "fixture+faults"])
def test_the_checker_reads_a_stream_of_quads_as_it_reads_a_store(extra):
    db = _store(extra)
    checker = ShapeChecker(shapes_path())
    facts = checker.facts()
    facts.add(db.quads_for_pattern(None, None, None))
    from_stream = checker.check(facts)
    assert sorted(map(repr, from_stream)) == sorted(map(repr, checker.findings(db)))
    assert len(from_stream) > (10 if extra else 0)
    some = sorted({f.focus for f in from_stream})[:3]
    assert sorted({f.focus for f in checker.check(facts, only=some)}) == some


def test_unsupported_shapes_are_refused(tmp_path):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
                      "<urn:s> a sh:NodeShape ; sh:targetNode <urn:x> .\n", encoding="utf-8")
    with pytest.raises(Unsupported):
        ShapeChecker(shapes)
