"""The SPARQL the code itself runs (build summaries, incremental checks), kept as .rq files in `internal/`.

A query marks with a `#VALUES` line where its inputs are bound; `internal_query` puts a VALUES block
there, every value written as an RDF term by pyoxigraph (never pasted as text).

>>> "VALUES (?p)" in internal_query("relation-counts", ("p",), [("https://w3id.org/stigraph/ontology#partOf",)])
True
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

from stigraph.sparql.run import rdf_term

INTERNAL_DIR = Path(__file__).resolve().parent / "internal"


@lru_cache(maxsize=None)
def _text(name: str) -> str:
    return (INTERNAL_DIR / f"{name}.rq").read_text(encoding="utf-8")


def internal_query(name: str, variables: Sequence[str] = (), rows: Iterable[Sequence[object]] = (),
                   not_in_graphs: Iterable[str] = ()) -> str:
    """The text of internal/<name>.rq with `variables` bound to `rows` (IRIs as strings, other Python values).

    A query with a `#NOT_IN_GRAPHS` line gets `FILTER(?g NOT IN (…))` there for `not_in_graphs` (IRIs).
    """
    text = _text(name)
    if variables:
        if "#VALUES" not in text:
            raise ValueError(f"{name}.rq has no #VALUES line to bind {', '.join(variables)}")
        body = " ".join("(" + " ".join(str(rdf_term(v)) for v in row) + ")" for row in rows)
        text = text.replace("#VALUES", f"VALUES ({' '.join('?' + v for v in variables)}) {{ {body} }}", 1)
    graphs = [str(rdf_term(g if isinstance(g, str) else g.value)) for g in not_in_graphs]
    if graphs:
        if "#NOT_IN_GRAPHS" not in text:
            raise ValueError(f"{name}.rq has no #NOT_IN_GRAPHS line")
        text = text.replace("#NOT_IN_GRAPHS", f"FILTER(?g NOT IN ({', '.join(graphs)}))", 1)
    return text
