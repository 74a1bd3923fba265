"""Budget entries from the new readers as quads: distinct nodes per list row, page/row locators, a valid build."""
from __future__ import annotations

from pathlib import Path

from rdflib import Literal
from rdflib.namespace import DCTERMS, RDF

from stigraph.loaders.documents import extract_file, extraction_quads
from stigraph.ontology.namespaces import STIG

FIX = Path(__file__).resolve().parent / "fixtures" / "extract"


def test_list_rows_on_one_text_line_are_distinct_entries_with_row_locators():
    result = extract_file(FIX / "budget_csti_flat.txt", kind="budget")
    quads = list(extraction_quads(result, with_mentions=False))
    nodes = {s for s, p, o, _ in quads if p == RDF.type and o == STIG.BudgetEntry}
    assert len(nodes) == len(result.budgets) == 6  # list rows carry no previous-year entries
    assert {o for _, p, o, _ in quads if p == STIG.row} == {Literal(n) for n in (1, 2, 3, 5, 6, 7)}
    assert {str(o) for _, p, o, _ in quads if p == DCTERMS.identifier} == {"001001", "001002", "001004", "001005"}


def test_build_with_budget_documents_validates(tmp_path):
    from stigraph.builder.full import build, document_chunks

    docs = [FIX / name for name in ("budget_headline.txt", "budget_csti_flat.txt", "budget_tables.txt")]
    summary = build(tmp_path / "store", extra_chunks=document_chunks(docs), include_derived=False)
    assert summary.budget_entries > 6 + 4 + 5  # validated: build() refuses a graph that breaks the shapes
