"""The stigraph ontology: `stigraph.ttl` (OWL in Turtle), `shapes.ttl` (SHACL) and the vocabulary in code."""
from stigraph.ontology.vocabulary import GRAPH, ID, ONTOLOGY_GRAPH, ORG, PREFIXES, SCHEMA, STIG, ontology_path, sparql_prefixes

__all__ = ["GRAPH", "ID", "ONTOLOGY_GRAPH", "ORG", "PREFIXES", "SCHEMA", "STIG", "ontology_path", "sparql_prefixes"]
