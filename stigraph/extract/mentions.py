"""Entity mentions: a pyahocorasick gazetteer of registry labels, accepted only at token boundaries.

Text and labels are put in one matching form: `normalize`, then whitespace removed except one space
between two ASCII letters/digits ("Beyond 5G" stays, "未来共創\\n推進事業" joins). A hit is kept only if
it is not glued to a neighbour of the same character class (see `at_boundary`); overlapping hits are
resolved longest first.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

import ahocorasick

from stigraph.extract.generic_labels import GenericLabels, GenericRule, judge, load_generic_labels
from stigraph.loaders.text import match_form, normalize

_ASCII_WORD = re.compile(r"[A-Za-z0-9]")
_WS = re.compile(r"\s+")
MIN_LABEL = 2
SKIPPED_REGISTRY_FILES: list[str] = []
NOUN_SUFFIXES = set("者員所室")
"""Registry files left out of the gazetteer because they did not load (reported by the CLI)."""


def _char_class(ch: str) -> str:
    if ch.isascii() and ch.isalnum():
        return "ascii"
    code = ord(ch)
    if 0x30A0 <= code <= 0x30FF or ch == "ー":
        return "katakana"
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or ch in "々〆":
        return "kanji"
    if 0x3040 <= code <= 0x309F:
        return "hiragana"
    return "other"


def at_boundary(text: str, start: int, end: int) -> bool:
    """True if text[start:end] is not glued to the same kind of characters around it.

    ASCII names must not touch ASCII letters/digits (JST in JSTAGE, SIP in SIPS2024 are rejected);
    katakana names must not touch katakana; short kanji names (≤ 3 characters) must not follow a
    kanji (理研 inside 物理研究所 is rejected, 文科省所管 keeps 文科省).

    >>> at_boundary("JSTAGE", 0, 3), at_boundary("JSTの", 0, 3), at_boundary("物理研究所", 1, 3)
    (False, True, False)
    """
    first, last = text[start], text[end - 1]
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    for edge, neighbour in ((first, before), (last, after)):
        if not neighbour:
            continue
        cls = _char_class(edge)
        if cls in ("ascii", "katakana") and _char_class(neighbour) == cls:
            return False
    if all(_char_class(c) == "kanji" for c in text[start:end]):
        if before and _char_class(before) == "kanji" and end - start <= 3:
            return False
        if after and after in NOUN_SUFFIXES and end - start <= 4:
            return False  # 若手研究 inside 若手研究者
    return True


TOKENIZERS = ("rules", "sudachi")


@lru_cache(maxsize=1)
def _sudachi_tokenizer():
    try:
        from sudachipy import dictionary
    except ImportError:
        from stigraph.errors import ExtractionError

        raise ExtractionError("the sudachi tokenizer needs the [ja] extra: pip install 'stigraph[ja]'") from None
    sudachi = dictionary.Dictionary(dict="core")
    return sudachi.tokenizer() if hasattr(sudachi, "tokenizer") else sudachi.create()


def sudachi_boundaries(text: str) -> set[int]:
    """Character offsets where SudachiPy (split mode A, the shortest units) puts a token boundary.

    >>> sorted(sudachi_boundaries("物理研究所と理研"))  # doctest: +SKIP
    [0, 2, 4, 5, 6, 8]
    """
    from sudachipy import tokenizer

    bounds = {0, len(text)}
    mode = tokenizer.Tokenizer.SplitMode.A
    # Sudachi refuses very long inputs: tokenize line by line, keeping offsets.
    offset = 0
    for line in text.split("\n"):
        for chunk_start in range(0, len(line), 4000):
            chunk = line[chunk_start:chunk_start + 4000]
            for morpheme in _sudachi_tokenizer().tokenize(chunk, mode):
                bounds.add(offset + chunk_start + morpheme.begin())
                bounds.add(offset + chunk_start + morpheme.end())
        offset += len(line) + 1
        bounds.add(offset - 1)
    return bounds


@dataclass
class Gazetteer:
    """Compiled labels -> entity ids (one label may name several ids; all are reported).

    `tokenizer` decides which hits count: "rules" (the character-class rule of `at_boundary`) or
    "sudachi" (both ends on SudachiPy mode-A token boundaries; needs the [ja] extra).
    """

    automaton: ahocorasick.Automaton | None
    labels: dict[str, list[str]] = field(default_factory=dict)
    classes: dict[str, str] = field(default_factory=dict)
    tokenizer: str = "rules"
    generic: dict[str, GenericRule] = field(default_factory=dict)
    """Labels that are common words or fragments -> the rule saying where they count (generic_labels.py)."""
    rivals: dict[str, frozenset[str]] = field(default_factory=dict)
    """Generic label -> the entities whose other labels contain it."""

    def find(self, text: str) -> list[tuple[int, int, list[str]]]:
        """(start, end, ids) of accepted hits in a text already in `match_form`, longest first, no overlaps."""
        if self.automaton is None or not text:
            return []
        bounds = sudachi_boundaries(text) if self.tokenizer == "sudachi" else None
        hits = []
        for end_index, label in self.automaton.iter(text):
            start = end_index - len(label) + 1
            accepted = (start in bounds and end_index + 1 in bounds) if bounds is not None \
                else at_boundary(text, start, end_index + 1)
            if accepted:
                hits.append((start, end_index + 1, label))
        hits.sort(key=lambda h: (-(h[1] - h[0]), h[0]))
        taken = bytearray(len(text))
        result = []
        for start, end, label in hits:
            if any(taken[start:end]):
                continue
            taken[start:end] = b"\x01" * (end - start)
            result.append((start, end, self.labels[label]))
        result.sort()
        return result

    def meant(self, text: str, dropped: Counter[str] | None = None) -> list[tuple[int, int, list[str]]]:
        """`find`, keeping a generic label's hits only where their context makes them the entity.

        Dropped hits are added to `dropped` (label -> count) when given.
        """
        kept, lost = judge(text, self.find(text), self.generic, self.rivals)
        if dropped is not None:
            dropped.update(lost)
        return kept


def build_gazetteer(names: dict[str, list[str]], classes: dict[str, str] | None = None,
                    generic: GenericLabels | None = None) -> Gazetteer:
    """A gazetteer from {entity id: [labels...]} (ja, en, alt labels, abbreviations).

    Labels that `generic` (the rules of stigraph/data/generic_labels.yaml) calls common words or fragments
    count only in their contexts (see `Gazetteer.meant`).

    >>> g = build_gazetteer({"goal-8": ["気象"], "jma": ["気象庁"]}, generic=load_generic_labels())
    >>> [ids for _, _, ids in g.meant(match_form("気象予測と気象庁と気象の目標"))]
    [['jma'], ['goal-8']]
    """
    labels: dict[str, list[str]] = {}
    for ident, values in names.items():
        for value in values:
            key = match_form(str(value))
            if len(key) < MIN_LABEL or (len(key) < 3 and key.isascii() and not key.isupper()):
                continue
            ids = labels.setdefault(key, [])
            if ident not in ids:
                ids.append(ident)
    if not labels:
        return Gazetteer(None, {}, classes or {})
    automaton = ahocorasick.Automaton()
    for key in labels:
        automaton.add_word(key, key)
    automaton.make_automaton()
    rules = {key: rule for key in labels if generic and (rule := generic.rule_for(key)) is not None}
    named_by = [(key, ids) for key, ids in labels.items() if key not in rules]
    rivals = {g: frozenset(i for key, ids in named_by if g in key for i in ids) for g in rules}
    return Gazetteer(automaton, labels, classes or {}, generic=rules, rivals=rivals)


@lru_cache(maxsize=4)
def extraction_registry(registry_dir: str | None = None):
    """The registry the extractors read labels and figures from (cached; default: the bundled one).

    A registry that does not load as a whole (e.g. while it is being written) is read file by file.
    """
    from pathlib import Path

    from stigraph.loaders.registry.schema import default_registry_dir, load_registry

    folder = Path(registry_dir) if registry_dir else default_registry_dir()
    try:
        return load_registry([folder])
    except Exception as exc:  # a registry being edited must not stop extraction: read what parses
        SKIPPED_REGISTRY_FILES.append(f"registry not consistent ({exc}); labels read file by file")
        return _tolerant_registry(folder)


@lru_cache(maxsize=4)
def registry_gazetteer(registry_dir: str | None = None) -> tuple[Gazetteer, dict[str, str], dict[str, list[str]]]:
    """Gazetteer, {compact label: id} and theme keywords from the curated registry (cached)."""
    registry = extraction_registry(registry_dir)
    names: dict[str, list[str]] = {}
    for ident, entity in registry.entities.items():
        names[ident] = [entity.ja, entity.en]
    for fact in registry.facts:
        if fact.entity in names:
            names[fact.entity].extend(fact.alt)
    classes = {ident: e.cls for ident, e in registry.entities.items()}
    label_ids: dict[str, str] = {}
    for ident, values in names.items():
        for value in values:
            label_ids.setdefault(_WS.sub("", normalize(value)), ident)
    themes = {t.id: t.keywords for t in registry.themes.values()}
    return build_gazetteer(names, classes, load_generic_labels()), label_ids, themes


def _tolerant_registry(folder):
    """Parse each registry file on its own, skipping broken ones and cross-file checks."""
    from stigraph.loaders.registry import schema as rs

    registry = rs.Registry(entities={}, facts=[], themes={}, files=[])
    files = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml")) if folder.is_dir() else []
    for path in files:
        trial = rs.Registry(entities=dict(registry.entities), facts=[], themes=dict(registry.themes), files=[])
        try:
            rs._parse_file(path, trial)
        except Exception as exc:
            SKIPPED_REGISTRY_FILES.append(f"{path.name}: {exc}")
            continue
        registry.entities.update(trial.entities)
        registry.themes.update(trial.themes)
        registry.facts.extend(f for f in trial.facts if f.entity in trial.entities or f.entity in registry.entities)
        registry.files.append(path)
    return registry


@dataclass
class Mention:
    """One entity named in a document: how often and on which lines."""

    entity: str
    count: int
    lines: list[int]
    labels: list[str]

    def to_dict(self) -> dict:
        return {"entity": self.entity, "count": self.count, "lines": self.lines, "labels": self.labels}


def document_text(lines: list[str], mask_tags: bool = True) -> tuple[str, list[int]]:
    """Join normalised lines into one match-form text and the start offset of each line in it.

    A line that ends a paragraph (blank line after it) gets a separator so names never join across it;
    the contents of 【…】 tags are masked (they are responsibility tags, not mentions).
    """
    parts: list[str] = []
    starts: list[int] = []
    pos = 0
    for i, line in enumerate(lines):
        form = match_form(line, normalized=True)
        if form[:1].isascii() and form[:1].isalnum() and parts and parts[-1][-1:].isascii() and parts[-1][-1:].isalnum():
            form = " " + form  # "Beyond" + "5G" across a line break
        nxt_blank = i + 1 < len(lines) and not lines[i + 1].strip()
        if nxt_blank or not form:
            form += "|"
        starts.append(pos)
        parts.append(form)
        pos += len(form)
    text = "".join(parts)
    if mask_tags:
        text = re.sub(r"【[^【】]{0,200}】", lambda m: "|" * len(m[0]), text)
    return text, starts


def find_mentions(lines: list[str], gazetteer: Gazetteer, dropped: Counter[str] | None = None) -> list[Mention]:
    """Mention counts per entity in a document, with the 1-based lines of each hit.

    Hits on generic labels outside their contexts are left out and counted in `dropped` (label -> count).
    """
    text, starts = document_text(lines)
    per: dict[str, list[int]] = {}
    labels: dict[str, Counter[str]] = {}
    for start, end, ids in gazetteer.meant(text, dropped):
        line = bisect_right(starts, start)
        for ident in ids:
            per.setdefault(ident, []).append(line)
            labels.setdefault(ident, Counter())[text[start:end]] += 1
    return [Mention(ident, len(found), sorted(set(found)), [label for label, _ in labels[ident].most_common()])
            for ident, found in sorted(per.items())]


def entities_in(text: str, gazetteer: Gazetteer, classes: set[str] | None = None,
                dropped: Counter[str] | None = None) -> list[str]:
    """Ids named in a short text (e.g. one measure), optionally only of the given classes."""
    found: list[str] = []
    for _, _, ids in gazetteer.meant(match_form(text, normalized=True), dropped):
        for ident in ids:
            if ident not in found and (classes is None or gazetteer.classes.get(ident) in classes):
                found.append(ident)
    return found


def theme_automaton(keywords: dict[str, list[str]]) -> ahocorasick.Automaton | None:
    """An automaton over the theme keywords (build once, pass to `themes_in`)."""
    values: dict[str, list[str]] = {}
    for theme, words in sorted(keywords.items()):
        for word in words:
            key = match_form(word)
            if key and theme not in values.setdefault(key, []):
                values[key].append(theme)
    if not values:
        return None
    automaton = ahocorasick.Automaton()
    for key, themes in values.items():
        automaton.add_word(key, (key, tuple(themes)))
    automaton.make_automaton()
    return automaton


def themes_in(text: str, keywords: dict[str, list[str]] | ahocorasick.Automaton | None) -> list[str]:
    """Theme ids whose keywords occur in the text (ASCII keywords only at ASCII word boundaries).

    >>> themes_in("量子コンピュータとAI", {"quantum": ["量子"], "ai": ["AI"], "x": ["FAIR"]})
    ['ai', 'quantum']
    """
    automaton = theme_automaton(keywords) if isinstance(keywords, dict) else keywords
    if automaton is None:
        return []
    form = match_form(text, normalized=True)
    found: set[str] = set()
    for end, (key, themes) in automaton.iter(form):
        start = end - len(key) + 1
        if not key.isascii() or at_boundary(form, start, end + 1):
            found.update(themes)
    return sorted(found)
