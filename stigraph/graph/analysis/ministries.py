"""The co-responsibility network of ministries, from the strategy's measures.

A stig:Measure (one action item of a strategy) names its responsible ministries with
stig:responsibleMinistry and the programs it refers to with stig:mentions. From these:
each ministry's share of the measures, how often two ministries share a measure (and on which
themes), and the measures that name a program run by an agency of a ministry not responsible for
the measure (where one ministry's plan leans on another ministry's delivery).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from stigraph.graph.analysis._common import GraphIndex, GraphLike, as_networkx, edge_source, label, ministries_of, no_gc, runners


@dataclass
class MinistriesResult:
    """Shares, pairs and cross-ministry mentions; every list sorted for stable output."""

    measures_total: int
    shares: list[dict] = field(default_factory=list)          # ministry, label, measures, share, sole
    pairs: list[dict] = field(default_factory=list)           # a, b, measures, jaccard, themes
    cross_mentions: list[dict] = field(default_factory=list)  # measure, program, owners, owner_ministries, ...
    other_responsible: list[dict] = field(default_factory=list)  # non-ministry tags such as 関係府省

    def as_dict(self) -> dict:
        return {"measures_total": self.measures_total, "shares": self.shares, "pairs": self.pairs,
                "cross_mentions": self.cross_mentions, "other_responsible": self.other_responsible}


def _responsible(index: GraphIndex) -> tuple[dict[str, list[str]], Counter[str]]:
    """Measure -> its responsible ministries, and how often other bodies are named as responsible."""
    found: dict[str, set[str]] = defaultdict(set)
    others: Counter[str] = Counter()
    for u, v in index.edges("responsibleMinistry"):
        if index.cls.get(u) != "Measure":
            continue
        named = found.setdefault(u, set())  # a measure naming only 関係府省 still counts
        if index.cls.get(v) == "Ministry":
            named.add(v)
        else:
            others[v] += 1
    return {m: sorted(ms) for m, ms in found.items()}, others


@no_gc()
def ministries(graph: GraphLike, top_themes: int = 5) -> MinistriesResult:
    """Co-responsibility of ministries over the strategy's measures.

    `pairs[*].themes` lists the themes of the measures the two share (most frequent first, at most
    `top_themes`); `cross_mentions` are measures naming a program whose administering body sits under
    none of the measure's ministries (ministries compared with their parents, so the CAO STI
    secretariat counts as the Cabinet Office). Only stig:Ministry nodes take part in shares and pairs;
    generic tags (関係府省, "all relevant ministries") are counted in `other_responsible`.

    >>> from pathlib import Path
    >>> from stigraph.builder.inputs import collect_quads
    >>> from stigraph.sparql.graph import StiGraph
    >>> g = StiGraph.from_nquads(collect_quads([Path("tests/fixtures/registry_analysis")], include_derived=False))
    >>> ministries(g).pairs[0]["a"], ministries(g).pairs[0]["b"]
    ('cao-sti', 'mext')
    """
    nxg = as_networkx(graph)
    index = GraphIndex(nxg)
    responsible, others = _responsible(index)
    total = len(responsible)
    per_ministry: Counter[str] = Counter()
    sole: Counter[str] = Counter()
    pair_measures: dict[tuple[str, str], list[str]] = defaultdict(list)
    measure_themes: dict[str, list[str]] = index.parents("hasTheme")
    for measure, ministries_ in sorted(responsible.items()):
        per_ministry.update(ministries_)
        if len(ministries_) == 1:
            sole[ministries_[0]] += 1
        for a, b in combinations(ministries_, 2):
            pair_measures[(a, b)].append(measure)
    result = MinistriesResult(measures_total=total, other_responsible=[
        {"id": o, "label": label(nxg, o), "class": index.cls.get(o, ""), "measures": n}
        for o, n in sorted(others.items(), key=lambda t: (-t[1], t[0]))])
    for ministry, count in sorted(per_ministry.items(), key=lambda t: (-t[1], t[0])):
        result.shares.append({"ministry": ministry, "label": label(nxg, ministry), "measures": count,
                              "share": round(count / total, 4) if total else 0.0, "sole": sole[ministry]})
    for (a, b), measures in sorted(pair_measures.items(), key=lambda t: (-len(t[1]), t[0])):
        themes: Counter[str] = Counter()
        for m in measures:
            themes.update(measure_themes.get(m, ()))
        union = per_ministry[a] + per_ministry[b] - len(measures)
        result.pairs.append({
            "a": a, "b": b, "a_label": label(nxg, a), "b_label": label(nxg, b), "measures": len(measures),
            "jaccard": round(len(measures) / union, 4) if union else 0.0,
            "themes": [{"theme": t, "label": label(nxg, t), "measures": c}
                       for t, c in sorted(themes.items(), key=lambda t: (-t[1], t[0]))[:top_themes]],
            "measure_ids": measures})
    result.cross_mentions = _cross_mentions(index, responsible)
    return result


def _cross_mentions(index: GraphIndex, responsible: dict[str, list[str]]) -> list[dict]:
    nxg = index.nxg
    run = runners(index)
    above = ministries_of(index)
    mentioned = index.parents("mentions")

    def family(orgs) -> set[str]:
        found: set[str] = set()
        for org in orgs:
            found |= above.get(org, frozenset()) | {org}
        return found

    out = []
    for measure, ministries_ in sorted(responsible.items()):
        if not ministries_:
            continue
        mine = family(ministries_)
        for program in sorted(mentioned.get(measure, ())):
            if index.cls.get(program) != "Program":
                continue
            owners = sorted(run.get(program, ()))
            owner_ministries = sorted(set().union(*(above.get(o, frozenset()) for o in owners))) if owners else []
            if not owner_ministries or set(owner_ministries) & mine:
                continue
            out.append({"measure": measure, "measure_label": label(nxg, measure), "measure_ministries": ministries_,
                        "program": program, "program_label": label(nxg, program), "run_by": owners,
                        "run_by_ministries": owner_ministries,
                        "source": edge_source(nxg, measure, program, "mentions")})
    return out


def format_ministries(result: MinistriesResult, top: int = 20) -> str:
    """Three tables: shares, co-responsible pairs with their themes, cross-ministry mentions."""
    from stigraph.sparql.run import format_table

    shares = format_table(["ministry", "label", "measures", "share", "sole"],
                          [[s["ministry"], s["label"], str(s["measures"]), f"{s['share']:.1%}", str(s["sole"])]
                           for s in result.shares[:top]])
    pairs = format_table(["a", "b", "shared measures", "jaccard", "themes"],
                         [[p["a"], p["b"], str(p["measures"]), f"{p['jaccard']:.2f}",
                           ", ".join(f"{t['label']} {t['measures']}" for t in p["themes"])] for p in result.pairs[:top]])
    cross = format_table(["measure", "ministries", "names program", "run by (ministry)", "source"],
                         [[c["measure"], ",".join(c["measure_ministries"]), f"{c['program']} {c['program_label']}",
                           f"{','.join(c['run_by'])} ({','.join(c['run_by_ministries'])})", c["source"]]
                          for c in result.cross_mentions[:top]])
    others = ", ".join(f"{o['id']} {o['measures']}" for o in result.other_responsible)
    note = f"\n(also named as responsible: {others})" if others else ""
    return (f"{result.measures_total} measures with responsible ministries{note}\n\nshare of measures\n{shares}\n\n"
            f"co-responsible pairs ({len(result.pairs)})\n{pairs}\n\n"
            f"measures naming another ministry's program ({len(result.cross_mentions)})\n{cross}")
