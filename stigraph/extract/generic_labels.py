"""Generic labels: registry labels that are common words or fragments, counted only in a context that makes them the entity.

The rules are data (`stigraph/data/generic_labels.yaml`, format described there): a label or a pattern of
labels, why it is generic, and the contexts (`near` / `before` / `after` words within a window,
`document_share` of the entity among the entities whose labels contain the generic one) in which a hit on it
counts. `judge` applies them to the hits of a gazetteer and says how many hits it dropped, per label.

>>> rules = GenericLabels.from_data({"labels": [{"label": "気象", "why": "weather",
...                                              "count_when": [{"near": ["目標"], "window": 5}]}]})
>>> rule = rules.rule_for("気象")
>>> rule.counts("気象予測の高度化", 0, 2, "goal-8", {}, frozenset()), rule.counts("気象の目標", 0, 2, "goal-8", {}, frozenset())
(False, True)
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from stigraph.errors import ExtractionError

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "data" / "generic_labels.yaml"
DEFAULT_WINDOW = 12
_CONTEXT_KEYS = {"near", "before", "after", "window", "document_share"}
_ENTRY_KEYS = {"label", "pattern", "why", "count_when"}

Hit = tuple[int, int, list[str]]


@dataclass(frozen=True)
class Context:
    """One context in which a generic label counts (see the data file's header)."""

    near: tuple[str, ...] = ()
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    window: int = DEFAULT_WINDOW
    document_share: float | None = None

    def holds(self, text: str, start: int, end: int, entity: str, named: Mapping[str, int],
              rivals: frozenset[str]) -> bool:
        if any(self._ends_before(text, start, w) or self._starts_after(text, end, w) for w in self.near):
            return True
        if any(self._ends_before(text, start, w) for w in self.before) or \
                any(self._starts_after(text, end, w) for w in self.after):
            return True
        if self.document_share is not None and named.get(entity, 0) > 0:
            total = sum(named.get(e, 0) for e in rivals | {entity})
            return named[entity] / total >= self.document_share
        return False

    def _ends_before(self, text: str, start: int, word: str) -> bool:
        """`word` ends at most `window` characters before `start`."""
        return text.find(word, max(0, start - self.window - len(word)), start) != -1

    def _starts_after(self, text: str, end: int, word: str) -> bool:
        """`word` starts at most `window` characters after `end`."""
        return text.find(word, end, end + self.window + len(word)) != -1


@dataclass(frozen=True)
class GenericRule:
    """A generic label (or pattern of labels), why it is generic, and the contexts in which it counts."""

    why: str
    contexts: tuple[Context, ...]
    label: str | None = None
    pattern: re.Pattern | None = None

    def applies_to(self, label: str) -> bool:
        return label == self.label if self.label is not None else bool(self.pattern and self.pattern.search(label))

    def counts(self, text: str, start: int, end: int, entity: str, named: Mapping[str, int],
               rivals: frozenset[str]) -> bool:
        """True if the hit text[start:end] names `entity` here (one of the contexts holds)."""
        return any(c.holds(text, start, end, entity, named, rivals) for c in self.contexts)


class GenericLabels:
    """The rules of the data file, looked up by label (in the gazetteer's match form)."""

    def __init__(self, rules: Iterable[GenericRule], normalize=lambda s: s) -> None:
        self.rules = list(rules)
        self._normalize = normalize
        self._exact = {r.label: r for r in self.rules if r.label is not None}

    @classmethod
    def from_data(cls, data: dict, where: str = "generic labels", normalize=lambda s: s) -> GenericLabels:
        """Rules from the parsed YAML; ExtractionError naming `where` and the entry for a malformed one."""
        if not isinstance(data, dict) or set(data) - {"labels", "patterns"}:
            raise ExtractionError(f"{where}: expected top-level 'labels:' and 'patterns:' lists")
        rules = []
        for number, entry in enumerate([*(data.get("labels") or []), *(data.get("patterns") or [])], start=1):
            here = f"{where}: entry {number}"
            if not isinstance(entry, dict) or set(entry) - _ENTRY_KEYS or ("label" in entry) == ("pattern" in entry):
                raise ExtractionError(f"{here}: give one of 'label' or 'pattern', with 'why' and 'count_when'")
            contexts = []
            for raw in entry.get("count_when") or []:
                if not isinstance(raw, dict) or set(raw) - _CONTEXT_KEYS:
                    raise ExtractionError(f"{here}: a context has keys among {', '.join(sorted(_CONTEXT_KEYS))}")
                words = {k: tuple(normalize(str(w)) for w in raw.get(k) or ()) for k in ("near", "before", "after")}
                share = raw.get("document_share")
                if share is not None and not (isinstance(share, (int, float)) and 0 < share <= 1):
                    raise ExtractionError(f"{here}: document_share must be a number in (0, 1]")
                contexts.append(Context(**words, window=int(raw.get("window", DEFAULT_WINDOW)),
                                        document_share=float(share) if share is not None else None))
            try:
                pattern = re.compile(entry["pattern"]) if "pattern" in entry else None
            except re.error as exc:
                raise ExtractionError(f"{here}: bad pattern ({exc})") from None
            rules.append(GenericRule(str(entry.get("why", "")), tuple(contexts),
                                     normalize(str(entry["label"])) if "label" in entry else None, pattern))
        return cls(rules, normalize)

    def rule_for(self, label: str) -> GenericRule | None:
        """The rule a gazetteer label falls under, None for a label that is a name in its own right."""
        if label in self._exact:
            return self._exact[label]
        return next((r for r in self.rules if r.label is None and r.applies_to(label)), None)


@lru_cache(maxsize=4)
def load_generic_labels(path: str | None = None) -> GenericLabels:
    """The rules of the data file (default: the bundled stigraph/data/generic_labels.yaml), cached."""
    from stigraph.loaders.registry.yaml_lines import read_yaml
    from stigraph.loaders.text import match_form

    file = Path(path) if path else DEFAULT_PATH
    return GenericLabels.from_data(read_yaml(file) or {}, str(file), normalize=match_form)


def judge(text: str, hits: list[Hit], generic: Mapping[str, GenericRule], rivals: Mapping[str, frozenset[str]]
          ) -> tuple[list[Hit], Counter[str]]:
    """Keep the hits that name their entity: every non-generic hit, and generic hits in a context that counts.

    `generic` maps a gazetteer label to its rule; `rivals` maps it to the entities whose other labels contain
    it (for `document_share`, counted over the non-generic hits of the same `text`). Returns the kept hits
    (ids narrowed to those the context names) and the number of dropped hits per label.
    """
    named: Counter[str] = Counter(i for s, e, ids in hits if text[s:e] not in generic for i in ids)
    kept: list[Hit] = []
    dropped: Counter[str] = Counter()
    for start, end, ids in hits:
        label = text[start:end]
        rule = generic.get(label)
        if rule is None:
            kept.append((start, end, ids))
            continue
        meant = [i for i in ids if rule.counts(text, start, end, i, named, rivals.get(label, frozenset()))]
        if meant:
            kept.append((start, end, meant))
        else:
            dropped[label] += 1
    return kept, dropped


__all__ = ["Context", "GenericLabels", "GenericRule", "judge", "load_generic_labels"]
