"""The budget readers on the real pages and CSTI lists in ../shared/realdocs (skipped when absent).

Scored by scripts/score_budget_pages.py (rerun it to see every line); this test prints the same
listing, every expected line and every record per file, and holds the acceptance numbers.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
REALDOCS = REPO.parent / "shared" / "realdocs"
pytestmark = [pytest.mark.seeds,
              pytest.mark.skipif(not (REALDOCS / "budget_pages" / "expected_lines.csv").exists(),
                                 reason="../shared/realdocs not present")]


@pytest.fixture(scope="module")
def scoring():
    spec = importlib.util.spec_from_file_location("score_budget_pages", REPO / "scripts" / "score_budget_pages.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_budget_pages_found_with_no_wrong_figures(scoring, capsys):
    score = scoring.score_pages()
    with capsys.disabled():
        print(f"\nexpected lines: {score.expected}, found {len(score.found)}")
        for row, entry in score.found:
            print(f"  found   {row['excerpt_n']:>2} {row['program']}  <- L{entry.line} [{entry.reader}]")
        for row in score.missed:
            print(f"  missed  {row['excerpt_n']:>2} {row['program']}")
        for name, entries in score.records.items():
            print(f"  {name[:40]}: " + "; ".join(f"L{e.line} {e.name} {e.amount_text}({e.previous_text or '-'})"
                                                  for e in entries))
    assert len(score.found) >= 0.9 * score.expected
    assert score.wrong == [], [(n, e.name, e.amount_text, e.previous_text, why) for n, e, why in score.wrong]
    assert score.provenance == [], score.provenance


def test_the_wrong_figure_checks_can_fail(scoring, monkeypatch):
    """Records with a swapped previous-year figure, or an expected figure under another name, are caught."""
    real = scoring.extract_file

    def tampered(path, kind="all"):
        result = real(path, kind=kind)
        if Path(path).name.startswith("01_"):
            first, second = result.budgets[0], result.budgets[1]
            first.previous = second.previous  # 571億円 now claims 5,372百万円 as its previous year
            second.name = "別の名前"  # 14,504百万円 under a name no expected line has
        return result

    monkeypatch.setattr(scoring, "extract_file", tampered)
    score = scoring.score_pages()
    reasons = [why for name, _, why in score.wrong if name.startswith("01_")]
    assert len(reasons) == 2 and any("another name" in why for why in reasons)


def test_csti_lists_rows_present_in_the_text_are_extracted(scoring):
    scores = scoring.score_csti()
    assert len(scores) == 2
    for score in scores:
        assert score.present >= 50, f"{score.name}: too few rows found in the text to score"
        assert score.share >= 0.95, (score.name, score.extracted, score.present, score.missed[:5])
        assert score.provenance == []
