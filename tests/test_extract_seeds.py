"""Extractors on the real seeds (skipped when ../shared/seeds is absent)."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from stigraph.extract import extract_file

SEEDS = Path(__file__).parents[1].parent / "shared" / "seeds"
pytestmark = [pytest.mark.seeds,
              pytest.mark.skipif(not (SEEDS / "003_1fe72c798f52d037.txt").exists(), reason="seeds not present")]


def yen(text: str) -> Decimal:
    from stigraph.loaders.money import parse_yen
    return parse_yen(text)


def test_000_budget_lines_exactly():
    result = extract_file(SEEDS / "000_e5eefd47d6133f4f.txt", kind="budget")
    found = {(b.amount, b.previous, b.fiscal_year, b.kind) for b in result.budgets}
    expected = {(yen(a), yen(p) if p else None, fy, k) for a, p, fy, k in [
        ("604百万円", "555百万円", 2021, "draft"), ("1,561百万円", "1,516百万円", 2021, "draft"),
        ("737百万円", "595百万円", 2021, "draft"), ("3,105百万円", "3,005百万円", 2021, "draft"),
        ("137百万円", "120百万円", 2021, "draft"),
        ("76億円", "72億円", 2021, "draft"),          # chapter total
        ("2億円", None, 2020, "supplementary"),       # 令和2年度第3次補正予算額(案)
    ]}
    assert found == expected
    assert len(result.budgets) == 7
    numbered = [b for b in result.budgets if b.role == "item"]
    assert len(numbered) == 5 and all(b.previous_fiscal_year == 2020 for b in numbered)
    assert next(b for b in result.budgets if b.amount == yen("137百万円")).marker == "※"


def test_003_measures():
    result = extract_file(SEEDS / "003_1fe72c798f52d037.txt", kind="measures")
    resolved = [m for m in result.measures if m.ministry_ids and not m.unresolved]
    assert len(resolved) >= 1000
    assert sum(m.column == "plan" for m in result.measures) >= 200
    assert sum(m.relisted for m in result.measures) >= 65
    ids = {m.id: m for m in result.measures}
    assert ids["L1428"].repairs == ["footnote digits: IT37"]
    assert ids["L1635"].tag_line == 1674 and ids["L1663"].tag_line == 1680  # rows split by a page break
