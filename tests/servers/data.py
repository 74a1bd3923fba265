"""The interop fixture graph and helpers to compare result rows across SPARQL engines."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

from stigraph.builder.inputs import collect_quads
from stigraph.sparql.graph import StiGraph

INTEROP = Path(__file__).resolve().parent.parent / "fixtures" / "interop"
REGISTRY = INTEROP / "registry"
EMPTY_REGISTRY = INTEROP / "empty_registry"
XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {f"{XSD}{t}" for t in ("integer", "int", "long", "short", "decimal", "double", "float",
                                  "nonNegativeInteger", "positiveInteger", "unsignedInt", "unsignedLong")}


def interop_graph() -> StiGraph:
    """The interop fixture registry as an in-memory graph (no derived data)."""
    return StiGraph.from_nquads(collect_quads([REGISTRY], include_derived=False))


def canonical(kind: str, value: str, datatype: str | None = None, lang: str | None = None) -> str:
    """One result term as a string that is equal across engines (numbers compared by value)."""
    if kind in ("uri", "iri", "NamedNode"):
        return f"<{value}>"
    if kind in ("bnode", "BlankNode"):
        return "_:b"
    if lang:
        return f'"{value}"@{lang.lower()}'
    if datatype in NUMERIC:
        try:
            number = Decimal(value)
            return f"{number.normalize() if number != 0 else Decimal(0)}"
        except InvalidOperation:
            pass
    if datatype == f"{XSD}boolean":
        return "true" if value in ("true", "1") else "false"
    if datatype and datatype != f"{XSD}string":
        return f'"{value}"^^<{datatype}>'
    return f'"{value}"'


def rows_from_json(data: dict) -> list[tuple]:
    """Sorted canonical rows of a SPARQL JSON results document."""
    names = data["head"]["vars"]
    rows = []
    for binding in data["results"]["bindings"]:
        row = []
        for name in names:
            term = binding.get(name)
            row.append(None if term is None else canonical(term["type"], term["value"], term.get("datatype"),
                                                           term.get("xml:lang")))
        rows.append(tuple(row))
    return sorted(rows, key=repr)


def rows_from_ox(result) -> list[tuple]:
    """Sorted canonical rows of a pyoxigraph SELECT result."""
    import pyoxigraph as ox

    names = [v.value for v in result.variables]
    rows = []
    for solution in result:
        row = []
        for name in names:
            term = solution[name]
            if term is None:
                row.append(None)
            elif isinstance(term, ox.NamedNode):
                row.append(canonical("uri", term.value))
            elif isinstance(term, ox.BlankNode):
                row.append(canonical("bnode", term.value))
            else:
                row.append(canonical("literal", term.value, term.datatype.value if not term.language else None,
                                     term.language))
        rows.append(tuple(row))
    return sorted(rows, key=repr)
