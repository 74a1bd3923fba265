"""How budget figures are written, in one place: amount patterns, kanji numerals, brackets, arrows.

Every reader matches amounts with these patterns and converts them with `amount_value`, which ends in
`stigraph.loaders.money.parse_yen` (the one tested unit conversion). Text is already NFKC-normalised.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from stigraph.loaders.money import parse_yen

_NUM = r"\d{1,3}(?:,\s?\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_PART = rf"(?:{_NUM})\s*(?:兆|億|千万|百万|万|千)"
# An amount in arabic digits: 「1,561百万円」「1兆1,820億円」「0.8億円」「25,939,265千円」「3円」.
AMOUNT = rf"(?:(?:{_PART})\s*)+円|(?:{_NUM})\s*円"
KANJI_DIGITS = "〇一二三四五六七八九"
_KANJI_NUM = rf"[{KANJI_DIGITS}十百千]+"
# A kanji numeral with at least one digit (「二千三百七十九」, 「十五」): 「百万円」 alone is a unit, not an amount.
_KANJI_VALUE = r"(?=[十百千〇]*[一二三四五六七八九])" + _KANJI_NUM
# An amount in kanji numerals: 「二千三百七十九億円」「一兆五千億円」.
KANJI_AMOUNT = rf"(?:{_KANJI_VALUE}(?:兆|億|万))+(?:{_KANJI_VALUE})?円"
# An amount in digits or kanji numerals, and the same optionally approximate (「約二千三百七十九億円」「約73億円」).
PRINTED = rf"(?:{AMOUNT}|{KANJI_AMOUNT})"
ANY_AMOUNT = rf"(?:約\s*)?{PRINTED}"
MARK = r"(?:[※★☆*]\d?)*"
# A bare table figure whose unit comes from a 「(単位:百万円)」 line or a column header.
BARE_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
PLACEHOLDER = r"[-−ー―‐－]"
UNIT_LINE = re.compile(r"[(\[]?\s*単位\s*[:：]?\s*(?P<unit>兆円|億円|千万円|百万円|万円|千円|円)\s*[)\]]?")

_AMOUNT_RE = re.compile(rf"^(?:約\s*)?(?:{AMOUNT})$")
_KANJI_RE = re.compile(rf"^(?:約\s*)?{KANJI_AMOUNT}$")
_SMALL = {"十": 10, "百": 100, "千": 1000}
_LARGE = {"兆": 10 ** 12, "億": 10 ** 8, "万": 10 ** 4}


def kanji_number(text: str) -> int:
    """A kanji numeral below 10,000 (「二千三百七十九」 -> 2379; digit strings like 「二〇」 read digit by digit).

    >>> kanji_number("二千三百七十九"), kanji_number("十"), kanji_number("三〇五")
    (2379, 10, 305)
    """
    if not any(ch in _SMALL for ch in text):
        return int("".join(str(KANJI_DIGITS.index(ch)) for ch in text))
    total, digit = 0, None
    for ch in text:
        if ch in _SMALL:
            total += (1 if digit is None else digit) * _SMALL[ch]
            digit = None
        else:
            digit = KANJI_DIGITS.index(ch)
    return total + (digit or 0)


def kanji_amount(text: str) -> Decimal:
    """Yen of an amount in kanji numerals.

    >>> kanji_amount("二千三百七十九億円"), kanji_amount("一兆五千億円")
    (Decimal('237900000000'), Decimal('1500000000000'))
    """
    body = text.rstrip("円")
    total = 0
    for match in re.finditer(rf"({_KANJI_NUM})([兆億万]?)", body):
        total += kanji_number(match[1]) * _LARGE.get(match[2], 1)
    return Decimal(total)


def amount_value(text: str) -> tuple[Decimal, bool]:
    """(yen, approximate) of one printed amount; raises ValueError for anything else.

    >>> amount_value("約二千三百七十九億円")
    (Decimal('237900000000'), True)
    >>> amount_value("1.5兆円")
    (Decimal('1500000000000'), False)
    """
    compact = re.sub(r"\s+", "", text)
    approximate = compact.startswith("約")
    body = compact[1:] if approximate else compact
    if _KANJI_RE.match(compact):
        return kanji_amount(body), approximate
    if not _AMOUNT_RE.match(compact):
        raise ValueError(f"not an amount: {text!r}")
    return parse_yen(body), approximate


def scaled_value(number: str, unit: str) -> Decimal:
    """Yen of a bare table figure in a stated unit.

    >>> scaled_value("36,834", "百万円"), scaled_value("25,939,265", "千円")
    (Decimal('36834000000'), Decimal('25939265000'))
    """
    return parse_yen(re.sub(r"\s+", "", number) + unit)


def compact_amount(text: str) -> str:
    """The printed amount without inner spaces, as stored in `amount_text`."""
    return re.sub(r"\s+", "", text)


@dataclass
class Bracket:
    """What a bracket after an amount holds: the previous year, 新規, an increase, or something else."""

    kind: str  # previous | new | change | rate | same | other
    amount: Decimal | None = None
    text: str = ""
    marker: str | None = None
    previous_kind: str = "initial"  # of a bracket that names the previous year's figure (「前年度補正予算額」)


_NEW = re.compile(r"^(?:新\s*規|皆\s*増)$")
_NO_PREVIOUS = re.compile(rf"^{PLACEHOLDER}\s*(?P<mk>※\s*\d*)?$")
# 「対前年度+5億円」「▲3億円」「149億円増」: a difference, never the previous year's figure
_SIGNED = re.compile(rf"^(?P<vs>対前年度比?|前年度比|対前年度|前年度から)?\s*(?P<sign>[+＋▲△\-−])?\s*(?P<amt>{ANY_AMOUNT})"
                     r"\s*(?P<dir>増|減)?\s*額?$")
# 「+12.5%」「対前年度比105%」「▲3.0%」: a rate of change
RATE = r"(?:対前年度比?|前年度比|伸び率|増減率)?\s*[+＋▲△\-−]?\s*\d+(?:\.\d+)?\s*%\s*(?:増|減)?"
_RATE = re.compile(rf"^{RATE}$")
_SAME = re.compile(r"^(?:ほぼ)?同\s*額$|^前年度\s*同\s*額?$")
# The words that say a figure is the previous year's: 「前年度予算額」「前年度当初予算額」 (not 「補正後」: a sum)
PREVIOUS_WORDS = r"前年度\s*(?P<pkw>当初|補正)?\s*予算\s*額?"
_LABELLED_PREVIOUS = re.compile(rf"^(?:{PREVIOUS_WORDS}|前年度)\s*[:]?\s*(?P<amt>{ANY_AMOUNT})$")


def read_bracket(inner: str, brackets_hold: str = "previous") -> Bracket:
    """Classify the text inside brackets after an amount.

    `brackets_hold` is what the page says its brackets contain ("previous", or "change" when a note
    such as 「()内は…差額」 says so). A sign or 増/減 always makes it a change; 新規 or 「-※1」 a new item.

    >>> read_bracket("149億円増").kind, read_bracket("149億円増").amount
    ('change', Decimal('14900000000'))
    >>> read_bracket("-※1").kind, read_bracket("-※1").marker, read_bracket("5,372百万円").kind
    ('new', '※1', 'previous')
    >>> read_bracket("13億円", brackets_hold="change").kind
    'change'
    >>> [read_bracket(t).kind for t in ("対前年度+5億円", "+12.5%", "前年度予算額 41億円", "前年度 40億円", "230億円の内数")]
    ['change', 'rate', 'previous', 'previous', 'other']
    """
    text = re.sub(r"\s+", " ", inner).strip()
    if (match := _LABELLED_PREVIOUS.match(text)):
        previous_kind = "supplementary" if match["pkw"] == "補正" else "initial"
        return Bracket("previous", amount_value(match["amt"])[0], text=match["amt"], previous_kind=previous_kind)
    if _NEW.match(text):
        return Bracket("new", text=text)
    if (match := _NO_PREVIOUS.match(text)):
        return Bracket("new", text=text, marker=re.sub(r"\s+", "", match["mk"]) if match["mk"] else None)
    if _SAME.match(text):
        return Bracket("same", text=text)
    if (match := _SIGNED.match(text)):
        value = amount_value(match["amt"])[0]
        sign, direction = match["sign"] or "", match["dir"] or ""
        if sign in ("▲", "△", "-", "−") or direction == "減":
            return Bracket("change", -value, text)
        if sign or direction or match["vs"]:
            return Bracket("change", value, text)
        if brackets_hold == "change":
            return Bracket("change", None, text)  # a difference whose sign the page does not print
        return Bracket("previous", value, text)
    if _RATE.match(text):
        return Bracket("rate", text=text)
    return Bracket("other", text=text)


ARROW = re.compile(
    rf"(?P<prev>{AMOUNT})\s*[⇒→➡]\s*(?P<amt>{AMOUNT})\s*(?:\(\s*(?P<rate>[+\-−▲△]?\s*\d+(?:\.\d+)?)\s*%\s*\))?")
