"""`StiGraph`: one opened graph (on-disk generation or in memory) with query and rdflib access."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from stigraph.store import generations as store_mod


class StiGraph:
    """An opened stigraph graph. Queries run on Oxigraph's engine over the union of all named graphs.

    >>> from stigraph.builder.inputs import collect_quads
    >>> g = StiGraph.from_nquads(collect_quads())
    >>> len(g.select("SELECT ?s WHERE { ?s a stig:Agency }")) > 0
    True
    """

    def __init__(self, ox_store: ox.Store, path: Path | None = None) -> None:
        self.store = ox_store
        self.path = path
        self._dataset: Dataset | None = None

    @classmethod
    def open(cls, path: str | Path | None = None) -> "StiGraph":
        """Open the current generation of the store at `path` (default: `default_store_path()`) read-only."""
        resolved = store_mod.resolve_store_path(path)
        return cls(store_mod.open_read_only(resolved), resolved)

    @classmethod
    def from_nquads(cls, chunks: Iterable[bytes]) -> "StiGraph":
        """An in-memory graph from N-Quads chunks (tests, notebooks, benchmarks)."""
        db = ox.Store()
        for chunk in chunks:
            db.bulk_load(chunk, format=ox.RdfFormat.N_QUADS)
        return cls(db)

    def raw_query(self, sparql: str):
        """Run SPARQL on the engine with the stigraph prefixes predeclared; returns pyoxigraph results."""
        from stigraph.sparql.run import execute

        return execute(self.store, sparql)

    def select(self, sparql: str, **params: object) -> list[dict[str, object]]:
        """Run a SELECT and return rows as dicts of Python values (str/int/Decimal/...).

        Keyword arguments bind variables safely as RDF terms: `select(q, agency="id:jst")`.
        """
        from stigraph.sparql.run import select_rows

        return select_rows(self.store, sparql, params)

    @property
    def rdflib(self) -> Dataset:
        """The same data as an rdflib Dataset (oxrdflib store, union default graph).

        Pass queries to it as strings: prepared query objects fall back to rdflib's slow engine.
        """
        if self._dataset is None:
            from oxrdflib import OxigraphStore

            self._dataset = Dataset(store=OxigraphStore(store=self.store), default_union=True)
        return self._dataset

    def __repr__(self) -> str:
        return f"StiGraph({str(self.path) if self.path else 'memory'})"
