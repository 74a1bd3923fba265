"""Money, era and text normalisation: table-driven cases and property-based tests."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stigraph.loaders.era import fiscal_year
from stigraph.loaders.money import UNIT_FACTORS, format_yen, parse_yen
from stigraph.loaders.text import compact, normalize


@pytest.mark.parametrize("text,yen", [
    ("1,561百万円", 1_561_000_000),
    ("３，１０５百万円", 3_105_000_000),
    ("76億円", 7_600_000_000),
    ("5,000億円", 500_000_000_000),
    ("0.5億円", 50_000_000),
    ("10 兆円", 10_000_000_000_000),
    ("1兆2,000億円", 1_200_000_000_000),
    ("８０百万円", 80_000_000),
    ("500万円", 5_000_000),
    ("1,234円", 1_234),
    ("12千円", 12_000),
])
def test_parse_yen(text: str, yen: int) -> None:
    assert parse_yen(text) == Decimal(yen)


@pytest.mark.parametrize("bad", ["", "abc", "-5億円", "1億2兆円", "1,561", "百万円", "1.2.3億円", "0.0000001円", "１億円円"])
def test_parse_yen_rejects(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_yen(bad)


@pytest.mark.parametrize("text,year", [
    ("令和3年度", 2021), ("令和元年度", 2019), ("R3", 2021), ("R2年度", 2020), ("平成23年度", 2011),
    ("H28", 2016), ("平成元年", 1989), ("2021年度", 2021), ("２０２１", 2021), (2024, 2024), ("昭和64年", 1989),
])
def test_fiscal_year(text, year: int) -> None:
    assert fiscal_year(text) == year


@pytest.mark.parametrize("bad", ["令和", "平成32年度", "平成0年", "3000", "FY", "", True, 1700])
def test_fiscal_year_rejects(bad) -> None:
    with pytest.raises(ValueError):
        fiscal_year(bad)


def test_normalize_folds_radicals_and_full_width() -> None:
    assert normalize("国⺠ 成⻑ ⽂部科学省 ＳＩＰ") == "国民 成長 文部科学省 SIP"
    assert normalize("科 学 技 術 の 推 進") == "科学技術の推進"
    assert normalize("a\nb") == "a\nb"  # line structure is kept
    assert compact("関\n係府省") == "関係府省"


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**16), st.sampled_from(sorted(UNIT_FACTORS)))
def test_format_then_parse_gives_the_amount_back(yen: int, unit: str) -> None:
    assert parse_yen(format_yen(yen, unit)) == yen


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_parsers_never_crash_on_arbitrary_text(text: str) -> None:
    for parser in (parse_yen, fiscal_year):
        try:
            parser(text)
        except ValueError:
            pass
    assert normalize(text).count("\n") == text.count("\n")  # line numbers stay valid
    assert isinstance(compact(text), str)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789,.０１２３４５６７８９兆億千百万円 ", max_size=20))
def test_parse_yen_on_amount_like_text(text: str) -> None:
    try:
        value = parse_yen(text)
    except ValueError:
        return
    assert value >= 0 and value == value.to_integral_value()
