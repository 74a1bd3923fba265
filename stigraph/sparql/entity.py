"""Look up one entity by id, label or abbreviation and gather everything the graph says about it."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from stigraph.errors import UnknownEntityError
from stigraph.sparql.graph import StiGraph
from stigraph.sparql.internal import internal_query
from stigraph.sparql.run import shorten
from stigraph.loaders.text import compact
from stigraph.ontology.vocabulary import ID, node_id

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


def choose_entity(key: str, candidates: Iterable[tuple[str, str, Iterable[str]]]) -> str:
    """The one rule that picks the entity a user means by `key`, among (id, answer, labels) candidates.

    `key` is compared after normalisation (NFKC, no spaces, lower case): an id wins; else the one entity
    with that label or altLabel; several give an "ambiguous" error listing their ids; none gives an error
    with the ids whose labels contain `key`. Used by the SPARQL lookup below and by the analyses'
    lookup in a networkx projection (stigraph.graph.analysis._common.resolve_node).

    >>> choose_entity("ＪＳＴ", [("jst", "id:jst", ["科学技術振興機構", "JST"]), ("jsps", "id:jsps", ["JSPS"])])
    'id:jst'
    """
    wanted = compact(key).lower()
    if not wanted:
        raise UnknownEntityError("give an entity id or label")
    matches: dict[str, str] = {}
    near: set[str] = set()
    for ident, answer, labels in candidates:
        if ident.lower() == wanted:
            return answer
        folded = [compact(str(label)).lower() for label in labels if label]
        if wanted in folded:
            matches[ident] = answer
        elif any(wanted in f for f in folded):
            near.add(ident)
    if len(matches) == 1:
        return next(iter(matches.values()))
    if matches:
        raise UnknownEntityError(f"{key!r} is ambiguous: {', '.join(sorted(matches))}; use one of these ids")
    hint = f"; did you mean: {', '.join(sorted(near)[:8])}" if near else ""
    raise UnknownEntityError(f"no entity with id or label {key!r}{hint}")


def resolve(graph: StiGraph, key: str) -> str:
    """The IRI of the entity whose id, label or altLabel is `key` (the rule of `choose_entity`).

    >>> from stigraph.builder.inputs import collect_quads
    >>> resolve(StiGraph.from_nquads(collect_quads()), "科学技術振興機構")
    'https://w3id.org/stigraph/id/jst'
    """
    names: dict[str, tuple[str, list[str]]] = {}
    for row in graph.select(internal_query("entity-names")):
        entry = names.setdefault(str(row["s"]), (str(row["id"]), []))
        if row["label"] is not None:
            entry[1].append(str(row["label"]))
    return choose_entity(key, ((ident, iri, labels) for iri, (ident, labels) in names.items()))


def entity_info(graph: StiGraph, key: str) -> EntityInfo:
    """Everything about one entity: labels, classes, relations in and out, budgets, source lines.

    >>> from stigraph.builder.inputs import collect_quads
    >>> entity_info(StiGraph.from_nquads(collect_quads()), "jst").classes
    ['Agency']
    """
    iri = resolve(graph, key)

    def rows(name: str) -> list[dict]:
        return graph.select(internal_query(f"entity-{name}"), entity=iri)

    labels, budget_rows = rows("labels"), rows("budgets")
    info = EntityInfo(
        id=node_id(iri), iri=iri,
        classes=sorted(shorten(str(r["c"])).removeprefix("stig:") for r in rows("classes")),
        label_ja=next((str(r["l"]) for r in labels if r["lang"] == "ja"), None),
        label_en=next((str(r["l"]) for r in labels if r["lang"] == "en"), None),
        alt_labels=[str(r["l"]) for r in rows("alt-labels")],
        sources=[_where(r) for r in rows("sources")],
        attributes={shorten(str(r["p"])).removeprefix("stig:"): str(r["v"]) for r in rows("attributes")},
    )
    for name, bucket, other, label in (("relations-out", info.outgoing, "o", "olabel"),
                                       ("relations-in", info.incoming, "s", "slabel")):
        for r in rows(name):
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
