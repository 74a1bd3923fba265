"""The vocabulary in code, written once: namespaces, classes, relations, budget kinds, IRIs and node ids.

Everything else (loaders, the projection, analyses, views, queries' parameter checks) takes its class
lists, relation names and IRI patterns from here; `tests/test_vocabulary.py` checks that every name
here is declared in `stigraph.ttl`.

>>> entity_iri("jst")
'https://w3id.org/stigraph/id/jst'
>>> node_id(entity_iri("jst")), relation_name(RELATIONS["administeredBy"])
('jst', 'administeredBy')
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources
from pathlib import Path
from urllib.parse import quote

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

STIG = Namespace("https://w3id.org/stigraph/ontology#")
"""The project's own classes and properties."""
ID = Namespace("https://w3id.org/stigraph/id/")
"""Instances: ID[curated_id] for entities; sub-paths for documents, locators, statements, budgets."""
GRAPH = Namespace("https://w3id.org/stigraph/graph/")
"""Named graphs: one (or a few) per input of the store."""
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")

PREFIXES: dict[str, Namespace] = {
    "stig": STIG, "id": ID, "graph": GRAPH, "org": ORG, "schema": SCHEMA, "skos": Namespace(str(SKOS)),
    "prov": Namespace(str(PROV)), "dcterms": Namespace(str(DCTERMS)), "xsd": Namespace(str(XSD)),
    "rdf": Namespace(str(RDF)), "rdfs": Namespace(str(RDFS)), "owl": Namespace(str(OWL)),
}

ONTOLOGY_GRAPH = GRAPH["ontology"]
SOURCES_GRAPH = GRAPH["sources"]
"""Document descriptions and rdf:Statement skeletons, shared by every input.

Oxigraph's union default graph keeps a triple once per named graph it occurs in; describing a shared
document or statement in every input's graph would repeat every joined row in plain SPARQL queries.
"""

# Classes of the entities that become nodes of the networkx projection, in display order.
ORGANIZATION_CLASSES = ("Ministry", "Council", "Agency", "Unit", "Organization")
PROGRAM_CLASSES = ("Program",)
FUNDING_CLASSES = ("Fund", "BudgetAccount")
POLICY_CLASSES = ("Plan", "Strategy", "Law", "Guideline", "Policy")
ENTITY_CLASSES = (*ORGANIZATION_CLASSES, *PROGRAM_CLASSES, *FUNDING_CLASSES, "Facility", "Initiative",
                  *POLICY_CLASSES, "Measure", "Theme")
REGISTRY_CLASSES = tuple(c for c in ENTITY_CLASSES if c != "Theme") + ("Document",)
"""Classes a registry entry may declare."""
RS_CLASSES = ("BudgetProject", "ReviewSheet", "PaymentBlock", "Payment", "BlockLink", "DirectPaymentTotal",
              "ReviewSheetYear")
"""Classes of the review-sheet (RS system) records."""

_RELATION_NAMES = ("administeredBy", "underJurisdictionOf", "fundedBy", "managedBy", "basedOn", "partOf", "succeeds",
                   "overseenBy", "decidedBy", "responsibleMinistry", "collaboratesWith", "overlapsWith",
                   "participatesIn", "operates", "mentions", "hasTheme", "pays", "responsibleOrganization")
RELATIONS: dict[str, str] = {name: str(STIG[name]) for name in _RELATION_NAMES}
RELATIONS["subOrganizationOf"] = str(ORG.subOrganizationOf)
"""Relation name -> predicate IRI, for every relation between entities (the projection's edges)."""
_RELATION_BY_IRI = {iri: name for name, iri in RELATIONS.items()}

BUDGET_KINDS: dict[str, str] = {
    "initial": "Initial", "draft": "Draft", "request": "Request", "supplementary": "Supplementary",
    "fund_size": "FundSize", "total_cost": "TotalCost", "target": "Target", "actual": "Actual",
    "current": "CurrentBudget", "executed": "Executed",
}
"""Budget kind key (as written in the registry and by extractors) -> the stig: individual naming it."""

FLOW_KINDS: dict[str, str] = {"direct": "DirectFlow", "passed_on": "PassedOnFlow", "separate": "SeparateOriginFlow"}
"""How money reached a payment block of a review sheet -> the stig: individual naming it.

direct: paid by the responsible organization itself (the only money a direct total may add);
passed_on: re-delegated or passed on by another block (already counted in that block's payment);
separate: a block whose money has another origin (own revenue, loans, reference flows).
"""

PROVENANCE_KINDS = ("SeedLine", "Extracted", "Curated", "Inferred", "DatasetRow")
"""stig:provenanceKind individuals: how a source locator supports a fact."""


def ontology_path() -> Path:
    """Path of the bundled ontology file (Turtle).

    >>> ontology_path().name
    'stigraph.ttl'
    """
    return Path(str(resources.files("stigraph.ontology") / "stigraph.ttl"))


def shapes_path() -> Path:
    """Path of the bundled SHACL shapes file (Turtle)."""
    return Path(str(resources.files("stigraph.ontology") / "shapes.ttl"))


def sparql_prefixes() -> str:
    """PREFIX lines for every namespace above, to prepend to user queries.

    >>> "PREFIX stig: <https://w3id.org/stigraph/ontology#>" in sparql_prefixes()
    True
    """
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def class_iri(name: str) -> str:
    """The IRI of a stigraph class by its local name ("Agency")."""
    return str(STIG[name])


def relation_name(iri: str) -> str | None:
    """The short name of a relation predicate IRI, None for anything that is not a relation."""
    return _RELATION_BY_IRI.get(iri)


def digest(*parts: str) -> str:
    """A short stable digest of some strings (for IRIs of statements, findings, rows)."""
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def entity_iri(ident: str) -> str:
    """The IRI of a curated entity; it depends on the id only, never on labels."""
    return f"{ID}{ident}"


def theme_iri(ident: str) -> str:
    """The IRI of a theme concept."""
    return f"{ID}theme/{ident}"


def document_iri(file_name: str) -> str:
    """The IRI of a source document, from its file name without extension.

    >>> document_iri("000_e5eefd47d6133f4f.txt")
    'https://w3id.org/stigraph/id/doc/000_e5eefd47d6133f4f'
    """
    return f"{ID}doc/{Path(file_name).stem}"


def statement_iri(subject: str, predicate: str, obj: str) -> str:
    """The rdf:Statement node that carries the sources of one relation triple (shared by all inputs)."""
    return f"{ID}stmt/{digest(subject, predicate, obj)}"


def budget_iri(owner: str, fiscal_year: int, kind: str, item: str | None = None) -> str:
    """The IRI of one budget figure: owner id (or path), fiscal year, kind and optional item slug."""
    return f"{ID}budget/{owner}/{fiscal_year}-{kind}" + (f"-{item}" if item else "")


def measure_iri(stem: str, ident: str) -> str:
    """The IRI of a strategy measure found in document `stem`."""
    return f"{ID}measure/{stem}/{ident}"


@lru_cache(maxsize=65536)
def _segment(text: str) -> str:
    return quote(str(text), safe="-._~")


def rs_project_iri(project_id: str) -> str:
    """A review-sheet project (予算事業), the same across sheet years: from its 予算事業ID.

    >>> rs_project_iri("1644")
    'https://w3id.org/stigraph/id/rs/project/1644'
    """
    return f"{ID}rs/project/{_segment(project_id)}"


def rs_sheet_year_iri(sheet_year: int) -> str:
    """One loaded sheet year (事業年度) of the review sheets: the input as a whole.

    >>> rs_sheet_year_iri(2025)
    'https://w3id.org/stigraph/id/rs/2025'
    """
    return f"{ID}rs/{int(sheet_year)}"


def rs_sheet_iri(sheet_year: int, project_id: str) -> str:
    """One project's review sheet of one sheet year (事業年度)."""
    return f"{ID}rs/{int(sheet_year)}/sheet/{_segment(project_id)}"


def rs_block_iri(sheet_year: int, project_id: str, block: str) -> str:
    """A payment block (支出先ブロック) of one sheet."""
    return f"{ID}rs/{int(sheet_year)}/sheet/{_segment(project_id)}/block/{_segment(block)}"


def rs_payment_iri(sheet_year: int, project_id: str, block: str, payee_key: str) -> str:
    """The payment of one block to one payee (payee_key: a 法人番号, or a digest of the payee's name)."""
    return f"{rs_block_iri(sheet_year, project_id, block)}/pay/{_segment(payee_key)}"


def rs_link_iri(sheet_year: int, project_id: str, row: int) -> str:
    """A block-to-block money link (5-2 row) of one sheet."""
    return f"{ID}rs/{int(sheet_year)}/sheet/{_segment(project_id)}/link/R{int(row)}"


def rs_total_iri(sheet_year: int, ministry: str, payee: str) -> str:
    """The total of one sheet year's direct payments from one ministry's projects to one payee."""
    return f"{ID}rs/{int(sheet_year)}/direct-total/{digest(ministry, payee)}"


def rs_organization_iri(path: list[str]) -> str:
    """An organization the review sheets name that the registry lacks: ministry (or registry id) then units.

    >>> rs_organization_iri(["mext", "研究振興局"])
    'https://w3id.org/stigraph/id/rs/org/mext/%E7%A0%94%E7%A9%B6%E6%8C%AF%E8%88%88%E5%B1%80'
    """
    return f"{ID}rs/org/" + "/".join(_segment(p) for p in path)


def corporate_iri(number: str) -> str:
    """An organization identified by its 法人番号 (corporate number) only.

    >>> corporate_iri("4030005012570")
    'https://w3id.org/stigraph/id/corp/4030005012570'
    """
    return f"{ID}corp/{_segment(number)}"


def named_payee_iri(normalized_name: str) -> str:
    """A payee without a 法人番号, identified by its normalised name (flagged as such in the data)."""
    return f"{ID}rs/payee/{digest(normalized_name)}"


def graph_iri(path: str) -> str:
    """A named graph IRI from its path under the graph namespace ("registry/agencies", "doc/x")."""
    return f"{GRAPH}{path}"


def node_id(iri: str) -> str:
    """The networkx node id of an entity IRI: its curated id (`jst`, `theme/ai`); other IRIs unchanged.

    >>> node_id("https://w3id.org/stigraph/id/theme/ai")
    'theme/ai'
    """
    return iri[len(ID):] if iri.startswith(ID) else iri


def short_class(iri: str) -> str:
    """"Agency" for stig:Agency; other IRIs unchanged."""
    return iri[len(STIG):] if iri.startswith(STIG) else iri
