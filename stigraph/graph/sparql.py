"""SPARQL helpers: run query strings on Oxigraph, render results as tables, CSV, TSV, JSON or Turtle."""
from __future__ import annotations

import csv
import io
import json
import unicodedata
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox

from stigraph.errors import QueryError
from stigraph.ontology.namespaces import PREFIXES

_PREFIX_MAP = {p: str(ns) for p, ns in PREFIXES.items()}
QUERY_DIR = Path(__file__).resolve().parent / "queries"
RESULT_FORMATS = ("table", "csv", "tsv", "json")


def execute(db: ox.Store, sparql: str):
    """Run a query string on the store (union default graph, stigraph prefixes predeclared).

    >>> db = ox.Store(); execute(db, "ASK { ?s ?p ?o }").__bool__()
    False
    """
    if not sparql or not sparql.strip():
        raise QueryError("empty SPARQL query")
    try:
        return db.query(sparql, use_default_graph_as_union=True, prefixes=_PREFIX_MAP)
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {_first_line(exc)}") from None
    except (OSError, ValueError) as exc:
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


def select_rows(db: ox.Store, sparql: str) -> list[dict[str, object]]:
    """Rows of a SELECT as dicts {variable: python value}."""
    result = execute(db, sparql)
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
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
    writer.writerow(names)
    writer.writerows(rows)
    return buffer.getvalue()


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
