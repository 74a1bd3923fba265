"""Extracted budget figures: what contains them (the page's layout) and the curated figures they restate."""
from __future__ import annotations

import textwrap
from pathlib import Path

from stigraph.extract import extract_file, extraction_quads
from stigraph.sparql.budget import BudgetBook
from stigraph.sparql.graph import StiGraph

FIX = Path(__file__).resolve().parent / "fixtures" / "extract" / "budget_parts.txt"
ID = "https://w3id.org/stigraph/id/"


def _registry(tmp_path: Path, budgets: str = "") -> Path:
    folder = tmp_path / "registry"
    folder.mkdir()
    (folder / "r.yaml").write_text(textwrap.dedent("""\
        document: budget_parts.txt
        entities:
          - id: kansoku
            class: Program
            ja: 試験観測推進事業
            en: Trial observation program
            line: 4
        """) + budgets, encoding="utf-8")
    return folder


def test_numbered_items_are_parts_of_the_unnamed_total_and_uchi_of_the_line_above(tmp_path):
    result = extract_file(FIX, kind="budget", registry_dir=_registry(tmp_path))
    parts = {e.line: e.part_of_line for e in result.budgets}
    # items 1-3 (lines 4, 8, 9: 300 + 450 + 120 百万円) are inside the 9億円 total of line 11;
    # the うち line 16 is inside 総事業費 (line 15)
    assert parts == {4: 11, 8: 11, 9: 11, 11: None, 15: None, 16: 15}


def test_part_of_becomes_budget_part_of_for_figures_and_their_previous_years(tmp_path):
    result = extract_file(FIX, kind="budget", registry_dir=_registry(tmp_path))
    book = BudgetBook.from_graph(StiGraph.from_nquads(["".join(extraction_quads(result)).encode()]))
    totals = {(t.kind, t.fiscal_year): t.amount for t in book.totals()}
    # 9億円 (line 11), not 9億円 + 870百万円
    assert totals[("draft", 2022)] == 900_000_000
    # FY2021 initial: 8億円 (line 12, containing the items' 280 + 400 百万円) + 総事業費 500億円 (line 15,
    # containing the うち line's 3億円); FY2020: 480億円 (containing 5億円)
    assert totals[("initial", 2021)] == 800_000_000 + 50_000_000_000
    assert totals[("initial", 2020)] == 48_000_000_000
    assert book.latest("kansoku").amount == 300_000_000


def test_a_figure_restating_a_curated_one_adds_its_source_to_it(tmp_path):
    registry = _registry(tmp_path, "    budgets:\n      - {fy: 2022, kind: draft, amount: \"300百万円\", "
                                   "previous: \"280百万円\", line: 4}\n")
    result = extract_file(FIX, kind="budget", registry_dir=registry)
    item = next(e for e in result.budgets if e.line == 4)
    assert item.curated == f"{ID}budget/kansoku/2022-draft"
    assert item.previous_curated == f"{ID}budget/kansoku/2021-initial"
    quads = "".join(extraction_quads(result))
    curated = f"<{ID}budget/kansoku/2022-draft>"
    mine = [q for q in quads.splitlines() if q.startswith(curated)]
    assert mine and all("ontology#source>" in q for q in mine)     # only its source: no second amount or type
    assert "x-l4>" not in quads and "-l4-previous>" not in quads   # no entry of its own
