"""Yen amounts as written in Japanese budget documents -> exact `Decimal` yen, and back."""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

# Multipliers of the units that appear in budget documents. 千円 and 万円 occur in tables.
UNIT_FACTORS: dict[str, Decimal] = {
    "兆円": Decimal(10) ** 12,
    "億円": Decimal(10) ** 8,
    "千万円": Decimal(10) ** 7,
    "百万円": Decimal(10) ** 6,
    "万円": Decimal(10) ** 4,
    "千円": Decimal(10) ** 3,
    "円": Decimal(1),
}

_UNIT = "|".join(sorted((u[:-1] for u in UNIT_FACTORS if u != "円"), key=len, reverse=True))
# One "number + optional unit" part; the amount is a sequence of parts followed by 円.
# Matched part by part from a position (no nested quantifiers): linear time on any input.
_PART = re.compile(rf"(\d{{1,3}}(?:,\d{{3}})+|\d+)(\.\d+)?({_UNIT})?")


def parse_yen(text: str) -> Decimal:
    """Parse an amount such as "1,561百万円", "５，０００億円", "10 兆円" or "1兆2,000億円" to yen.

    Full-width digits and commas, spaces inside the number and decimals ("0.5億円") are accepted.
    Raises ValueError for anything that is not an amount, or a negative amount.

    >>> parse_yen("1,561百万円")
    Decimal('1561000000')
    >>> parse_yen("１兆２，０００億円")
    Decimal('1200000000000')
    >>> parse_yen("0.5億円")
    Decimal('50000000')
    """
    if not isinstance(text, str):
        raise ValueError(f"not an amount: {text!r}")
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    if len(s) < 2 or not s.endswith("円"):
        raise ValueError(f"not a yen amount: {text!r} (expected e.g. '1,561百万円' or '76億円')")
    body = s[:-1]
    total = Decimal(0)
    pos = 0
    last_factor: Decimal | None = None
    while pos < len(body):
        match = _PART.match(body, pos)
        if not match or (match.group(3) is None and match.end() != len(body)):
            raise ValueError(f"not a yen amount: {text!r} (expected e.g. '1,561百万円' or '76億円')")
        pos = match.end()
        unit = match.group(3)
        factor = UNIT_FACTORS[unit + "円"] if unit else Decimal(1)
        if last_factor is not None and factor >= last_factor:
            raise ValueError(f"units out of order in {text!r}")
        last_factor = factor
        total += Decimal(match.group(1).replace(",", "") + (match.group(2) or "")) * factor
    if total != total.to_integral_value():
        raise ValueError(f"amount {text!r} is not a whole number of yen")
    return total.quantize(Decimal(1))


def format_yen(amount: Decimal | int, unit: str = "百万円") -> str:
    """Format exact yen in a document unit; inverse of `parse_yen` for amounts it can represent.

    >>> format_yen(Decimal("1561000000"))
    '1,561百万円'
    >>> format_yen(50000000, "億円")
    '0.5億円'
    """
    if unit not in UNIT_FACTORS:
        raise ValueError(f"unknown unit {unit!r}; use one of {', '.join(UNIT_FACTORS)}")
    value = Decimal(amount) / UNIT_FACTORS[unit]
    if value == value.to_integral_value():
        text = f"{int(value):,}"
    else:
        text = f"{value.normalize():f}"
        whole, _, frac = text.partition(".")
        text = f"{int(whole):,}.{frac}"
    return f"{text}{unit}"
