"""Look-alike programs: typed features, idf weights, prefix-filtered candidates, weighted Jaccard.

Each program has typed features: its themes, its policy basis, the measures that name it and the
terms of its Japanese label. A feature weighs `type weight * log(1 + programs / programs with it)`,
so hubs count little; label terms no other program has are dropped and the rest are scaled to weigh
at most TERM_BUDGET terms together, so long names do not drown the rest. The similarity of two
programs is the weighted Jaccard (Ruzicka) sum(min) / sum(max) of their weight vectors.

Pairs are never enumerated all against all. Features have one global order (rarest first, label
terms last: any fixed order is correct, and this one keeps prefixes short); a program's prefix
is its shortest run of features in that order after which the remaining weight is below
min_score x its total. Two programs reaching min_score share a feature in both prefixes (otherwise
every shared feature lies in the suffix of the one whose prefix ends first, and sum(min) <= that
suffix < min_score x sum(max)), so pairing programs within each prefix posting list finds them all.
Hub features (themes, policies or measures of more than hub_cap programs, label terms of more than
hub_cap x TERM_HUB_SHARE) are never paired on and come last in every prefix order:
the pairs reported are exactly those with score >= min_score that share at least one non-hub feature.
Programs and features are integer-coded: at 100k nodes this loop is the analysis' hot path.
"""
from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass

from stigraph.graph.analysis._common import GraphIndex
from stigraph.loaders.text import normalize

FEATURE_WEIGHTS = {"theme": 1.0, "basis": 1.0, "measure": 1.0, "term": 0.5}
FEATURE_NAMES = {"theme": "theme", "basis": "policy basis", "measure": "naming measure", "term": "label term"}
TERM_BUDGET = 2.0
# Label terms are weaker evidence than themes or policies: one used by more than a quarter of
# hub_cap programs (50 by default) is already too generic to pair programs on.
TERM_HUB_SHARE = 0.25
_KANJI = re.compile(r"[\u4e00-\u9fff\u3005\u30f6]+")
_TOKEN = re.compile(r"[\u4e00-\u9fff\u3005\u30f6]+|[\u30a1-\u30fa\u30fc]{2,}|[A-Za-z][A-Za-z0-9]+|[0-9]+[A-Za-z]+")
# Words in almost every program name; kanji runs are split at them before taking bigrams.
_TERM_STOP = ("研究", "開発", "事業", "推進", "支援", "制度", "及び", "関する", "等", "プログラム")
_STOP_SPLIT = re.compile("|".join(_TERM_STOP))

Feature = tuple[str, str]
# Inside the hot loops a feature is one string, kind code + "|" + value: strings cache their hash,
# tuples hash again on every dict lookup.
KIND_CODES = {"theme": "T", "basis": "B", "measure": "M", "term": "W"}
_KIND_OF = {code: kind for kind, code in KIND_CODES.items()}


def label_terms(text: str) -> set[str]:
    """Terms of a label: kanji bigrams (compounds have no spaces), katakana words, Latin words.

    >>> sorted(label_terms("研究公正ポータル")), sorted(label_terms("研究開発戦略センター事業"))
    (['ポータル', '公正'], ['センター', '戦略'])
    """
    terms: set[str] = set()
    for token in _TOKEN.findall(normalize(text or "")):
        if token[0].isascii():
            terms.add(token.lower())
        elif _KANJI.fullmatch(token):
            for piece in _STOP_SPLIT.split(token):
                terms.update(piece[i:i + 2] for i in range(max(len(piece) - 1, 0)))
        elif len(token) >= 2:
            terms.add(token)
    return terms - set(_TERM_STOP)


def program_features(index: GraphIndex, programs: list[str]) -> dict[str, set[str]]:
    """Program -> its typed features, coded "T|theme/ai", "B|<policy>", "M|<measure>", "W|<label term>"."""
    features: dict[str, set[str]] = {p: set() for p in programs}
    coded: dict[str, str] = {}  # one string per theme or policy, shared by every program that has it
    for code, predicate in (("T|", "hasTheme"), ("B|", "basedOn")):
        targets = index.parents(predicate)
        for p, feats in features.items():
            for t in targets.get(p, ()):
                key = code + t
                feats.add(coded.setdefault(key, key))
    for u, v in index.edges("mentions"):
        if v in features and index.cls.get(u) == "Measure":
            features[v].add("M|" + u)
    nodes = index.nxg.nodes
    terms_of: dict[str, list[str]] = {}  # names repeat (sub-programs, yearly copies): split each once
    for program in programs:
        text = nodes[program].get("label_ja", "")
        if text not in terms_of:
            terms_of[text] = ["W|" + t for t in label_terms(text)]
        features[program].update(terms_of[text])
    return features


@dataclass
class FeatureSpace:
    """Integer-coded programs and features with their weights."""

    programs: list[str]
    features: list[Feature]            # feature id -> (type, value), in the global order
    weights: list[dict[int, float]]    # program id -> {feature id: weight}
    totals: list[float]
    document_frequency: list[int]

    def weight_of(self, program: int, feature: int) -> float:
        return self.weights[program][feature]


def feature_space(index: GraphIndex, programs: list[str]) -> FeatureSpace:
    """Weights of every program's features; feature ids follow the global order."""
    raw = program_features(index, programs)
    df: dict[str, int] = defaultdict(int)
    for feats in raw.values():
        for f in feats:
            df[f] += 1
    n = max(len(programs), 1)
    # The global order: themes, policy bases and measures rarest first, label terms (light: scaled
    # down) last, so prefixes end before the many small term weights and few pairs come from terms.
    ordered = sorted(df, key=lambda f: (f[0] == "W", df[f], f))
    fid = {f: i for i, f in enumerate(ordered)}
    idf = [FEATURE_WEIGHTS[_KIND_OF[f[0]]] * math.log(1 + n / df[f]) for f in ordered]
    first_term = next((i for i, f in enumerate(ordered) if f[0] == "W"), len(ordered))  # terms come last
    weights: list[dict[int, float]] = []
    for program in programs:
        # A label term no other program has says nothing about likeness and would only dilute it.
        ids = sorted(fid[f] for f in raw[program] if f[0] != "W" or df[f] > 1)
        terms = len(ids) - bisect_left(ids, first_term)
        scale = min(1.0, TERM_BUDGET / terms) if terms else 1.0
        weights.append({i: idf[i] * scale if i >= first_term else idf[i] for i in ids})
    # fsum: exact, so totals (and scores) never depend on summation order.
    return FeatureSpace(programs=programs, features=[(_KIND_OF[f[0]], f[2:]) for f in ordered], weights=weights,
                        totals=[math.fsum(w.values()) for w in weights], document_frequency=[df[f] for f in ordered])


def candidate_pairs(space: FeatureSpace, min_score: float, hub_cap: int) -> list[int]:
    """Pairs (a * n + b, a < b) sharing a non-hub feature in both prefixes that may reach min_score.

    Besides the prefix filter (module docstring), a positional filter: postings are read in the
    global order, so the first feature a pair meets on is its first shared feature at all (an
    earlier shared one would lie in both prefixes too); every shared weight then lies at or after
    it, so sum(min) <= the smaller of the two remaining weights, and a pair whose bound cannot give
    min_score is dropped before any set is intersected.
    """
    n = len(space.programs)
    postings: dict[int, list[tuple[int, float]]] = defaultdict(list)  # feature -> (program, weight from it on)
    df, totals = space.document_frequency, space.totals
    term_cap = max(2, int(hub_cap * TERM_HUB_SHARE))
    hub = [c > (term_cap if kind == "term" else hub_cap) for c, (kind, _) in zip(df, space.features, strict=True)]
    for program, weights in enumerate(space.weights):
        total = totals[program]
        rest = total
        # Hubs go last: then a pair with score >= min_score and any shared non-hub feature always
        # shares a non-hub feature in both prefixes (if the shared prefix feature were a hub, both
        # prefixes would already hold all their non-hub features).
        for feature in sorted(weights, key=lambda f: (hub[f], f)):
            if min_score > 0 and rest < min_score * total - 1e-12:
                break
            if df[feature] >= 2 and not hub[feature]:
                postings[feature].append((program, rest))
            rest -= weights[feature]
    seen: set[int] = set()
    candidates: list[int] = []
    for feature in sorted(postings):  # non-hub features: ascending id is the global order
        members = postings[feature]
        for i, (a, rest_a) in enumerate(members):
            total_a = totals[a]
            for b, rest_b in members[i + 1:]:
                key = a * n + b
                if key in seen:
                    continue
                seen.add(key)
                bound = rest_a if rest_a < rest_b else rest_b
                if bound < min_score * (total_a + totals[b] - bound) - 1e-12:
                    continue
                candidates.append(key)
    return candidates


def similar_pairs(space: FeatureSpace, min_score: float, hub_cap: int,
                  groups: list[frozenset[str]] | None = None) -> list[tuple[int, int, float, list[int]]]:
    """(a, b, score, shared feature ids) for pairs with score >= min_score (and > 0).

    With `groups` (one set per program, e.g. the bodies that run it), pairs whose groups intersect
    are skipped.
    """
    n = len(space.programs)
    weights, totals = space.weights, space.totals
    out = []
    for key in candidate_pairs(space, min_score, hub_cap):
        a, b = divmod(key, n)
        ta, tb = totals[a], totals[b]
        # sum(min) <= the smaller total and sum(max) >= the larger one: a cheap bound first.
        if ta < min_score * tb or tb < min_score * ta or (groups is not None and not groups[a].isdisjoint(groups[b])):
            continue
        wa, wb = weights[a], weights[b]
        common = wa.keys() & wb.keys()
        shared = math.fsum([wa[f] if wa[f] < wb[f] else wb[f] for f in common])  # exact: order-free
        union = ta + tb - shared  # sum(max) = sum(a) + sum(b) - sum(min)
        score = shared / union if union else 0.0
        if score >= min_score and shared > 0:
            out.append((a, b, score, sorted(common)))
    return out
