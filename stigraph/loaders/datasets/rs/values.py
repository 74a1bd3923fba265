"""Cell values of the RS tables: amounts in yen, TRUE/FALSE flags, years, 法人番号 and payee names.

Every parser returns None for an empty cell (empty means unknown, not 0) and raises BadValue, whose
message says what the cell held, for anything it cannot read; the caller leaves that row out.

>>> amount("1,234,567"), amount(""), flag("TRUE"), corporate_number("4030005012570.0")
(Decimal('1234567'), None, True, '4030005012570')
"""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from functools import lru_cache

from stigraph.loaders.era import fiscal_year
from stigraph.loaders.money import parse_yen
from stigraph.loaders.registry.schema import corporate_number_is_valid
from stigraph.loaders.text import normalize

# Dashes a table writes for "no value"; read as an empty cell, never as 0.
NO_VALUE = {"-", "－", "―", "‐", "—", "ー"}
_TRUE = {"TRUE", "1", "○", "◯", "Y", "YES"}
_FALSE = {"FALSE", "0", "N", "NO"}


class BadValue(ValueError):
    """A cell that cannot be read as what its column holds."""


NEGATIVE_SIGNS = ("-", "−", "－", "△", "▲")
"""Signs of a negative amount: a reduction by a supplementary budget (減額補正), reserve funds moved out."""


def amount(text: str) -> Decimal | None:
    """An amount in yen (the RS tables write plain yen, sometimes with thousands separators or a minus).

    >>> amount("５００"), amount("-"), amount("△1,500")
    (Decimal('500'), None, Decimal('-1500'))
    """
    if not text or text in NO_VALUE:
        return None
    if text.isascii() and text.isdigit():
        return Decimal(text)
    negative = text.startswith(NEGATIVE_SIGNS)
    try:
        value = parse_yen((text[1:].lstrip() if negative else text) + "円")
        return -value if negative and value else value
    except ValueError:
        raise BadValue(f"{text!r} is not an amount in yen") from None


def flag(text: str) -> bool | None:
    """TRUE/FALSE (also 1/0 and ○ as the 実施方法 columns write them)."""
    if not text or text in NO_VALUE:
        return None
    value = unicodedata.normalize("NFKC", text).strip().upper()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise BadValue(f"{text!r} is not TRUE or FALSE")


@lru_cache(maxsize=1024)
def year(text: str) -> int | None:
    """A fiscal year written as 2024, 2024年度 or 令和6年度."""
    if not text or text in NO_VALUE:
        return None
    try:
        return fiscal_year(text)
    except ValueError:
        raise BadValue(f"{text!r} is not a fiscal year") from None


_FLOAT_NUMBER = re.compile(r"^(\d{13})\.0+$")


@lru_cache(maxsize=65536)
def corporate_number(text: str) -> str | None:
    """A 法人番号 as 13 digits (full-width digits, hyphens and a float's `.0` removed); None if empty.

    BadValue when it is not 13 digits with a valid check digit.
    """
    if not text or text in NO_VALUE:
        return None
    value = re.sub(r"[\s\-－]", "", unicodedata.normalize("NFKC", text))
    match = _FLOAT_NUMBER.match(value)
    if match:
        value = match[1]
    if not corporate_number_is_valid(value):
        raise BadValue(f"法人番号 {text!r} is not 13 digits with a valid check digit")
    return value


# Abbreviated legal forms as the sheets write them, after NFKC (㈱ -> (株)).
LEGAL_FORMS = {
    "(株)": "株式会社", "(有)": "有限会社", "(合)": "合同会社", "(資)": "合資会社", "(名)": "合名会社",
    "(一財)": "一般財団法人", "(公財)": "公益財団法人", "(一社)": "一般社団法人", "(公社)": "公益社団法人",
    "(独)": "独立行政法人", "(国研)": "国立研究開発法人", "(大)": "国立大学法人", "(学)": "学校法人",
    "(医)": "医療法人", "(社福)": "社会福祉法人", "(特非)": "特定非営利活動法人", "(地独)": "地方独立行政法人",
}
_LEGAL_FORM = re.compile("|".join(re.escape(k) for k in sorted(LEGAL_FORMS, key=len, reverse=True)))


def payee_name(text: str) -> str:
    """The form payee names are compared and keyed in: NFKC, no spaces, abbreviated legal forms spelt out.

    >>> payee_name("（株）テスト　商会"), payee_name("㈱テスト商会")
    ('株式会社テスト商会', '株式会社テスト商会')
    """
    folded = re.sub(r"\s+", "", normalize(text))
    return _LEGAL_FORM.sub(lambda m: LEGAL_FORMS[m.group(0)], folded)


__all__ = ["BadValue", "LEGAL_FORMS", "NO_VALUE", "amount", "corporate_number", "flag", "payee_name", "year"]
