"""The stigraph vocabulary: `stigraph.ttl` (OWL in Turtle) and the namespaces."""
from stigraph.ontology.namespaces import GRAPH, ID, ONTOLOGY_GRAPH, ORG, PREFIXES, SCHEMA, STIG, ontology_path, sparql_prefixes

__all__ = ["GRAPH", "ID", "ONTOLOGY_GRAPH", "ORG", "PREFIXES", "SCHEMA", "STIG", "ontology_path", "sparql_prefixes"]
