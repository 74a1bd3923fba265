"""SPARQL helpers: run query strings on Oxigraph, render results as tables, CSV, TSV, JSON or Turtle."""
from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox

from stigraph.errors import QueryError
from stigraph.outputs import csv_text
from stigraph.sparql.guard import check_query
from stigraph.ontology.vocabulary import PREFIXES

_PREFIX_MAP = {p: str(ns) for p, ns in PREFIXES.items()}
QUERY_DIR = Path(__file__).resolve().parent / "queries"
RESULT_FORMATS = ("table", "csv", "tsv", "json")


def rdf_term(value: object) -> ox.NamedNode | ox.Literal:
    """A Python value as an RDF term for binding a query variable (never pasted into the text).

    "id:jst" -> the entity IRI; "http(s)://..." -> that IRI; int -> xsd:integer; Decimal -> xsd:decimal;
    bool -> xsd:boolean; any other str -> a plain string literal; pyoxigraph terms pass through.

    >>> rdf_term("id:jst")
    <NamedNode value=https://w3id.org/stigraph/id/jst>
    >>> rdf_term('a "quoted" } # value').value
    'a "quoted" } # value'
    """
    if isinstance(value, (ox.NamedNode, ox.Literal)):
        return value
    xsd = "http://www.w3.org/2001/XMLSchema#"
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(xsd + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(xsd + "integer"))
    if isinstance(value, Decimal):
        return ox.Literal(str(value), datatype=ox.NamedNode(xsd + "decimal"))
    if isinstance(value, str):
        if value.startswith("id:") and len(value) > 3:
            return ox.NamedNode(_PREFIX_MAP["id"] + value[3:])
        if value.startswith(("http://", "https://")):
            try:
                return ox.NamedNode(value)
            except ValueError:
                raise QueryError(f"not a valid IRI: {value!r}") from None
        return ox.Literal(value)
    raise QueryError(f"cannot bind a {type(value).__name__} to a query variable")


def with_values(sparql: str, params: dict[str, object]) -> str:
    """Append a trailing VALUES clause binding each parameter to its RDF term.

    Terms are written in N-Triples syntax by pyoxigraph, so quotes, braces or # in a value stay
    inside the literal and cannot change the query.

    >>> with_values("SELECT ?p WHERE { ?p ?r ?agency }", {"agency": "id:jst"}).splitlines()[-1]
    'VALUES (?agency) { (<https://w3id.org/stigraph/id/jst>) }'
    """
    for name in params:
        if not name.isidentifier():
            raise QueryError(f"bad parameter name {name!r}")
    names = " ".join(f"?{name}" for name in params)
    terms = " ".join(str(rdf_term(value)) for value in params.values())
    return f"{sparql.rstrip()}\nVALUES ({names}) {{ ({terms}) }}"


def execute(db: ox.Store, sparql: str, params: dict[str, object] | None = None,
            allow_service: Iterable[str] = ()):
    """Run a query string on the store (union default graph, stigraph prefixes predeclared).

    `params` binds variables to values as RDF terms (see `rdf_term`): `?agency` with `agency="id:jst"`.
    The query is checked first (`stigraph.sparql.guard.check_query`): SERVICE is refused unless its
    target starts with a prefix in `allow_service`, and over-deep or over-long queries are refused
    before the engine, whose parser would overflow the stack on them, sees them.

    >>> db = ox.Store(); execute(db, "ASK { ?s ?p ?o }").__bool__()
    False
    """
    if not sparql or not sparql.strip():
        raise QueryError("empty SPARQL query")
    if params:
        sparql = with_values(sparql, params)
    check_query(sparql, allow_service, _PREFIX_MAP)
    try:
        return db.query(sparql, use_default_graph_as_union=True, prefixes=_PREFIX_MAP)
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {_first_line(exc)}") from None
    except (OSError, ValueError, RuntimeError) as exc:
        raise QueryError(f"query failed: {_first_line(exc)}") from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def python_value(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> object:
    """A plain Python value for a result term: str for IRIs and strings, int/Decimal/bool for numbers."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if datatype.endswith("#integer") or datatype.endswith("#int") or datatype.endswith("#long"):
            return int(term.value)
        if datatype.endswith("#decimal"):
            return Decimal(term.value)
        if datatype.endswith("#boolean"):
            return term.value == "true"
        return term.value
    return term.value


def select_rows(db: ox.Store, sparql: str, params: dict[str, object] | None = None) -> list[dict[str, object]]:
    """Rows of a SELECT as dicts {variable: python value}."""
    result = execute(db, sparql, params)
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError("expected a SELECT query")
    names = [v.value for v in result.variables]
    return [{n: python_value(sol[n]) for n in names} for sol in result]


def shorten(iri: str) -> str:
    """Write an IRI with the stigraph prefixes where one fits (id:jst)."""
    best = ""
    for prefix, ns in _PREFIX_MAP.items():
        if iri.startswith(ns) and len(ns) > len(best):
            best, name = ns, f"{prefix}:{iri[len(ns):]}"
    return name if best else iri


def _cell(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return shorten(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def format_table(header: list[str], rows: list[list[str]], max_width: int = 60) -> str:
    """A plain-text table that lines up Japanese (double-width) text.

    >>> print(format_table(["a"], [["文部"]]))
    a   
    ----
    文部
    """
    def clip(text: str) -> str:
        while _width(text) > max_width:
            text = text[:-2] + "…"
        return text

    rows = [[clip(c) for c in row] for row in rows]
    widths = [max([_width(h)] + [_width(r[i]) for r in rows]) for i, h in enumerate(header)]
    def line(cells: list[str]) -> str:
        return "  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths))
    out = [line(header), "  ".join("-" * w for w in widths)] + [line(r) for r in rows]
    return "\n".join(out)


def render(result, fmt: str = "table") -> str:
    """Render a pyoxigraph result: SELECT/ASK as table/csv/tsv/json; CONSTRUCT/DESCRIBE as Turtle."""
    if isinstance(result, ox.QueryTriples):
        return ox.serialize(result, format=ox.RdfFormat.TURTLE, prefixes=_PREFIX_MAP).decode("utf-8")
    if isinstance(result, ox.QueryBoolean):
        value = bool(result)
        return json.dumps({"head": {}, "boolean": value}) if fmt == "json" else ("true" if value else "false")
    if fmt not in RESULT_FORMATS:
        raise QueryError(f"unknown format {fmt!r}; use one of {', '.join(RESULT_FORMATS)}")
    names = [v.value for v in result.variables]
    if fmt == "json":
        return result.serialize(format=ox.QueryResultsFormat.JSON).decode("utf-8")
    rows = [[_cell(sol[n]) for n in names] for sol in result]
    if fmt == "table":
        return format_table(names, rows) + f"\n({len(rows)} row{'s' if len(rows) != 1 else ''})"
    return csv_text(names, rows, delimiter="," if fmt == "csv" else "\t")


def read_query_file(path: str | Path) -> str:
    """Read a .rq file, with a clear error when it is missing or not UTF-8."""
    p = Path(path)
    try:
        return p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise QueryError(f"{p}: no such query file") from None
    except UnicodeDecodeError:
        raise QueryError(f"{p}: not a UTF-8 text file") from None
    except OSError as exc:
        raise QueryError(f"{p}: cannot read ({exc.strerror})") from None
