"""stigraph: a knowledge graph of Japan's science, technology and innovation landscape.

The public API lives in `stigraph.api` and is re-exported here (loaded on first use, so that
`import stigraph.loaders...` stays light):

>>> import stigraph
>>> stigraph.build()                       # doctest: +SKIP
>>> g = stigraph.open()                    # doctest: +SKIP
>>> g.select("SELECT ?p WHERE { ?p stig:administeredBy id:jst }")  # doctest: +SKIP
"""
from __future__ import annotations

import importlib
from typing import Any

from stigraph.errors import QueryError, RegistryError, StigraphError, StoreError, UnknownEntityError, UserError

__version__ = "0.1.0"
_API_NAMES = ("EXPORT_FORMATS", "StiGraph", "build", "chokepoints", "deps", "entity", "export", "landscape",
              "list_queries", "ministries", "open", "overlaps", "query", "query_df", "query_named", "query_text", "run",
              "run_df", "to_networkx", "validate", "view", "view_budget", "view_flows", "write_back", "extract", "serve", "push", "import_files",
              "list_imports", "remove_import")
__all__ = [*_API_NAMES, "QueryError", "RegistryError", "StigraphError", "StoreError", "UnknownEntityError", "UserError"]


def __getattr__(name: str) -> Any:
    if name == "api":
        return importlib.import_module("stigraph.api")
    if name in _API_NAMES:
        return getattr(importlib.import_module("stigraph.api"), name)
    raise AttributeError(f"module 'stigraph' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
