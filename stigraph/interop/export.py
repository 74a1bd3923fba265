"""Export the graph: RDF (ttl, nt, nq, trig, jsonld) and graph-tool formats (graphml, gexf, json, csv)."""
from __future__ import annotations

import csv
import io
import json
import os
import sys
from pathlib import Path

import networkx as nx
import pyoxigraph as ox

from stigraph.errors import UserError
from stigraph.outputs import write_atomic
from stigraph.sparql.graph import StiGraph
from stigraph.graph.projection import to_networkx
from stigraph.ontology.vocabulary import GRAPH, PREFIXES

RDF_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "nq": ox.RdfFormat.N_QUADS,
               "trig": ox.RdfFormat.TRIG}
GRAPH_FORMATS = ("graphml", "gexf", "json", "csv")
FORMATS = tuple(RDF_FORMATS) + ("jsonld",) + GRAPH_FORMATS
_PREFIX_MAP = {p: str(ns) for p, ns in PREFIXES.items()}
JSONLD_CONTEXT = {**_PREFIX_MAP, "@language": "ja"}


def _graph_filter(graph_name: str | None) -> str:
    if not graph_name:
        return "?s ?p ?o"
    iri = graph_name if "://" in graph_name else str(GRAPH[graph_name])
    return f"GRAPH <{iri}> {{ ?s ?p ?o }}"


def _check_graph(graph: StiGraph, graph_name: str | None) -> None:
    if graph_name:
        iri = graph_name if "://" in graph_name else str(GRAPH[graph_name])
        if not graph.store.contains_named_graph(ox.NamedNode(iri)):
            known = sorted(g.value.removeprefix(str(GRAPH)) for g in graph.store.named_graphs())
            raise UserError(f"no named graph {graph_name!r}; known: {', '.join(known)}")


def export_text(graph: StiGraph, fmt: str, graph_name: str | None = None) -> str:
    """The whole graph (or one named graph) as text in `fmt`; deterministic for the same graph.

    >>> from stigraph.builder.inputs import collect_quads
    >>> "stig:Agency" in export_text(StiGraph.from_nquads(collect_quads()), "ttl")
    True
    """
    if fmt not in FORMATS or fmt == "csv":
        raise UserError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    _check_graph(graph, graph_name)
    if fmt in ("nq", "trig"):
        quads = graph.store.quads_for_pattern(None, None, None, ox.NamedNode(_graph_iri(graph_name)) if graph_name else None)
        lines = sorted(set(ox.serialize([q], format=ox.RdfFormat.N_QUADS).decode("utf-8") for q in quads))
        if fmt == "nq":
            return "".join(lines)
        parsed = ox.parse("".join(lines).encode("utf-8"), format=ox.RdfFormat.N_QUADS)
        return ox.serialize(parsed, format=ox.RdfFormat.TRIG, prefixes=_PREFIX_MAP).decode("utf-8")
    if fmt in ("ttl", "nt", "jsonld"):
        triples = graph.store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {_graph_filter(graph_name)} }}",
                                    use_default_graph_as_union=True)
        lines = sorted(set(ox.serialize([t], format=ox.RdfFormat.N_TRIPLES).decode("utf-8") for t in triples))
        ntriples = "".join(lines)
        if fmt == "nt":
            return ntriples
        if fmt == "ttl":
            parsed = ox.parse(ntriples.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
            return ox.serialize(parsed, format=ox.RdfFormat.TURTLE, prefixes=_PREFIX_MAP).decode("utf-8")
        return _jsonld(ntriples)
    if graph_name:
        raise UserError(f"--graph works with the RDF formats (ttl, nt, nq, trig, jsonld), not {fmt}")
    nxg = to_networkx(graph)
    if fmt == "json":
        return json.dumps(nx.node_link_data(nxg, edges="edges"), ensure_ascii=False, indent=1, sort_keys=True)
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(_sorted_copy(nxg), buffer, encoding="utf-8")
    else:
        gexf_graph = _sorted_copy(nxg)
        for nid, data in gexf_graph.nodes(data=True):
            data["label"] = data.get("label_ja") or data.get("label_en") or nid
        nx.write_gexf(gexf_graph, buffer, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")


def _graph_iri(graph_name: str) -> str:
    return graph_name if "://" in graph_name else str(GRAPH[graph_name])


def _sorted_copy(nxg: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Same graph with nodes and edges in sorted order, so files are byte-identical across runs."""
    out = nx.MultiDiGraph()
    for nid in sorted(nxg.nodes):
        out.add_node(nid, **{k: v for k, v in sorted(nxg.nodes[nid].items()) if v is not None})
    for s, o, k, d in sorted(nxg.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        out.add_edge(s, o, key=k, **d)
    return out


def _jsonld(ntriples: str) -> str:
    from rdflib import Graph

    rdf = Graph()
    rdf.parse(data=ntriples, format="nt")
    return rdf.serialize(format="json-ld", context=JSONLD_CONTEXT, auto_compact=True, indent=1, sort_keys=True)


def csv_tables(graph: StiGraph) -> tuple[str, str]:
    """Two CSV texts: nodes (id, class, labels, budget) and edges (source id, target id, predicate, source).

    The budget columns are the figure that stands for the entity under the budget rule
    (`stigraph.sparql.budget.BudgetBook.latest`): its latest single fiscal year, the kind, the yen.
    """
    nxg = to_networkx(graph)
    node_cols = ["id", "class", "label_ja", "label_en", "alt_labels", "budget_latest_fy", "budget_latest_kind",
                 "budget_latest_yen", "iri"]
    nodes, edges = io.StringIO(), io.StringIO()
    writer = csv.writer(nodes, lineterminator="\n")
    writer.writerow(node_cols)
    for nid in sorted(nxg.nodes):
        writer.writerow([nxg.nodes[nid].get(c, "") for c in node_cols])
    writer = csv.writer(edges, lineterminator="\n")
    writer.writerow(["source", "target", "predicate", "provenance"])
    for s, o, _k, d in sorted(nxg.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        writer.writerow([s, o, d["predicate"], d.get("source", "")])
    return nodes.getvalue(), edges.getvalue()


def export(graph: StiGraph, fmt: str, output: str | Path, graph_name: str | None = None) -> list[Path]:
    """Write the export to `output` ("-" = stdout); returns the files written.

    csv writes two files beside each other: `<stem>-nodes.csv` and `<stem>-edges.csv`.
    """
    if fmt not in FORMATS:
        raise UserError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt == "csv":
        if graph_name:
            raise UserError("--graph works with the RDF formats (ttl, nt, nq, trig, jsonld), not csv")
        if str(output) == "-":
            raise UserError("csv export writes two files; give -o FILE.csv, not -o -")
        out = Path(output)
        nodes, edges = csv_tables(graph)
        paths = [out.with_name(f"{out.stem}-nodes.csv"), out.with_name(f"{out.stem}-edges.csv")]
        write_atomic(paths[0], nodes)
        write_atomic(paths[1], edges)
        return paths
    text = export_text(graph, fmt, graph_name)
    if str(output) == "-":
        sys.stdout.write(text)
        return []
    write_atomic(Path(output), text)
    return [Path(output)]
