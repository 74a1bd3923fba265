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
_API_NAMES = ("BUDGET_KINDS", "EXPORT_FORMATS", "EXTRACT_KINDS", "EntityInfo", "ExtractionError", "InputRecord",
              "OVERLAP_KINDS", "QueryError", "RegistryError", "SERVE_DEFAULT_HOST", "SERVE_DEFAULT_PORT",
              "StiGraph", "StoreError", "UnknownEntityError", "UpdateSummary", "UserError",
              "VIEW_ANALYSES", "build", "chokepoints", "deps", "entity", "export", "extract",
              "extraction_report", "format_entity", "format_inputs", "format_result", "import_files",
              "inputs", "is_query_name", "landscape", "list_queries", "ministries", "open", "overlaps",
              "parse_params", "push", "query", "query_df", "query_named", "query_text", "remove", "run",
              "run_df", "serve", "serve_exposure_warning", "to_networkx", "validate", "view",
              "view_budget", "view_flows", "write_back")
__all__ = [*_API_NAMES, "QueryError", "RegistryError", "StigraphError", "StoreError", "UnknownEntityError", "UserError"]


def __getattr__(name: str) -> Any:
    if name == "api":
        return importlib.import_module("stigraph.api")
    if name in _API_NAMES:
        return getattr(importlib.import_module("stigraph.api"), name)
    raise AttributeError(f"module 'stigraph' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
