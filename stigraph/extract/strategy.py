"""Strategy action items -> `Measure` records with their responsible-ministry tags (【科技、文、経】).

The three-column tables of an integrated-innovation-strategy dump print a row column by column; a row
that crosses a page resumes after the page's footnotes. The text is cut into chunks: a chunk starts at
an item marker (〇/○ plan item, ・ or - action) or after a line that ends in whitespace (the dump's
paragraph end). A tag belongs to the bullet its chunk starts with; a chunk without a marker after a page
break continues the earliest bullet that was cut off (left, then middle, then right column).
Tags are matched over the whole text (they break across lines and inside abbreviations).
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from stigraph.extract.budget import Unread
from stigraph.extract.ministry_tags import (  # noqa: F401 - re-exported
    GENERIC, Legend, default_legend_path, load_legend_data, parse_document_legend, resolve_tag, split_tag,
)
from stigraph.extract.reading import Document

TAG = re.compile(r"【([^【】]{0,400})】")
TABLE_HEADER = "基本計画における具体的な取組"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
FOOTNOTE = re.compile(r"^([0-9]{1,3})(?![0-9０-９,.])\s?(?![年月日件%か名社億兆万回機人点つ期次])\S")
SIDE_BY_SIDE = re.compile(r"\s+(?=[・〇○]\S)")
_BULLETS = {"〇": "plan", "○": "plan", "・": "action", "-": "action", "•": "prose"}
_PAREN_ITEM = re.compile(r"^\((\d{1,2}|[a-z])\)")
GRAM_SPAN = 120  # characters of an item compared when looking for the item a (再掲) repeats
_CHAPTER = re.compile(r"^第\s*([0-9０-９]+)\s*章")
_SECTION = re.compile(r"^([0-9０-９]{1,2})\s*[．.](?![0-9０-９])\s*\S")
_PAREN = re.compile(r"^[（(]([0-9０-９]{1,2})[）)]")
_PAGE_NUMBER = re.compile(r"\d{1,3}")
_FULL_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


@dataclass
class Measure:
    """One tagged item of a strategy table. `text` stays in memory (never written to bundled data)."""

    id: str
    label: str
    section: str
    column: str  # plan | action
    marker: str
    line: int
    line_end: int
    tag_line: int
    tag: str
    ministries: list[str]
    ministry_ids: list[str]
    unresolved: list[str]
    repairs: list[str]
    relisted: bool
    text: str
    repeats: str | None = None
    mentions: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)

    def to_dict(self, with_text: bool = True) -> dict:
        data = {k: v for k, v in self.__dict__.items() if with_text or k != "text"}
        return data


class _Sections:
    """Heading path tracker: 第2章 -> 1. -> (1) -> ① (headings told apart on the raw line)."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.chapter = self.section = self.paren = 0
        self.circled = ""
        self.header_lines = {i for i, line in enumerate(doc.lines) if TABLE_HEADER in line}

    def _header_within(self, i: int, span: int) -> bool:
        return any(j in self.header_lines for j in range(i + 1, min(i + 1 + span, len(self.doc.lines))))

    def visit(self, i: int) -> bool:
        """Update the path with line i; True if the line is a heading."""
        raw = self.doc.raw[i]
        s = raw.strip()
        if not s or len(s) > 90 or "【" in s:
            return False
        if m := _CHAPTER.match(s):
            self.chapter, self.section, self.paren, self.circled = int(m[1].translate(_FULL_DIGITS)), 0, 0, ""
            return True
        if (m := _SECTION.match(s)) and not s.endswith("。"):
            if int(m[1].translate(_FULL_DIGITS)) == self.section + 1 and raw != raw.rstrip():
                self.section, self.paren, self.circled = self.section + 1, 0, ""
                return True
        if (m := _PAREN.match(s)) and raw != raw.rstrip():
            if int(m[1].translate(_FULL_DIGITS)) == self.paren + 1 and not s.endswith("。"):
                self.paren, self.circled = self.paren + 1, ""
                return True
        if s[0] in CIRCLED and self._header_within(i, 8):
            self.circled = s[0]
            return True
        return False

    @property
    def path(self) -> str:
        text = f"{self.chapter}.{self.section}" if self.section else f"{self.chapter}"
        return text + (f"({self.paren})" if self.paren else "") + self.circled


@dataclass
class _Chunk:
    kind: str | None  # plan / action / prose / None (continuation or prose)
    marker: str
    first: int
    pieces: list[tuple[int, int, int]] = field(default_factory=list)  # line, start col, end col
    tags: list[re.Match] = field(default_factory=list)
    section: str = ""
    closed_by_ws: bool = False
    footnote: bool = False
    page_start: bool = False


def _chunks(doc: Document, end: int, sections: _Sections, offsets: list[int]) -> list[_Chunk]:
    chunks: list[_Chunk] = []
    current: _Chunk | None = None
    in_footnote = False
    soft: _Chunk | None = None
    for i in range(end):
        raw, norm = doc.raw[i], doc.lines[i]
        if not norm.strip():
            soft = None  # a blank line confirms a paragraph end
            if raw:  # a whitespace-only line ends a paragraph; an empty line does not
                current = None
            continue
        if TABLE_HEADER in norm or sections.visit(i):
            current = soft = None
            chunks.append(_Chunk("header", "", i))
            in_footnote = False
            continue
        stripped = raw.strip()
        if _PAGE_NUMBER.fullmatch(stripped):  # a surviving page number
            current, soft, in_footnote = None, None, False
            chunks.append(_Chunk("pagebreak", "", i))
            continue
        lead = len(norm) - len(norm.lstrip())
        body = norm[lead:].rstrip()
        segments = [(lead, body)]
        if body[:1] in "〇○・" and SIDE_BY_SIDE.search(body):
            segments, pos = [], lead
            for part in SIDE_BY_SIDE.split(body):
                at = norm.index(part, pos)
                segments.append((at, part))
                pos = at + len(part)
        for col, part in segments:
            marker = part[:1]
            kind = _BULLETS.get(marker)
            if kind is None and _PAREN_ITEM.match(part):
                kind, marker = "action", part[:part.index(")") + 1]
            if kind is None and stripped[:1] in CIRCLED:
                kind, marker = "action", stripped[:1]
            page_start = not kind and raw[:1].isspace() and col == lead
            starts_footnote = current is None and not kind and FOOTNOTE.match(raw) is not None
            if current is None and soft is not None and not (kind or page_start or starts_footnote):
                current, current.closed_by_ws = soft, False  # a line break with a trailing space mid-item
            if kind or current is None or page_start:
                current = _Chunk(kind, marker if kind else "", i, section=sections.path)
                current.footnote = starts_footnote or (in_footnote and not kind and not raw[:1].isspace())
                current.page_start = raw[:1].isspace() and col == lead
                in_footnote = current.footnote
                chunks.append(current)
            current.pieces.append((i, col, col + len(part)))
        soft = None
        if raw != raw.rstrip() and not re.search(r"[A-Za-z0-9]$", raw.rstrip()):
            current.closed_by_ws = True  # type: ignore[union-attr]
            if not raw.rstrip().endswith(("。", "】")):
                soft = current
            current = None
    # attach tags by the offset of their opening bracket
    text_end = offsets[end] if end < len(offsets) else None
    starts = [(offsets[c.pieces[0][0]] + c.pieces[0][1], c) for c in chunks if c.pieces]
    position = 0
    joined = "\n".join(doc.lines[:end])
    for match in TAG.finditer(joined):
        if text_end is not None and match.start() >= text_end:
            break
        while position + 1 < len(starts) and starts[position + 1][0] <= match.start():
            position += 1
        if starts and starts[position][0] <= match.start():
            starts[position][1].tags.append(match)
    return chunks


def extract_measures(doc: Document, legend_data: dict[str, tuple[str, int]] | None = None,
                     label_ids: dict[str, str] | None = None) -> tuple[list[Measure], list[Unread], Legend]:
    """Every tagged item (〇/○ plan items, ・/- actions) of the strategy tables in `doc`.

    `legend_data` maps abbreviations to registry ids (strategy_legend.yaml); `label_ids` maps compact
    registry labels to ids, used for legend rows that the data file lacks.
    """
    rows, groups, legend_start = parse_document_legend(doc)
    legend = Legend(rows, groups, dict(legend_data if legend_data is not None else load_legend_data()))
    known = legend.known()
    end = next((i for i, line in enumerate(doc.lines) if line.strip() == "略称一覧"), None)
    end = min(x for x in (end, legend_start, len(doc.lines)) if x is not None)
    offsets = [0]
    for line in doc.lines:
        offsets.append(offsets[-1] + len(line) + 1)
    sections = _Sections(doc)
    chunks = _chunks(doc, end, sections, offsets)

    def line_of(offset: int) -> int:
        from bisect import bisect_right
        return bisect_right(offsets, offset)  # 1-based line

    unread: list[Unread] = []
    owned: list[tuple[_Chunk, list[_Chunk], re.Match, str | None]] = []
    queue: list[_Chunk] = []  # bullets cut by a page break, waiting for their continuation
    popped: list[_Chunk] = []  # cut bullets whose continuation came without a tag
    conts: dict[int, list[_Chunk]] = defaultdict(list)
    page_break = False
    last_open: _Chunk | None = None
    prev: _Chunk | None = None

    def own(bullet: _Chunk, parts: list[_Chunk], match: re.Match, repair: str | None = None) -> None:
        owned.append((bullet, parts, match, repair))
        for pending in (queue, popped):
            if bullet in pending:
                pending.remove(bullet)

    for chunk in chunks:
        if chunk.kind == "header":
            queue, popped, page_break, last_open, prev = [], [], False, None, None
            continue
        if chunk.kind == "pagebreak" or chunk.footnote:
            page_break = page_break or bool(queue)
            continue
        tags = [m for m in chunk.tags if _is_ministry_tag(m[1], known)]
        if chunk.page_start and queue:
            page_break = True
        extra = tags[1:]
        if chunk.kind in ("plan", "action"):
            if tags:
                own(chunk, [], tags[0], None)
                last_open = None
            else:
                text = doc.lines[chunk.pieces[-1][0]][:chunk.pieces[-1][2]].rstrip()
                if not chunk.closed_by_ws and not text.endswith("―"):
                    queue.append(chunk)
                last_open = chunk
        elif chunk.kind == "prose":
            continue
        elif queue and page_break:
            bullet = queue.pop(0)
            page_break = bool(queue)
            if tags:
                own(bullet, conts[id(bullet)] + [chunk], tags[0], None)
            else:
                conts[id(bullet)].append(chunk)
                popped.append(bullet)
        elif tags and _tag_only(chunk, doc) and prev is not None and prev is last_open:
            own(last_open, [chunk], tags[0], None)  # a tag alone under its item
            last_open = None
        elif tags and popped:
            bullet = popped.pop()
            own(bullet, conts[id(bullet)] + [chunk], tags[0], "continuation after a page break, by position")
        elif tags and last_open is not None:
            repair = None if _tag_only(chunk, doc) or not _ends_sentence(last_open, doc) else "nearest untagged item above"
            own(last_open, conts[id(last_open)] + [chunk], tags[0], repair)
            last_open = None
        elif last_open is not None:
            conts[id(last_open)].append(chunk)
            extra = tags
        else:
            extra = tags
        prev = chunk
        for match in extra:
            unread.append(Unread(line_of(match.start()), "ministry tag without an item it could be attached to",
                                 kind="measure", text=match[0]))

    measures = [_measure(doc, bullet, parts, match, legend, known, line_of, label_ids or {}, repair)
                for bullet, parts, match, repair in owned]
    measures.sort(key=lambda m: (m.line, m.id))
    per_section: Counter[str] = Counter()
    seen_ids: Counter[str] = Counter()
    prefix = doc.stem.split("_")[0]
    for m in measures:
        per_section[m.section] += 1
        m.label = f"{prefix} §{m.section} item {per_section[m.section]}" if m.section else f"{prefix} item {len(seen_ids) + 1}"
        seen_ids[m.id] += 1
        if seen_ids[m.id] > 1:
            m.id = f"{m.id}-{seen_ids[m.id]}"
    _link_relisted(measures)
    return measures, unread, legend


def _tag_only(chunk: _Chunk, doc: Document) -> bool:
    text = "".join(doc.lines[line][a:b] for line, a, b in chunk.pieces).strip()
    return text.startswith("【")


def _ends_sentence(chunk: _Chunk, doc: Document) -> bool:
    line, _, stop = chunk.pieces[-1]
    return doc.lines[line][:stop].rstrip().endswith("。")


def _is_ministry_tag(inner: str, known: set[str]) -> bool:
    tokens, _, _ = split_tag(re.sub(r"\s+", "", inner), known)
    return bool(tokens)


def _measure(doc, bullet: _Chunk, conts: list[_Chunk], match: re.Match, legend: Legend, known: set[str],
             line_of, label_ids: dict[str, str], repair: str | None = None) -> Measure:
    inner = re.sub(r"\s+", "", match[1])
    tokens, unknown, repairs = split_tag(inner, known)
    if repair:
        repairs.append(f"attached as {repair}")
    ids: list[str] = []
    unresolved = list(unknown)
    for tok in tokens:
        ident = resolve_tag(tok, legend, label_ids)
        if ident is None:
            unresolved.append(tok)
        elif ident not in ids:
            ids.append(ident)
    tag_start, tag_end = line_of(match.start()), line_of(match.end() - 1)
    pieces = bullet.pieces + [p for c in conts for p in c.pieces]
    text_parts = []
    for line, start, stop in pieces:
        if line + 1 > tag_end:
            break
        text_parts.append(doc.lines[line][start:stop].strip())
    text = re.sub(r"【[^【】]*】", "", "".join(text_parts))
    relisted = "(再掲)" in re.sub(r"\s+", "", "".join(doc.lines[line][s:e] for line, s, e in pieces if line + 1 <= tag_end))
    return Measure(
        id=f"L{bullet.first + 1}", label="", section=bullet.section,
        column="plan" if bullet.kind == "plan" else "action", marker=bullet.marker,
        line=bullet.first + 1, line_end=tag_end, tag_line=tag_start, tag="、".join(tokens + unknown),
        ministries=tokens, ministry_ids=ids, unresolved=unresolved, repairs=repairs,
        relisted=relisted, text=text)


def _key(text: str) -> str:
    return re.sub(r"\s+|\(再掲\)|^[〇○・-]", "", text)


def _link_relisted(measures: list[Measure]) -> None:
    """Link each (再掲) item to the item it repeats: same text, same start or end, else 3-gram overlap."""
    originals = [m for m in measures if not m.relisted]
    keys = [_key(m.text) for m in originals]
    by_key: dict[str, Measure] = {}
    by_head: dict[str, Measure] = {}
    by_tail: dict[str, Measure] = {}
    for m, key in zip(originals, keys):
        by_key.setdefault(key, m)
        if len(key) >= 25:
            by_head.setdefault(key[:25], m)
            by_tail.setdefault(key[-25:], m)
    pending = []
    for m in measures:
        if not m.relisted:
            continue
        key = _key(m.text)
        hit = by_key.get(key) or (by_head.get(key[:25]) if len(key) >= 25 else None) \
            or (by_tail.get(key[-25:]) if len(key) >= 25 else None)
        if hit:
            m.repeats = hit.id
        else:
            pending.append((m, key))
    if not pending:
        return
    index: dict[str, list[int]] = defaultdict(list)
    grams_of: list[set[str]] = []
    for n, key in enumerate(keys):
        key = key[:GRAM_SPAN]
        grams = {key[i:i + 3] for i in range(len(key) - 2)}
        grams_of.append(grams)
        for g in grams:
            index[g].append(n)
    for m, key in pending:
        key = key[:GRAM_SPAN]
        grams = {key[i:i + 3] for i in range(len(key) - 2)}
        votes: Counter[int] = Counter()
        for g in grams:
            if len(index.get(g, ())) <= 50:  # skip very common 3-grams
                votes.update(index.get(g, ()))
        for n, _ in votes.most_common(3):
            overlap = len(grams & grams_of[n]) / (min(len(grams), len(grams_of[n])) or 1)
            if overlap >= 0.6:
                m.repeats = originals[n].id
                break
