"""Write analysis results back as RDF: one named graph of inferred findings per analysis.

Each result becomes `stig:Finding` nodes in GRAPH["derived/<analysis>"]; nothing is asserted as a
plain relation, so derived facts never mix with sourced ones (a query for `?a stig:overlapsWith ?b`
still returns only what the sources state). A finding carries:

    id:derived/overlaps/<digest> a stig:Finding ;
        stig:analysis "overlaps" ; stig:findingKind "similar" ;
        stig:findingSubject id:a ; stig:findingObject id:b ; stig:involves id:a, id:b ;
        stig:score 0.85 ; stig:rank 4 ; stig:evidence "shared theme: ..." ;
        stig:source id:src/derived/overlaps .
    id:src/derived/overlaps a stig:SourceLocator ; stig:provenanceKind stig:Inferred ;
        dcterms:bibliographicCitation "inferred by stigraph analysis 'overlaps' (hub_cap=200, min_score=0.4)" .

Finding IRIs are digests of what they state, so rerunning an analysis on the same graph gives the
same bytes.
"""
from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from stigraph.graph.analysis.chokepoints import ChokepointsResult
from stigraph.graph.analysis.deps import DepsResult
from stigraph.graph.analysis.landscape import LandscapeResult
from stigraph.graph.analysis.ministries import MinistriesResult
from stigraph.graph.analysis.overlaps import OverlapsResult
from stigraph.loaders.provenance import TYPE, QuadWriter, gyear, iri, literal, p
from stigraph.ontology.vocabulary import ID, digest, graph_iri

ANALYSES = {DepsResult: "deps", ChokepointsResult: "chokepoints", OverlapsResult: "overlaps",
            MinistriesResult: "ministries", LandscapeResult: "landscape"}


def derived_graph_iri(analysis: str) -> str:
    """The named graph that holds one analysis' findings.

    >>> derived_graph_iri("overlaps")
    'https://w3id.org/stigraph/graph/derived/overlaps'
    """
    return graph_iri(f"derived/{analysis}")


def analysis_name(result: object) -> str:
    """"overlaps", "deps", ... for a result object; TypeError for anything else."""
    for cls, name in ANALYSES.items():
        if isinstance(result, cls):
            return name
    raise TypeError(f"not an analysis result: {type(result).__name__}")


class _Findings:
    """Collects the quads of one analysis' findings through the provenance writer."""

    def __init__(self, analysis: str, parameters: str) -> None:
        self.analysis = analysis
        self.lines: list[str] = []
        self.writer = QuadWriter(self.lines.append, derived_graph_iri(analysis))
        # The locator cites the analysis run: the SHACL shapes want a line or a citation on every locator.
        self.locator = self.writer.cited_locator(f"inferred by stigraph analysis {analysis!r} ({parameters})",
                                                 kind="Inferred", key=f"derived/{analysis}")

    def finding(self, kind: str, key: str, subject: str | None = None, obj: str | None = None,
                involves: Iterable[str] = (), score: float | int | Decimal | None = None, rank: int | None = None,
                evidence: Iterable[str] = (), extra: Iterable[tuple[str, str]] = ()) -> None:
        node = iri(str(ID[f"derived/{self.analysis}/{digest(self.analysis, kind, key)}"]))
        add = self.writer.quad
        add(node, TYPE, p("Finding"))
        add(node, p("analysis"), literal(self.analysis))
        add(node, p("findingKind"), literal(kind))
        add(node, p("source"), iri(self.locator))
        if subject:
            add(node, p("findingSubject"), _entity(subject))
        if obj:
            add(node, p("findingObject"), _entity(obj))
        for entity in sorted(set(involves) | {x for x in (subject, obj) if x}):
            add(node, p("involves"), _entity(entity))
        if score is not None:
            add(node, p("score"), literal(Decimal(str(score))))
        if rank is not None:
            add(node, p("rank"), literal(int(rank)))
        for text in evidence:
            if text:
                add(node, p("evidence"), literal(text))
        for prop, term in extra:
            add(node, p(prop), term)

    def nquads(self) -> bytes:
        return "".join(sorted(set(self.lines))).encode("utf-8")


def _entity(node_id: str) -> str:
    return iri(node_id if "://" in node_id else str(ID[node_id]))


def _yen(value) -> str:
    return literal(Decimal(str(value)))


def _deps(result: DepsResult, out: _Findings) -> None:
    parent_step = {s.node: s for s in result.steps if not s.repeat}
    for index, step in enumerate((s for s in result.steps if not s.repeat), start=1):
        path, node = [], step.node
        while node in parent_step:
            s = parent_step[node]
            path.append(f"{s.subject} {s.predicate} {s.object}" + (f" ({s.source})" if s.source else ""))
            node = s.parent
        dependent, provider = (result.root, step.node) if result.direction == "up" else (step.node, result.root)
        out.finding("depends-on", f"{dependent}>{provider}", subject=dependent, obj=provider, rank=index,
                    score=step.depth, evidence=[" / ".join(reversed(path))])


def _chokepoints(result: ChokepointsResult, out: _Findings) -> None:
    for c in result.chokepoints:
        evidence = [f"{layer}: cuts {n} programs" for layer, n in c.by_layer.items() if n]
        if c.articulation_point:
            evidence.append("articulation point of the dependency network")
        out.finding("chokepoint", c.id, subject=c.id, involves=[p["id"] for p in c.programs], score=c.programs_cut,
                    rank=c.rank, evidence=evidence)


def _overlaps(result: OverlapsResult, out: _Findings) -> None:
    for index, o in enumerate(result.overlaps, start=1):
        evidence = [o.reason] + [", ".join(f"{k}: {v}" for k, v in e.items() if v not in ("", None, []))
                                 for e in o.evidence]
        out.finding(o.kind, f"{o.a}|{o.b}", subject=o.a, obj=o.b, score=o.score, rank=index, evidence=evidence)


def _ministries(result: MinistriesResult, out: _Findings) -> None:
    for index, s in enumerate(result.shares, start=1):
        out.finding("ministry-share", s["ministry"], subject=s["ministry"], score=s["share"], rank=index,
                    evidence=[f"{s['measures']} of {result.measures_total} measures, {s['sole']} alone"])
    for index, pair in enumerate(result.pairs, start=1):
        themes = ", ".join(f"{t['label']} {t['measures']}" for t in pair["themes"])
        out.finding("co-responsibility", f"{pair['a']}|{pair['b']}", subject=pair["a"], obj=pair["b"],
                    involves=pair["measure_ids"], score=pair["measures"], rank=index,
                    evidence=[f"{pair['measures']} shared measures (jaccard {pair['jaccard']})", f"themes: {themes}" if themes else ""])
    for index, c in enumerate(result.cross_mentions, start=1):
        out.finding("cross-ministry-mention", f"{c['measure']}|{c['program']}", subject=c["measure"], obj=c["program"],
                    involves=c["run_by"] + c["run_by_ministries"] + c["measure_ministries"], rank=index,
                    evidence=[f"measure of {', '.join(c['measure_ministries'])} names a program run by "
                              f"{', '.join(c['run_by'])} ({', '.join(c['run_by_ministries'])})", c["source"]])


def _landscape(result: LandscapeResult, out: _Findings) -> None:
    for cls, entries in result.centrality.items():
        for index, e in enumerate(entries, start=1):
            extra = f"; betweenness {e['betweenness']}" if "betweenness" in e else ""
            out.finding("centrality", e["id"], subject=e["id"], score=e["pagerank"], rank=index,
                        evidence=[f"{cls} #{index} by PageRank; degree {e['degree']}{extra}"])
    for c in result.communities:
        out.finding("community", str(c["members"][0]), involves=c["members"], score=c["size"], rank=c["community"],
                    evidence=["themes: " + ", ".join(t["label"] for t in c["themes"]),
                              "organizations: " + ", ".join(o["id"] for o in c["organizations"])])
    if result.budgets is None:
        return
    for kind, rows in (("budget-by-organization", result.budgets.by_organization),
                       ("budget-by-theme", result.budgets.by_theme), ("budget-by-year", result.budgets.by_year)):
        for r in rows:
            extra = [("fiscalYear", gyear(r["fiscal_year"])), ("amount", _yen(r["amount_yen"]))]
            if r["compared_previous_yen"] is not None:
                extra.append(("previousAmount", _yen(r["compared_previous_yen"])))
            change = "" if r["change_pct"] is None else (
                f"; change {r['change_yen']} yen ({r['change_pct']:+.1f}%) over the {r['compared_entities']} "
                f"entities with a figure in both years")
            if r.get("overlap_yen"):
                change += f"; {r['overlap_yen']} yen that several figures share subtracted once"
            if r.get("overlap_unknown"):
                change += "; some figures overlap by an amount the graph does not give"
            period = str(r["fiscal_year"]) + (f"-{r['fiscal_year_end']}" if r["fiscal_year_end"] != r["fiscal_year"] else "")
            subject = r["group"] if kind != "budget-by-year" and not r["group"].startswith("(") else None
            out.finding(kind, f"{r['group']}|{r['kind']}|{period}", subject=subject,
                        score=r["change_pct"], evidence=[f"{r['kind']} budget, {r['figures']} figures{change}"],
                        extra=extra)


def _parameters(result: object) -> dict:
    """The settings a result was computed with, for the citation of its findings."""
    if isinstance(result, LandscapeResult):
        return result.parameters
    names = ("root", "direction", "depth_limit", "min_score", "hub_cap")
    return {k: getattr(result, k) for k in names if hasattr(result, k)}


_WRITERS = {"deps": _deps, "chokepoints": _chokepoints, "overlaps": _overlaps, "ministries": _ministries,
            "landscape": _landscape}


def derived_quads(result: object) -> bytes:
    """N-Quads of one analysis result, in GRAPH["derived/<analysis>"], sorted (stable for a given result).

    >>> from pathlib import Path
    >>> from stigraph.builder.inputs import collect_quads
    >>> from stigraph.sparql.graph import StiGraph
    >>> from stigraph.graph.analysis.overlaps import overlaps
    >>> g = StiGraph.from_nquads(collect_quads([Path("tests/fixtures/registry_analysis")], include_derived=False))
    >>> b"graph/derived/overlaps" in derived_quads(overlaps(g))
    True
    """
    name = analysis_name(result)
    out = _Findings(name, ", ".join(f"{k}={v}" for k, v in sorted(_parameters(result).items())))
    _WRITERS[name](result, out)
    return out.nquads()
