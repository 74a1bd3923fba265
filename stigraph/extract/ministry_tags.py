"""Responsible-ministry tags of strategy measures (【科技、文、経】): the legend, splitting a tag, resolving a token.

The abbreviations come from the document's own legend (「府省の略称は…」) and from
stigraph/data/strategy_legend.yaml (abbreviation -> registry id, with the legend line); a tag's text is cut
into known abbreviations, repairing what a PDF dump breaks (missing separators, footnote digits, text of
another column inside the tag).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from stigraph.extract.reading import Document

GENERIC = {"関係府省": "all-relevant-ministries", "関係省庁": "all-relevant-ministries",
           "関係府省庁": "all-relevant-ministries", "全府省": "all-relevant-ministries",
           "全省庁": "all-relevant-ministries"}

@dataclass
class Legend:
    """Abbreviation -> (full name, line) from the document, and abbreviation -> (id, line) from data."""

    document: dict[str, tuple[str, int]] = field(default_factory=dict)
    groups: dict[str, int] = field(default_factory=dict)
    data: dict[str, tuple[str, int]] = field(default_factory=dict)

    def known(self) -> set[str]:
        return set(self.document) | set(self.groups) | set(self.data) | set(GENERIC)


def default_legend_path() -> Path:
    return Path(__file__).resolve().parents[1] / "data" / "strategy_legend.yaml"


def load_legend_data(path: Path | None = None) -> dict[str, tuple[str, int]]:
    """Read strategy_legend.yaml (a list of {abbr, id, line}); an absent file gives an empty map."""
    path = path or default_legend_path()
    if not path.exists():
        return {}
    from stigraph.loaders.text import compact

    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return {compact(str(e["abbr"])): (str(e["id"]), int(e.get("line") or 0))
            for e in entries if isinstance(e, dict) and e.get("abbr") and e.get("id")}


def parse_document_legend(doc: Document) -> tuple[dict[str, tuple[str, int]], dict[str, int], int | None]:
    """The document's own legend (「※【 】中において用いられる府省の略称は…」): rows, group headers, start index."""
    start = next((i for i, line in enumerate(doc.lines) if "府省の略称は" in line), None)
    rows: dict[str, tuple[str, int]] = {}
    groups: dict[str, int] = {}
    if start is None:
        return rows, groups, None
    pending: tuple[str, int] | None = None
    for i in range(start + 1, len(doc.lines)):
        parts = doc.lines[i].split()
        if not parts or parts[:2] == ["略称", "府省名"]:
            continue
        if len(parts) == 1 and parts[0] in ("内閣官房", "内閣府"):
            groups[parts[0]] = i + 1
        elif len(parts) == 1 and pending is None:
            pending = (parts[0], i + 1)
        elif len(parts) == 1 and pending is not None:
            rows[pending[0]] = (parts[0], pending[1])
            pending = None
        else:
            name = re.sub(r"【[^】]*】", "", " ".join(parts[1:]))
            rows[parts[0]] = (name, i + 1)
    return rows, groups, start


def split_tag(inner: str, known: set[str]) -> tuple[list[str], list[str], list[str]]:
    """Tokens, unknown tokens and repairs of one tag's content (whitespace already removed).

    >>> split_tag("科技、文経", {"科技", "文", "経"})
    (['科技', '文', '経'], [], ['missing separator: 文経'])
    >>> split_tag("IT37", {"IT"})
    (['IT'], [], ['footnote digits: IT37'])
    """
    repairs: list[str] = []
    if "。" in inner:
        head, tail = inner.split("。", 1)[0], inner.rsplit("。", 1)[1]
        lead = []
        for tok in re.split(r"[、,・]", head):
            if tok not in known:
                break
            lead.append(tok)
        inner = "、".join(lead + [tail])
        repairs.append("text from another column inside the tag")
    if "・" in inner:
        repairs.append("・ as separator")
    raw_tokens = re.split(r"[、,・]", inner)
    if raw_tokens and raw_tokens[-1] == "" and len(raw_tokens) > 1:
        repairs.append("trailing separator")
    tokens: list[str] = []
    unknown: list[str] = []
    for tok in (t for t in raw_tokens if t):
        if tok in known:
            tokens.append(tok)
            continue
        stripped = re.sub(r"\d+$", "", tok)
        if stripped != tok and stripped in known:
            tokens.append(stripped)
            repairs.append(f"footnote digits: {tok}")
            continue
        parts = _greedy_split(stripped, known)
        if parts:
            tokens.extend(parts)
            repairs.append(f"missing separator: {tok}")
        else:
            unknown.append(tok)
    return tokens, unknown, repairs


def _greedy_split(token: str, known: set[str]) -> list[str] | None:
    parts: list[str] = []
    pos = 0
    longest = max((len(k) for k in known), default=0)
    while pos < len(token):
        for size in range(min(longest, len(token) - pos), 0, -1):
            if token[pos:pos + size] in known:
                parts.append(token[pos:pos + size])
                pos += size
                break
        else:
            return None
    return parts if len(parts) > 1 else None


def resolve_tag(token: str, legend: Legend, label_ids: dict[str, str]) -> str | None:
    """The registry id a tag token stands for (legend data first, then the document's legend and labels)."""
    if token in legend.data:
        return legend.data[token][0]
    if token in GENERIC:
        return GENERIC[token]
    name = legend.document.get(token, (token, 0))[0] if token in legend.document else token
    for candidate in (name, name.split()[0] if name.split() else name, "内閣府" + name, "内閣官房" + name):
        ident = label_ids.get(re.sub(r"\s+", "", candidate))
        if ident:
            return ident
    return None
