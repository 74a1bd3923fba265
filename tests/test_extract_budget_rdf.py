"""Budget entries from the new readers as quads: distinct nodes per list row, page/row locators, a valid build."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from stigraph.extract import extract_file, extraction_quads
from stigraph.ontology.vocabulary import STIG

FIX = Path(__file__).resolve().parent / "fixtures" / "extract"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
IDENTIFIER = "http://purl.org/dc/terms/identifier"


def test_list_rows_on_one_text_line_are_distinct_entries_with_row_locators():
    result = extract_file(FIX / "budget_csti_flat.txt", kind="budget")
    quads = list(ox.parse("".join(extraction_quads(result, with_mentions=False)), format=ox.RdfFormat.N_QUADS))
    nodes = {q.subject for q in quads if q.predicate.value == RDF_TYPE and q.object.value == f"{STIG}BudgetEntry"}
    assert len(nodes) == len(result.budgets) == 6  # list rows carry no previous-year entries
    assert {int(q.object.value) for q in quads if q.predicate.value == f"{STIG}row"} == {1, 2, 3, 5, 6, 7}
    assert {q.object.value for q in quads if q.predicate.value == IDENTIFIER} == {"001001", "001002", "001004", "001005"}


def test_build_with_budget_documents_validates(tmp_path):
    from stigraph.builder.operations import build

    docs = [FIX / name for name in ("budget_headline.txt", "budget_csti_flat.txt", "budget_tables.txt")]
    summary = build(tmp_path / "store", docs=docs, include_derived=False).build
    assert summary.budget_entries > 6 + 4 + 5  # validated: build() refuses a graph that breaks the shapes
