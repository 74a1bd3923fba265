"""Look up one entity by id, label or abbreviation and gather everything the graph says about it."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from stigraph.errors import UnknownEntityError
from stigraph.sparql.graph import StiGraph
from stigraph.sparql.run import shorten
from stigraph.loaders.text import compact
from stigraph.ontology.vocabulary import ID, node_id

_SOURCE = """OPTIONAL { ?loc stig:document/stig:fileName ?file . ?loc stig:line ?line }
             OPTIONAL { ?loc dcterms:bibliographicCitation ?cited }
             OPTIONAL { ?loc stig:provenanceKind ?pk }"""


@dataclass
class EntityInfo:
    """An entity's labels, class, relations (with sources), budget entries and source lines."""

    id: str
    iri: str
    classes: list[str]
    label_ja: str | None
    label_en: str | None
    alt_labels: list[str]
    sources: list[str]
    outgoing: list[dict] = field(default_factory=list)
    incoming: list[dict] = field(default_factory=list)
    budgets: list[dict] = field(default_factory=list)
    attributes: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


def _where(row: dict) -> str:
    if row.get("cited"):
        return f"curated: {row['cited']}"
    if row.get("file"):
        extracted = "extracted " if str(row.get("pk") or "").endswith("#Extracted") else ""
        return f"{extracted}{row['file']}:{row['line']}"
    return ""


def resolve(graph: StiGraph, key: str) -> str:
    """The IRI of the entity whose id, label or altLabel is `key` (compared after normalisation).

    >>> from stigraph.builder.inputs import collect_quads
    >>> resolve(StiGraph.from_nquads(collect_quads()), "科学技術振興機構")
    'https://w3id.org/stigraph/id/jst'
    """
    wanted = compact(key).lower()
    if not wanted:
        raise UnknownEntityError("give an entity id or label")
    direct = graph.select(f"SELECT ?s WHERE {{ ?s stig:curatedId ?id . FILTER(LCASE(STR(?id)) = {_literal(wanted)}) }}")
    if direct:
        return str(direct[0]["s"])
    rows = graph.select("""SELECT DISTINCT ?s ?label WHERE {
        { ?s skos:prefLabel ?label } UNION { ?s skos:altLabel ?label } ?s stig:curatedId ?id }""")
    matches = sorted({str(r["s"]) for r in rows if compact(str(r["label"])).lower() == wanted})
    if len(matches) == 1:
        return matches[0]
    if matches:
        ids = ", ".join(node_id(m) for m in matches)
        raise UnknownEntityError(f"{key!r} is ambiguous: {ids}; use one of these ids")
    near = sorted({node_id(str(r["s"])) for r in rows if wanted in compact(str(r["label"])).lower()})[:8]
    hint = f"; did you mean: {', '.join(near)}" if near else ""
    raise UnknownEntityError(f"no entity with id or label {key!r}{hint}")


def _literal(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def entity_info(graph: StiGraph, key: str) -> EntityInfo:
    """Everything about one entity: labels, classes, relations in and out, budgets, source lines.

    >>> from stigraph.builder.inputs import collect_quads
    >>> entity_info(StiGraph.from_nquads(collect_quads()), "jst").classes
    ['Agency']
    """
    iri = resolve(graph, key)
    node = f"<{iri}>"
    labels = graph.select(f"SELECT DISTINCT ?l (LANG(?l) AS ?lang) WHERE {{ {node} skos:prefLabel ?l }}")
    alts = graph.select(f"SELECT DISTINCT ?l WHERE {{ {node} skos:altLabel ?l }} ORDER BY ?l")
    classes = graph.select(f"SELECT DISTINCT ?c WHERE {{ {node} a ?c . FILTER(STRSTARTS(STR(?c), STR(stig:))) }}")
    sources = graph.select(f"SELECT DISTINCT ?file ?line ?cited ?pk WHERE {{ {node} stig:source ?loc . {_SOURCE} }} ORDER BY ?file ?line")
    out_rows = graph.select(f"""SELECT DISTINCT ?p ?o ?olabel ?file ?line ?cited ?pk WHERE {{
        ?st rdf:subject {node} ; rdf:predicate ?p ; rdf:object ?o ; stig:source ?loc .
        OPTIONAL {{ ?o skos:prefLabel ?olabel FILTER(LANG(?olabel) = "ja") }} {_SOURCE} }} ORDER BY ?p ?o ?file ?line""")
    in_rows = graph.select(f"""SELECT DISTINCT ?p ?s ?slabel ?file ?line ?cited ?pk WHERE {{
        ?st rdf:object {node} ; rdf:predicate ?p ; rdf:subject ?s ; stig:source ?loc .
        OPTIONAL {{ ?s skos:prefLabel ?slabel FILTER(LANG(?slabel) = "ja") }} {_SOURCE} }} ORDER BY ?p ?s ?file ?line""")
    budget_rows = graph.select(f"""SELECT DISTINCT ?b ?fy ?kind ?amount ?prev ?file ?line ?pk WHERE {{
        {node} stig:hasBudget ?b . ?b stig:fiscalYear ?fy ; stig:budgetKind ?kind ; stig:amount ?amount ; stig:source ?loc .
        OPTIONAL {{ ?b stig:previousAmount ?prev }} {_SOURCE} }} ORDER BY ?fy ?kind ?b""")
    attrs = graph.select(f"""SELECT DISTINCT ?p ?v WHERE {{ {node} ?p ?v .
        FILTER(?p IN (stig:periodStart, stig:periodEnd, stig:dateDecided)) }} ORDER BY ?p""")
    info = EntityInfo(
        id=node_id(iri), iri=iri,
        classes=sorted(shorten(str(r["c"])).removeprefix("stig:") for r in classes),
        label_ja=next((str(r["l"]) for r in labels if r["lang"] == "ja"), None),
        label_en=next((str(r["l"]) for r in labels if r["lang"] == "en"), None),
        alt_labels=[str(r["l"]) for r in alts],
        sources=[_where(r) for r in sources],
        attributes={shorten(str(r["p"])).removeprefix("stig:"): str(r["v"]) for r in attrs},
    )
    for rows, bucket, other, label in ((out_rows, info.outgoing, "o", "olabel"), (in_rows, info.incoming, "s", "slabel")):
        for r in rows:
            bucket.append({"predicate": shorten(str(r["p"])).split(":", 1)[1], "entity": node_id(str(r[other])),
                           "label": r[label] or "", "source": _where(r)})
    by_entry: dict[str, dict] = {}
    sources_of: dict[str, set[str]] = {}
    for r in budget_rows:  # one line per figure, however many sources state it (the budget rule, rule 1)
        by_entry.setdefault(str(r["b"]), {
            "fiscal_year": int(str(r["fy"])[:4]), "kind": shorten(str(r["kind"])).removeprefix("stig:"),
            "amount_yen": int(r["amount"]), "previous_yen": int(r["prev"]) if r["prev"] is not None else None})
        sources_of.setdefault(str(r["b"]), set()).add(_where(r))
    for entry, figure in by_entry.items():
        ordered = sorted((w for w in sources_of[entry] if w), key=lambda w: (w.startswith("extracted"), w))
        info.budgets.append({**figure, "source": "; ".join(ordered)})
    return info


def format_entity(info: EntityInfo) -> str:
    """Human-readable text of `entity_info` output."""
    lines = [f"{info.id}  [{', '.join(info.classes)}]  {info.iri}",
             f"  ja: {info.label_ja or '-'}", f"  en: {info.label_en or '-'}"]
    if info.alt_labels:
        lines.append(f"  also: {', '.join(info.alt_labels)}")
    for key, value in info.attributes.items():
        lines.append(f"  {key}: {value}")
    lines.append(f"  sources: {', '.join(info.sources) or '-'}")
    for title, rows, arrow in (("relations out", info.outgoing, "->"), ("relations in", info.incoming, "<-")):
        if rows:
            lines.append(f"{title}:")
            lines += [f"  {r['predicate']} {arrow} {r['entity']} {r['label']}  ({r['source']})" for r in rows]
    if info.budgets:
        lines.append("budget:")
        for b in info.budgets:
            prev = f" (previous year {b['previous_yen']:,} yen)" if b["previous_yen"] is not None else ""
            lines.append(f"  FY{b['fiscal_year']} {b['kind']}: {b['amount_yen']:,} yen{prev}  ({b['source']})")
    return "\n".join(lines)


__all__ = ["EntityInfo", "entity_info", "format_entity", "resolve", "ID"]
