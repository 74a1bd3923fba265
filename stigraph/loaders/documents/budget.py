"""Budget lines -> `BudgetEntry` records, with fiscal year and kind taken from the document's context lines.

Read with confidence (everything else that ends in an amount is reported as `Unread`, never guessed):
- item lines with the previous year's figure (or 新規) in brackets:
  「2.戦略的創造研究推進事業(社会技術研究開発) 1,561百万円(1,516百万円)」, 「総事業費 1,241億円(1,225億円)」;
  a name broken over two lines is joined when the line above starts the numbered item;
- context lines with an amount: 「令和3年度予算額(案) 76億円」 + 「(前年度予算額 72億円)」 on the next line,
  「令和2年度第3次補正予算額(案) 2億円」, 「研究活動の不正行為への対応 令和3年度予算額(案) 137百万円」;
- name + amount lines right under a context line (「■令和2年度当初予算額(令和元年度当初予算額)」).
The fiscal year/kind of bracketed item lines is the nearest context line above (within a few lines),
else the document's prevailing context (the most frequent non-supplementary one).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from stigraph.loaders.era import fiscal_year
from stigraph.loaders.documents.reading import Document
from stigraph.loaders.money import format_yen, parse_yen

_NUM = r"\d{1,3}(?:,\s?\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_PART = rf"(?:{_NUM})\s*(?:兆|億|千万|百万|万|千)"
AMOUNT = rf"(?:(?:{_PART})\s*)+円|(?:{_NUM})\s*円"
_MARK = r"[※★☆*]*"
_PREV = rf"\(\s*(?P<prev>{AMOUNT}|新\s*規)\s*\)"
# name + amount [markers] [(previous | 新規)] [markers] at the end of a line
ITEM = re.compile(rf"^(?P<name>.*?)\s*(?P<amt>{AMOUNT})\s*(?P<mk1>{_MARK})\s*(?:{_PREV})?\s*(?P<mk2>{_MARK})\s*$")
# any line that ends in an amount (optionally bracketed / followed by a marker): a candidate budget line
CANDIDATE = re.compile(rf"(?:{AMOUNT})\s*{_MARK}\s*(?:\(\s*(?:{AMOUNT}|新\s*規)\s*\))?\s*{_MARK}\s*\)?\s*$")
_ERA = r"(?:令和|平成)\s*(?:\d{1,2}|元)\s*年度"
CONTEXT = re.compile(
    rf"^(?P<name>.*?)\s*(?P<ctx>(?P<era>{_ERA})\s*(?P<order>第\s*\d\s*次)?\s*(?:(?P<kw>当初|補正)?\s*予算|(?P<req>概算要求))\s*"
    rf"額?\s*(?P<draft>\(\s*案\s*\))?)\s*(?:\((?P<prevctx>[^()]*)\))?\s*(?:(?P<amt>{AMOUNT})\s*(?P<mk>{_MARK}))?\s*$")
PREVIOUS_LINE = re.compile(rf"^\(\s*前年度\s*(?P<kw>当初|補正)?\s*予算\s*額?\s*[:]?\s*(?P<amt>{AMOUNT})\s*\)$")
_NUMBERED = re.compile(r"^(?:\d{1,2}\s*[.．]|[■●◆□]|\(\d{1,2}\))\s*")
LOCAL_CONTEXT_LINES = 3


@dataclass
class BudgetEntry:
    """One budget figure as printed, with exact yen amounts and the line(s) it stands on."""

    name: str | None
    amount: Decimal
    amount_text: str
    fiscal_year: int
    kind: str
    line: int
    line_end: int | None = None
    previous: Decimal | None = None
    previous_text: str | None = None
    previous_kind: str = "initial"
    is_new: bool = False
    included_in: bool = False
    marker: str | None = None
    role: str = "item"  # item | total
    entity: str | None = None  # registry id when the name is a registry label
    also_lines: list[int] = field(default_factory=list)
    # set by budget_links: the line of the entry of this document that contains this one, and the IRIs of
    # the curated figures this one (and its previous-year figure) restate
    part_of_line: int | None = None
    curated: str | None = None
    previous_curated: str | None = None

    @property
    def previous_fiscal_year(self) -> int | None:
        return self.fiscal_year - 1 if self.previous is not None else None

    def to_dict(self) -> dict:
        return {
            "name": self.name, "role": self.role, "entity": self.entity,
            "amount_yen": str(self.amount), "amount_text": self.amount_text,
            "fiscal_year": self.fiscal_year, "kind": self.kind,
            "previous_yen": None if self.previous is None else str(self.previous),
            "previous_text": self.previous_text, "previous_fiscal_year": self.previous_fiscal_year,
            "previous_kind": self.previous_kind if self.previous is not None else None,
            "new": self.is_new, "included_in": self.included_in, "marker": self.marker,
            "line": self.line, "line_end": self.line_end, "also_lines": self.also_lines,
            "part_of_line": self.part_of_line, "curated": self.curated,
        }


@dataclass
class Unread:
    """A line an extractor saw but could not read with confidence."""

    line: int
    reason: str
    kind: str = "budget"
    text: str = ""

    def to_dict(self) -> dict:
        return {"kind": self.kind, "line": self.line, "reason": self.reason, "text": self.text}


@dataclass
class _Context:
    fiscal_year: int
    kind: str
    previous_kind: str
    line: int


def _kind(keyword: str | None, draft: bool) -> str:
    if keyword == "補正":
        return "supplementary"
    if keyword == "概算要求":
        return "request"
    if draft:
        return "draft"
    return "initial"


def _context(match: re.Match, line: int) -> _Context | None:
    try:
        year = fiscal_year(re.sub(r"\s+", "", match["era"]))
    except ValueError:
        return None
    previous_kind = "initial"
    prevctx = match["prevctx"] or ""
    if "補正" in prevctx:
        previous_kind = "supplementary"
    return _Context(year, _kind(match["kw"] or match["req"], bool(match["draft"])), previous_kind, line)


def _clean_name(name: str) -> tuple[str, bool, str | None]:
    """Strip numbering, list bullets, 新規 and markers from an item name."""
    is_new = False
    marker = None
    name = name.strip()
    if re.search(r"\(\s*新\s*規\s*\)", name):
        is_new = True
        name = re.sub(r"\(\s*新\s*規\s*\)", "", name)
    marks = re.findall(r"[※★☆]", name)
    if marks and re.search(r"[※★☆]\s*$", name):
        marker = marks[-1]
        name = re.sub(r"\s*[※★☆]+\s*$", "", name)
    name = _NUMBERED.sub("", name.strip())
    name = re.sub(r"^うち\s*", "", name)
    return name.strip(" :・"), is_new, marker


def _amount(text: str) -> Decimal:
    return parse_yen(re.sub(r"\s+", "", text))


def extract_budgets(doc: Document, labels: dict[str, str] | None = None) -> tuple[list[BudgetEntry], list[Unread]]:
    """Find budget entries in a document; return them and the candidate lines that could not be read.

    `labels` maps compact registry labels to ids; an entry whose whole name is a label gets `entity`.

    >>> from pathlib import Path
    >>> doc = Document(Path("x.txt"), "utf_8", [], ["令和3年度予算額(案) 10億円", "(前年度予算額 9億円)", "1.試行事業 3百万円(2百万円)"])
    >>> [(e.name, e.amount, e.previous, e.fiscal_year, e.kind) for e in extract_budgets(doc)[0]]
    [('試行事業', Decimal('3000000'), Decimal('2000000'), 2021, 'draft'), (None, Decimal('1000000000'), Decimal('900000000'), 2021, 'draft')]
    """
    lines = [line.strip() for line in doc.lines]
    labels = labels or {}
    contexts: dict[int, _Context] = {}
    for i, line in enumerate(lines):
        if "年度" in line and ("予算" in line or "要求" in line):
            match = CONTEXT.match(line)
            if match and len(match["name"]) <= 60 and "。" not in match["name"]:
                ctx = _context(match, i + 1)
                if ctx:
                    contexts[i] = ctx
    counts = Counter((c.fiscal_year, c.kind) for c in contexts.values() if c.kind != "supplementary")
    doc_context: _Context | None = None
    if counts:
        (year, kind), _ = counts.most_common(1)[0]
        doc_context = next(c for c in contexts.values() if (c.fiscal_year, c.kind) == (year, kind))

    items: list[BudgetEntry] = []
    totals: list[BudgetEntry] = []
    unread: list[Unread] = []
    consumed: set[int] = set()

    def local_context(i: int) -> _Context | None:
        for j in range(i - 1, max(-1, i - 1 - LOCAL_CONTEXT_LINES), -1):
            if j in contexts and contexts[j] is not None:
                return contexts[j]
        return None

    for i, line in enumerate(lines):
        if i in consumed or not line:
            continue
        if i in contexts:
            match = CONTEXT.match(line)
            ctx = contexts[i]
            if match["amt"]:
                entry = BudgetEntry(
                    name=_clean_name(match["name"])[0] or None, amount=_amount(match["amt"]),
                    amount_text=re.sub(r"\s+", "", match["amt"]), fiscal_year=ctx.fiscal_year, kind=ctx.kind,
                    line=i + 1, marker=(match["mk"] or None), role="total")
                nxt = i + 1
                while nxt < len(lines) and not lines[nxt]:
                    nxt += 1
                if nxt < len(lines) and (prev := PREVIOUS_LINE.match(lines[nxt])):
                    entry.previous = _amount(prev["amt"])
                    entry.previous_text = re.sub(r"\s+", "", prev["amt"])
                    entry.previous_kind = "supplementary" if prev["kw"] == "補正" else "initial"
                    entry.line_end = nxt + 1
                    consumed.add(nxt)
                if entry.name:
                    entry.role = "item"
                totals.append(entry)
            continue
        if not CANDIDATE.search(line):
            continue
        match = ITEM.match(line)
        if not match:
            unread.append(Unread(i + 1, "amount not at the end of a 'name amount (previous)' line", text=line))
            continue
        raw_name = match["name"]
        start = i
        if raw_name and not _NUMBERED.match(raw_name) and i > 0 and lines[i - 1] and (i - 1) not in contexts \
                and _NUMBERED.match(lines[i - 1]) and not CANDIDATE.search(lines[i - 1]) and "。" not in lines[i - 1]:
            raw_name = lines[i - 1] + raw_name  # a name broken over two lines
            start = i - 1
        name, is_new, marker = _clean_name(raw_name)
        prev_text = match["prev"]
        if prev_text and re.fullmatch(r"新\s*規", prev_text):
            is_new, prev_text = True, None
        marker = marker or (match["mk1"] or match["mk2"] or None)
        if not re.sub(r"[約\d,.~〜\s()+-]", "", name):
            unread.append(Unread(i + 1, "amount without an item name on its line", text=line))
            continue
        if re.search(AMOUNT, name):
            unread.append(Unread(i + 1, "several amounts on one line (a table row without headers)", text=line))
            continue
        if "。" in name or len(name) > 80 or re.search(r"[、,]$", name):
            unread.append(Unread(i + 1, "amount inside running text, not a budget line", text=line))
            continue
        ctx = local_context(start)
        if ctx is None:
            if prev_text is None and not is_new:
                unread.append(Unread(i + 1, "no previous-year figure and no fiscal-year context line next to it", text=line))
                continue
            ctx = doc_context
        if ctx is None:
            unread.append(Unread(i + 1, "no fiscal-year context line (令和N年度予算額 ...) in the document", text=line))
            continue
        entry = BudgetEntry(
            name=name, amount=_amount(match["amt"]), amount_text=re.sub(r"\s+", "", match["amt"]),
            fiscal_year=ctx.fiscal_year, kind=ctx.kind, line=start + 1, line_end=(i + 1) if start != i else None,
            is_new=is_new, marker=marker, previous_kind=ctx.previous_kind)
        if prev_text:
            entry.previous = _amount(prev_text)
            entry.previous_text = re.sub(r"\s+", "", prev_text)
        items.append(entry)

    # A context figure restating an item (same amount and previous, or same name) is one more line of it.
    result = list(items)
    for total in totals:
        same = [e for e in items if e.amount == total.amount and e.fiscal_year == total.fiscal_year
                and e.kind == total.kind and e.previous == total.previous
                and (total.name is None or total.name == e.name)]
        if same:
            same[0].also_lines.append(total.line)
        else:
            result.append(total)
    for entry in result:
        if entry.name:
            entry.entity = labels.get(re.sub(r"\s+", "", entry.name))
    result.sort(key=lambda e: e.line)
    return result, unread


def describe(entry: BudgetEntry) -> str:
    """A one-line human description, e.g. 'FY2021 draft 1,561百万円 (FY2020: 1,516百万円)'."""
    unit = "億円" if entry.amount_text.endswith("億円") else "百万円"
    text = f"FY{entry.fiscal_year} {entry.kind} {format_yen(entry.amount, unit)}"
    if entry.previous is not None:
        text += f" (FY{entry.fiscal_year - 1}: {format_yen(entry.previous, unit)})"
    return text
