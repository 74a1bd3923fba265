"""Japanese era years (平成, 令和, and their abbreviations) -> Gregorian fiscal years."""
from __future__ import annotations

import re
import unicodedata

# First Gregorian year of each era; year N of an era is start + N - 1.
ERA_START = {"明治": 1868, "大正": 1912, "昭和": 1926, "平成": 1989, "令和": 2019}
ERA_ABBREVIATIONS = {"M": "明治", "T": "大正", "S": "昭和", "H": "平成", "R": "令和"}
ERA_LENGTH = {"明治": 45, "大正": 15, "昭和": 64, "平成": 31}

_ERA_YEAR = re.compile(r"^(明治|大正|昭和|平成|令和|[MTSHR])\.?\s*(元|\d{1,2})\s*(?:年度?)?$")
_GREGORIAN = re.compile(r"^(\d{4})\s*(?:年度?)?$")

MIN_YEAR, MAX_YEAR = 1868, 2100


def fiscal_year(text: str | int) -> int:
    """Convert "令和3年度", "R3", "平成23年度", "令和元年度", "2021年度" or 2021 to a fiscal year.

    Raises ValueError for text that is not a year, or a year outside its era.

    >>> fiscal_year("令和3年度")
    2021
    >>> fiscal_year("平成元年")
    1989
    >>> fiscal_year("H23")
    2011
    """
    if isinstance(text, bool):
        raise ValueError(f"not a fiscal year: {text!r}")
    if isinstance(text, int):
        year = text
    else:
        s = unicodedata.normalize("NFKC", str(text)).strip()
        era_match = _ERA_YEAR.match(s)
        greg_match = _GREGORIAN.match(s)
        if era_match:
            era = ERA_ABBREVIATIONS.get(era_match.group(1), era_match.group(1))
            n = 1 if era_match.group(2) == "元" else int(era_match.group(2))
            if n < 1 or (era in ERA_LENGTH and n > ERA_LENGTH[era]):
                raise ValueError(f"{text!r}: {era} has no year {n}")
            year = ERA_START[era] + n - 1
        elif greg_match:
            year = int(greg_match.group(1))
        else:
            raise ValueError(f"not a fiscal year: {text!r} (expected e.g. 令和3年度, R3 or 2021)")
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"fiscal year {year} is outside {MIN_YEAR}-{MAX_YEAR}")
    return year
