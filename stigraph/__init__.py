"""stigraph: a knowledge graph of Japan's science, technology and innovation landscape.

>>> import stigraph
>>> stigraph.build()                       # doctest: +SKIP
>>> g = stigraph.open()                    # doctest: +SKIP
>>> g.select("SELECT ?p WHERE { ?p stig:administeredBy id:jst }")  # doctest: +SKIP
"""
from stigraph.api import EXPORT_FORMATS, StiGraph, build, entity, export, open, query_text, to_networkx, view
from stigraph.errors import QueryError, RegistryError, StigraphError, StoreError, UnknownEntityError, UserError

__version__ = "0.1.0"
__all__ = ["EXPORT_FORMATS", "QueryError", "RegistryError", "StiGraph", "StigraphError", "StoreError",
           "UnknownEntityError", "UserError", "build", "entity", "export", "open", "query_text", "to_networkx", "view"]
