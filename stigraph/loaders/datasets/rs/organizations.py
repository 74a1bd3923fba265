"""Organizations of the review sheets: ministries and their units (府省庁 -> 局・庁 -> … -> 係) and payees.

Registry entities are used where the registry knows the name (ministries) or the 法人番号 / long official
name (payees); every other organization is made once per input with its label, source row and, for units,
`org:subOrganizationOf` its parent; a ministry the registry lacks is reported as a new organization.
"""
from __future__ import annotations

from stigraph.loaders.datasets import DatasetReport
from stigraph.loaders.datasets.rs.payees import PaymentRecord
from stigraph.loaders.datasets.rs.reference import Reference
from stigraph.loaders.provenance import ALT_LABEL, TYPE, QuadWriter, iri, literal, p
from stigraph.ontology.vocabulary import (
    ORG, RELATIONS, corporate_iri, entity_iri, named_payee_iri, rs_organization_iri,
)

_ORG_TYPE = iri(str(ORG.Organization))


class Organizations:
    """Resolves and describes the organizations one input names (see the module docstring)."""

    def __init__(self, writer: QuadWriter, reference: Reference, report: DatasetReport) -> None:
        self.w, self.ref, self.report = writer, reference, report
        self.cache: dict[tuple[str, ...], tuple[str | None, str | None]] = {}
        self.described: set[str] = set()            # organizations whose type and labels are written
        self.names: set[tuple[str, str]] = set()     # (organization, name as written) labels written

    def ministry_and_unit(self, names: tuple[str, ...], loc: str, where: str) -> tuple[str | None, str | None]:
        """(ministry, deepest unit) IRIs for 府省庁, 局・庁 … 係; organizations the registry lacks are made."""
        if not names or not names[0]:
            return None, None
        cached = self.cache.get(names)
        if cached:
            return cached
        ministry_name = names[0]
        known = self.ref.ministry(ministry_name)
        if known:
            ministry, path = entity_iri(known), [known]
        else:
            ministry, path = rs_organization_iri([ministry_name]), [ministry_name]
            if self._new_node(ministry, ministry_name, loc):
                self.report.new_organization(ministry_name, where)
        parent = ministry
        for name in names[1:]:
            if not name:
                continue
            path.append(name)
            registered = self.ref.organization(name) if parent == ministry else None
            node = entity_iri(registered) if registered else rs_organization_iri(path)
            if not registered and self._new_node(node, name, loc):
                self.w.relation(node, RELATIONS["subOrganizationOf"], parent, loc)
            parent = node
        self.cache[names] = (ministry, parent)
        return ministry, parent

    def _new_node(self, node: str, name: str, loc: str) -> bool:
        """Type and label an organization the registry does not have, once; False if already written."""
        if node in self.described:
            return False
        self.described.add(node)
        self.w.quad(iri(node), TYPE, _ORG_TYPE)
        self.w.labels(node, ja=name)
        self.w.sourced(node, loc)
        return True

    def payee(self, payment: PaymentRecord, loc: str) -> tuple[str, bool]:
        """(payee IRI, whether it is a registry entity); organizations met for the first time are described."""
        number = payment.corporate_number
        registered = self.ref.by_corporate_number.get(number) if number else self.ref.organization(payment.name)
        if registered:
            return entity_iri(registered), True
        node = corporate_iri(number) if number else named_payee_iri(payment.normalized_name)
        if node not in self.described:
            self.described.add(node)
            self.w.quad(iri(node), TYPE, _ORG_TYPE)
            self.w.labels(node, ja=payment.normalized_name if not number else payment.name)
            if number:
                self.w.quad(iri(node), p("corporateNumber"), literal(number))
            else:
                self.w.quad(iri(node), p("identifiedByName"), literal(True))
            self.w.sourced(node, loc)
        elif number and (node, payment.name) not in self.names:
            self.w.quad(iri(node), ALT_LABEL, literal(payment.name))
        if number:
            self.names.add((node, payment.name))
        return node, False


__all__ = ["Organizations"]
