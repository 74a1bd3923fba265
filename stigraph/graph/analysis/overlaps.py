"""Where efforts overlap: stated overlaps, re-listed measures, jointly run programs, look-alike programs.

Four kinds, each pair with the evidence it was reported for:
- `stated`: a source says so (stig:overlapsWith, from 一部重複 / 再掲 notes), with the source line.
- `relisted`: a strategy measure listed twice (same label, or a stated overlap between two measures).
- `shared-program`: two public bodies (ministries, councils, agencies, units) that both run
  (administer, take part in) the same program; score = shared programs / programs of the smaller
  portfolio. Universities and companies taking part are grantees, not overlapping funders; a unit
  with its agency, or an agency with its own ministry, is delegation, not overlap.
- `similar`: two programs run by different bodies that look alike: shared themes, policy basis,
  naming measures and label terms, scored by a weighted Jaccard with hubs down-weighted and found
  through prefix-filtered inverted indexes, never all pairs (`stigraph.graph.analysis.similarity`).
  A pair needs two shared features, or a shared policy basis or naming measure: one shared theme
  or label term alone is too weak to call two programs alike.
`min_score` filters the `similar` pairs only; the other kinds rest on stated facts and are always kept.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from itertools import combinations

from stigraph.errors import UserError
from stigraph.graph.analysis._common import (
    RUNNER_EDGES,
    GraphIndex,
    GraphLike,
    PartOfAncestors,
    as_networkx,
    ministries_of,
    no_gc,
    org_homes,
    runners,
)
from stigraph.graph.analysis.similarity import FEATURE_NAMES, FEATURE_WEIGHTS, feature_space, similar_pairs
from stigraph.loaders.text import normalize

KINDS = ("stated", "relisted", "shared-program", "similar")
PUBLIC_BODIES = frozenset({"Ministry", "Council", "Agency", "Unit"})
STRONG_FEATURES = frozenset({"basis", "measure"})
# A text shared by more measures than this is a generic phrase, not one measure listed again.
RELIST_GROUP_CAP = 10


@dataclass
class Overlap:
    """One reported pair (a < b), why it was reported and how strongly."""

    kind: str
    a: str
    b: str
    score: float
    reason: str
    a_label: str = ""
    b_label: str = ""
    a_runners: list[str] = field(default_factory=list)
    b_runners: list[str] = field(default_factory=list)
    evidence: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class OverlapsResult:
    """All pairs, sorted by kind (stated, relisted, shared-program, similar), score, ids."""

    overlaps: list[Overlap]
    min_score: float
    hub_cap: int
    counts: dict[str, int]

    def as_dict(self) -> dict:
        return {"min_score": self.min_score, "hub_cap": self.hub_cap, "counts": self.counts,
                "overlaps": [o.as_dict() for o in self.overlaps]}


def _stated(index: GraphIndex, run: dict[str, frozenset[str]]) -> list[Overlap]:
    pairs: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for u, v in sorted(index.edges("overlapsWith")):
        if u != v:
            pairs[tuple(sorted((u, v)))].append({"type": "stated", "subject": u, "predicate": "overlapsWith",
                                                 "object": v, "source": index.source(u, v, "overlapsWith")})
    out = []
    for (a, b), evidence in pairs.items():
        both_measures = index.cls.get(a) == index.cls.get(b) == "Measure"
        kind = "relisted" if both_measures else "stated"
        where = "; ".join(e["source"] for e in evidence if e["source"]) or "no source line"
        reason = (f"measure listed again: stated overlap ({where})" if both_measures
                  else f"stated in the source: {evidence[0]['subject']} overlapsWith {evidence[0]['object']} ({where})")
        out.append(_pair(index, run, kind, a, b, 1.0, reason, evidence))
    return out


def _relisted_by_label(index: GraphIndex, run: dict[str, frozenset[str]]) -> list[Overlap]:
    nodes = index.nxg.nodes
    groups: dict[str, list[str]] = defaultdict(list)
    for node, cls in index.cls.items():
        text = nodes[node].get("label_ja") if cls == "Measure" else None
        if text:
            groups[re.sub(r"\s+", "", normalize(text))].append(node)
    out = []
    for text, members in sorted(groups.items()):
        if 2 <= len(members) <= RELIST_GROUP_CAP:
            for a, b in combinations(sorted(members), 2):
                reason = f"measure listed twice with the same text 「{text}」"
                out.append(_pair(index, run, "relisted", a, b, 1.0, reason, [{"type": "same label", "label": text}]))
    return out


def _shared_programs(index: GraphIndex, homes: dict[str, frozenset[str]], hub_cap: int,
                     evidence_cap: int = 10) -> list[Overlap]:
    # Stated runners only: sub-programs inheriting the same pair would repeat one joint effort.
    how: dict[tuple[str, str], list[tuple[str, str, str]]] = defaultdict(list)  # (program, org) -> triples
    for predicate, forward in RUNNER_EDGES:
        for u, v in index.edges(predicate):
            program, org = (u, v) if forward else (v, u)
            if index.cls.get(program) == "Program" and index.cls.get(org) in PUBLIC_BODIES:
                how[(program, org)].append((u, predicate, v))
    run: dict[str, set[str]] = defaultdict(set)
    portfolio: dict[str, int] = defaultdict(int)
    for program, org in how:
        run[program].add(org)
        portfolio[org] += 1
    above = ministries_of(index)
    shared: dict[tuple[str, str], list[str]] = defaultdict(list)
    for program, orgs in sorted(run.items()):
        if not 2 <= len(orgs) <= hub_cap:
            continue
        for a, b in combinations(sorted(orgs), 2):
            # Same home (a unit and its agency) or an agency with its own ministry: delegation, not overlap.
            if homes.get(a, frozenset({a})) & homes.get(b, frozenset({b})) or a in above.get(b, ()) or b in above.get(a, ()):
                continue
            shared[(a, b)].append(program)
    themes_of = index.parents("hasTheme")
    labels = index.labels
    stated: dict[tuple[str, str], list[str]] = {}  # (program, org) -> how, with sources; built once

    def how_runs(program: str, org: str) -> list[str]:
        if (program, org) not in stated:
            stated[(program, org)] = [f"{s} {pr} {o} ({index.source(s, o, pr)})" for s, pr, o in how[(program, org)]]
        return stated[(program, org)]

    out = []
    for (a, b), programs in shared.items():
        evidence = []
        for p in programs[:evidence_cap]:
            evidence.append({"type": "program run by both", "id": p, "label": labels[p],
                             "themes": [labels[t] for t in sorted(themes_of.get(p, ()))],
                             "how": how_runs(p, a) + how_runs(p, b)})
        names = ", ".join(f"{e['label']} ({e['id']})" for e in evidence[:3])
        more = f" and {len(programs) - 3} more" if len(programs) > 3 else ""
        score = len(programs) / min(portfolio[a], portfolio[b])
        out.append(_pair(index, {}, "shared-program", a, b, score, f"both run {names}{more}", evidence))
    return out


def _similar(index: GraphIndex, run: dict[str, frozenset[str]], homes: dict[str, frozenset[str]],
             min_score: float, hub_cap: int) -> list[Overlap]:
    by_runners: dict[frozenset[str], frozenset[str]] = {}  # many programs share one runner set
    program_homes = {}
    for p in sorted(n for n, c in index.cls.items() if c == "Program"):
        orgs = run.get(p, frozenset())
        if orgs not in by_runners:
            by_runners[orgs] = frozenset().union(*(homes.get(o) or frozenset({o}) for o in orgs))
        program_homes[p] = by_runners[orgs]
    # Programs nobody is stated to run cannot be "run by different organizations": leave them out.
    programs = [p for p, h in program_homes.items() if h]
    space = feature_space(index, programs)
    home_of = [program_homes[p] for p in programs]
    found = similar_pairs(space, min_score, hub_cap, groups=home_of)
    ancestors = PartOfAncestors(index)
    out = []
    for a, b, score, common in found:
        pa, pb = programs[a], programs[b]
        if len(common) < 2 and space.features[common[0]][0] not in STRONG_FEATURES:
            continue  # one shared theme or label term is not enough to call two programs alike
        if ancestors.is_above(pa, pb) or ancestors.is_above(pb, pa):
            continue  # a sub-program resembles its parent by construction
        # Shared features in the global order: themes, policies, measures rarest first, then terms.
        shared = [(space.features[f], min(space.weight_of(a, f), space.weight_of(b, f))) for f in common]
        first, second = (pa, pb) if pa < pb else (pb, pa)
        out.append(_similar_pair(index, run, first, second, score, shared))
    return out


def _similar_pair(index: GraphIndex, run, a: str, b: str, score: float,
                  shared: list[tuple[tuple[str, str], float]]) -> Overlap:
    labels = index.labels
    evidence = []
    by_kind: dict[str, list[str]] = {k: [] for k in FEATURE_WEIGHTS}
    for (kind, value), weight in shared:
        text = value if kind == "term" else labels.get(value, value)
        evidence.append({"type": FEATURE_NAMES[kind], "id": value, "label": text, "weight": round(weight, 4)})
        by_kind[kind].append(text)
    parts = [f"shared {FEATURE_NAMES[k]}{'s' if len(names) > 1 else ''}: {', '.join(names[:5])}"
             for k, names in by_kind.items() if names]
    runs = f"run by {', '.join(sorted(run.get(a, ())))} vs {', '.join(sorted(run.get(b, ())))}"
    return _pair(index, run, "similar", a, b, score, "; ".join(parts) + f"; {runs}", evidence)


def _pair(index: GraphIndex, run, kind, a, b, score, reason, evidence) -> Overlap:
    return Overlap(kind=kind, a=a, b=b, score=round(score, 4), reason=reason, a_label=index.labels.get(a, a),
                   b_label=index.labels.get(b, b), a_runners=sorted(run.get(a, ())), b_runners=sorted(run.get(b, ())),
                   evidence=evidence)


@no_gc()
def overlaps(graph: GraphLike, min_score: float = 0.4, hub_cap: int = 200,
             kinds: tuple[str, ...] = KINDS) -> OverlapsResult:
    """Stated overlaps, re-listed measures, jointly run programs and look-alike programs (score >= min_score).

    >>> from pathlib import Path
    >>> from stigraph.builder.inputs import collect_quads
    >>> from stigraph.sparql.graph import StiGraph
    >>> g = StiGraph.from_nquads(collect_quads([Path("tests/fixtures/registry_analysis")], include_derived=False))
    >>> [o.kind for o in overlaps(g).overlaps][:2]
    ['stated', 'relisted']
    """
    if not 0 <= min_score <= 1:
        raise UserError(f"min score must be between 0 and 1, got {min_score}")
    if hub_cap < 2:
        raise UserError(f"hub_cap must be at least 2, got {hub_cap}")
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise UserError(f"unknown overlap kind {unknown[0]!r}; use {', '.join(KINDS)}")
    index = GraphIndex(as_networkx(graph))
    run = runners(index)
    homes = org_homes(index)
    found: list[Overlap] = []
    if "stated" in kinds or "relisted" in kinds:
        found += [o for o in _stated(index, run) if o.kind in kinds]
    if "relisted" in kinds:
        stated_pairs = {(o.a, o.b) for o in found}
        found += [o for o in _relisted_by_label(index, run) if (o.a, o.b) not in stated_pairs]
    if "shared-program" in kinds:
        found += _shared_programs(index, homes, hub_cap)
    if "similar" in kinds:
        found += _similar(index, run, homes, min_score, hub_cap)
    found.sort(key=lambda o: (KINDS.index(o.kind), -o.score, o.a, o.b))
    counts = {k: sum(1 for o in found if o.kind == k) for k in kinds}
    return OverlapsResult(overlaps=found, min_score=min_score, hub_cap=hub_cap, counts=counts)


def format_overlaps(result: OverlapsResult) -> str:
    """A table: kind, score, the two entities and the reason."""
    from stigraph.sparql.run import format_table

    rows = [[o.kind, f"{o.score:.2f}", f"{o.a} {o.a_label}", f"{o.b} {o.b_label}", o.reason] for o in result.overlaps]
    summary = ", ".join(f"{k} {v}" for k, v in result.counts.items())
    return format_table(["kind", "score", "a", "b", "why"], rows, max_width=90) + f"\n({summary}; min score {result.min_score})"
