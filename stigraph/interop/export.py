"""Export the graph: RDF (ttl, nt, nq, trig, jsonld) and graph-tool formats (graphml, gexf, json, csv)."""
from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import networkx as nx
import pyoxigraph as ox

from stigraph.errors import UserError
from stigraph.sparql.internal import internal_query
from stigraph.outputs import csv_text, output_target, write_atomic
from stigraph.sparql.graph import StiGraph
from stigraph.graph.projection import to_networkx
from stigraph.ontology.vocabulary import GRAPH, PREFIXES

RDF_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "nq": ox.RdfFormat.N_QUADS,
               "trig": ox.RdfFormat.TRIG}
GRAPH_FORMATS = ("graphml", "gexf", "json", "csv")
FORMATS = tuple(RDF_FORMATS) + ("jsonld",) + GRAPH_FORMATS
_PREFIX_MAP = {p: str(ns) for p, ns in PREFIXES.items()}
JSONLD_CONTEXT = {**_PREFIX_MAP, "@language": "ja"}
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _graph_node(graph_name: str) -> ox.NamedNode:
    """The named graph `graph_name` (an IRI, or a short name under graph/) as a validated IRI.

    pyoxigraph refuses anything that is not an IRI, so a name can never change the export query.

    >>> _graph_node("registry/001_jst").value
    'https://w3id.org/stigraph/graph/registry/001_jst'
    """
    iri = graph_name if "://" in graph_name else f"{GRAPH}{graph_name}"
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        raise UserError(f"graph_name {graph_name!r} is not a graph name or IRI ({exc})") from None


def _check_graph(graph: StiGraph, graph_name: str | None) -> None:
    if graph_name and not graph.store.contains_named_graph(_graph_node(graph_name)):
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
        quads = graph.store.quads_for_pattern(None, None, None, _graph_node(graph_name) if graph_name else None)
        lines = sorted(set(ox.serialize([q], format=ox.RdfFormat.N_QUADS).decode("utf-8") for q in quads))
        if fmt == "nq":
            return "".join(lines)
        parsed = ox.parse("".join(lines).encode("utf-8"), format=ox.RdfFormat.N_QUADS)
        return ox.serialize(parsed, format=ox.RdfFormat.TRIG, prefixes=_PREFIX_MAP).decode("utf-8")
    if fmt in ("ttl", "nt", "jsonld"):
        query = (internal_query("graph-triples", ("g",), [(_graph_node(graph_name),)]) if graph_name
                 else internal_query("all-triples"))
        triples = graph.store.query(query, use_default_graph_as_union=True)
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


def _sorted_copy(nxg: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Same graph with nodes and edges in sorted order, so files are byte-identical across runs, and
    every text made XML 1.0 safe (`xml_text`): GraphML and GEXF are XML."""
    out = nx.MultiDiGraph()
    for nid in sorted(nxg.nodes):
        out.add_node(xml_text(nid), **{k: xml_text(v) for k, v in sorted(nxg.nodes[nid].items()) if v is not None})
    for s, o, k, d in sorted(nxg.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        out.add_edge(xml_text(s), xml_text(o), key=xml_text(k), **{a: xml_text(v) for a, v in d.items()})
    return out


def xml_text(value: object) -> object:
    """A string with the characters XML 1.0 forbids (C0 controls but tab, LF, CR; U+FFFE/U+FFFF; lone
    surrogates) replaced by U+FFFD, so the file still parses and the gap stays visible; other values as they are.

    >>> xml_text("JST\\x01\\x08 label") == "JST\\ufffd\\ufffd label", xml_text(3)
    (True, 3)
    """
    if not isinstance(value, str):
        return value
    return _XML_FORBIDDEN.sub("\ufffd", value)


def _jsonld(ntriples: str) -> str:
    from rdflib import Graph

    rdf = Graph()
    rdf.parse(data=ntriples, format="nt")
    return rdf.serialize(format="json-ld", context=JSONLD_CONTEXT, auto_compact=True, indent=1, sort_keys=True)


def csv_tables(graph: StiGraph) -> tuple[str, str]:
    """Two CSV texts: nodes (id, class, labels, budget) and edges (source id, target id, predicate, source).

    The budget columns are the figure that stands for the entity under the budget rule
    (`stigraph.sparql.budget.BudgetBook.latest`): its latest single fiscal year, the kind, the yen.
    Cells that would start a spreadsheet formula are neutralised (`stigraph.outputs.neutralize_cell`).
    """
    nxg = to_networkx(graph)
    node_cols = ["id", "class", "label_ja", "label_en", "alt_labels", "budget_latest_fy", "budget_latest_kind",
                 "budget_latest_yen", "iri"]
    nodes = csv_text(node_cols, ([nxg.nodes[nid].get(c, "") for c in node_cols] for nid in sorted(nxg.nodes)))
    edges = csv_text(["source", "target", "predicate", "provenance"],
                     ([s, o, d["predicate"], d.get("source", "")]
                      for s, o, _k, d in sorted(nxg.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2]))))
    return nodes, edges


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
        if out.is_dir():
            raise UserError(f"{output}: is a folder; give -o FOLDER/NAME.csv (csv writes NAME-nodes.csv and NAME-edges.csv)")
        paths = [out.with_name(f"{out.stem}-nodes.csv"), out.with_name(f"{out.stem}-edges.csv")]
        for path in paths:  # both refused up front: never one file written and the other not
            output_target(path)
        nodes, edges = csv_tables(graph)
        write_atomic(paths[0], nodes)
        write_atomic(paths[1], edges)
        return paths
    if str(output) != "-":
        output_target(output)  # a clear refusal before the export runs
    text = export_text(graph, fmt, graph_name)
    if str(output) == "-":
        sys.stdout.write(text)
        return []
    write_atomic(Path(output), text)
    return [Path(output)]
