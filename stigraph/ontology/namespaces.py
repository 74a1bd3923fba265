"""The namespaces of the ontology, of instances and of named graphs, and the standard ones reused."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

STIG = Namespace("https://w3id.org/stigraph/ontology#")
"""The project's own classes and properties."""
ID = Namespace("https://w3id.org/stigraph/id/")
"""Instances: ID[curated_id] for entities; sub-paths for documents, locators, statements, budgets."""
GRAPH = Namespace("https://w3id.org/stigraph/graph/")
"""Named graphs: one per registry file, extracted document and the ontology."""
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")

PREFIXES: dict[str, Namespace] = {
    "stig": STIG, "id": ID, "graph": GRAPH, "org": ORG, "schema": SCHEMA, "skos": Namespace(str(SKOS)),
    "prov": Namespace(str(PROV)), "dcterms": Namespace(str(DCTERMS)), "xsd": Namespace(str(XSD)),
    "rdf": Namespace(str(RDF)), "rdfs": Namespace(str(RDFS)), "owl": Namespace(str(OWL)),
}

ONTOLOGY_GRAPH = GRAPH["ontology"]


def ontology_path() -> Path:
    """Path of the bundled ontology file (Turtle).

    >>> ontology_path().name
    'stigraph.ttl'
    """
    return Path(str(resources.files("stigraph.ontology") / "stigraph.ttl"))


def sparql_prefixes() -> str:
    """PREFIX lines for every namespace above, to prepend to user queries.

    >>> "PREFIX stig: <https://w3id.org/stigraph/ontology#>" in sparql_prefixes()
    True
    """
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
