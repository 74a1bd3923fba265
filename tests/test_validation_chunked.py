"""The check of a large change, split by subject into parts: same results as checking it whole."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from stigraph.errors import UserError
from stigraph.validation import chunked
from stigraph.validation.chunked import ChangeFile, check_large_change
from stigraph.validation.incremental import check_change, touched_subjects

STIG = "https://w3id.org/stigraph/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
G = "https://w3id.org/stigraph/graph/import/test"


def locators(count: int) -> str:
    """Source locators whose provenance kinds are typed on other lines; every third one's kind is not typed."""
    lines = []
    for i in range(count):
        lines.append(f"<{STIG}l{i}> <{RDF_TYPE}> <{STIG}SourceLocator> <{G}> .")
        lines.append(f"<{STIG}l{i}> <{STIG}provenanceKind> <{STIG}k{i}> <{G}> .")
        if i % 3:
            lines.append(f"<{STIG}k{i}> <{RDF_TYPE}> <{STIG}ProvenanceKind> <{G}> .")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("chunk_quads", [1, 7, 1_000])
def test_parts_find_what_the_whole_finds(tmp_path, monkeypatch, chunk_quads):
    monkeypatch.setattr(chunked, "CHUNK_QUADS", chunk_quads)
    text = locators(12)
    path = tmp_path / "change.nq"
    path.write_text(text)
    whole = ox.Store()
    whole.load(text, format=ox.RdfFormat.N_QUADS)
    expected = check_change(whole, ox.Store())
    got = check_large_change([ChangeFile(path, ox.RdfFormat.N_QUADS)], ox.Store(), quads_hint=text.count("\n"))
    assert not got.conforms
    assert sorted((v.focus, v.message) for v in got.violations) == sorted((v.focus, v.message) for v in expected.violations)
    unclassed = sorted(v.focus.rsplit("#", 1)[-1] for v in got.violations if "ProvenanceKind" in v.message)
    assert unclassed == ["l0", "l3", "l6", "l9"]  # their kinds have no class, whichever part typed the others


def test_a_users_file_that_does_not_parse_is_named_with_its_line(tmp_path):
    path = tmp_path / "broken.nt"
    path.write_text(f"<{STIG}a> <{STIG}b> <{STIG}c> .\n<{STIG}a> <{STIG}b> \"open .\n")
    change = ChangeFile(path, ox.RdfFormat.N_TRIPLES, to_graph=G, label="mine/broken.nt")
    with pytest.raises(UserError, match=r"mine/broken.nt: not valid RDF: .*line 2"):
        check_large_change([change], ox.Store(), quads_hint=2)


def test_a_change_no_shape_looks_at_is_not_checked(tmp_path):
    path = tmp_path / "own-vocabulary.nt"
    path.write_text("<http://example.org/a> <http://example.org/p> <http://example.org/b> .\n")
    report = check_large_change([ChangeFile(path, ox.RdfFormat.N_TRIPLES, to_graph=G)], ox.Store(), quads_hint=1)
    assert report.conforms and report.triples == 1


def test_dropped_subjects_are_checked_with_what_remains(tmp_path):
    before = ox.Store()
    before.load(locators(3), format=ox.RdfFormat.N_QUADS)  # l1, l2 conform; the change drops their graph
    empty = tmp_path / "empty.nq"
    empty.write_text("")
    kept = ox.NamedNode(f"{STIG}l1")
    before.add(ox.Quad(kept, ox.NamedNode(RDF_TYPE), ox.NamedNode(f"{STIG}SourceLocator"), ox.NamedNode(G + "2")))
    report = check_large_change([ChangeFile(empty, ox.RdfFormat.N_QUADS)], before, dropped_graphs=[G],
                                dropped_subjects=[kept], dropped_predicates=[RDF_TYPE], quads_hint=1)
    expected = check_change(ox.Store(), before, [G])
    assert not report.conforms
    assert sorted((v.focus, v.message) for v in report.violations) == sorted((v.focus, v.message) for v in expected.violations)
    assert {v.focus.rsplit("#", 1)[-1] for v in report.violations} == {"l1"}  # l1 lost its kind; l0, l2 are gone


def test_dropping_the_class_of_a_value_rechecks_the_nodes_pointing_at_it(tmp_path):
    """l1 (kept) points at k1, whose class only the dropped graph states: l1 fails after the change, in both checks."""
    kinds = G + "/kinds"
    before = ox.Store()
    before.load(locators(3).replace(f"<{STIG}k1> <{RDF_TYPE}> <{STIG}ProvenanceKind> <{G}> .",
                                    f"<{STIG}k1> <{RDF_TYPE}> <{STIG}ProvenanceKind> <{kinds}> ."),
                format=ox.RdfFormat.N_QUADS)
    empty = tmp_path / "empty.nq"
    empty.write_text("")
    whole = check_change(ox.Store(), before, [kinds])
    parts = check_large_change([ChangeFile(empty, ox.RdfFormat.N_QUADS)], before, dropped_graphs=[kinds],
                               dropped_subjects=touched_subjects(before, [kinds]), dropped_predicates=[RDF_TYPE],
                               quads_hint=1)
    for report in (whole, parts):
        assert [(v.focus.rsplit("#", 1)[-1], v.message) for v in report.violations if "class" in v.message] == \
            [("l1", "Value does not have class stig:ProvenanceKind")]
