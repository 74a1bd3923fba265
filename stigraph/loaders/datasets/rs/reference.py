"""What the RS loader takes from the curated registry: ministries by name, organizations by 法人番号 and
name, and programs by name and alias (for the project-to-program links).

Read from the bundled registry once per process; `digest` enters every part's fingerprint, so a registry
change (a new 法人番号, a new alias) makes the store reload the RS inputs.

>>> ref = registry_reference()
>>> ref.ministry("文部科学省"), ref.by_corporate_number.get("4030005012570")
('mext', 'jst')
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache

from stigraph.loaders.datasets.rs.values import payee_name
from stigraph.loaders.registry.schema import Registry, default_registry_dir, load_registry
from stigraph.loaders.text import compact

ORGANIZATION_CLASSES = {"Ministry", "Agency", "Council", "Unit", "Organization"}
PROGRAM_CLASSES = {"Program", "Fund"}
MIN_ORG_NAME = 5
"""Shortest registry label matched against a payee name (shorter ones, such as 機構, name many bodies)."""


@dataclass
class Reference:
    """Lookup tables from registry ids to names and numbers (see the module docstring)."""

    ministries: dict[str, str] = field(default_factory=dict)
    organizations: dict[str, str] = field(default_factory=dict)
    by_corporate_number: dict[str, str] = field(default_factory=dict)
    programs: dict[str, list[tuple[str, bool]]] = field(default_factory=dict)
    program_labels: dict[str, str] = field(default_factory=dict)
    digest: str = ""

    def ministry(self, name: str) -> str | None:
        """The registry id of a ministry named as in the `府省庁` column, or None.

        A name that joins a ministry and one of its agencies (`国土交通省気象庁`) is the agency.
        """
        key = compact(name)
        if key in self.ministries:
            return self.ministries[key]
        for prefix in sorted(self.ministries, key=len, reverse=True):
            rest = key[len(prefix):]
            if key.startswith(prefix) and rest in self.ministries:
                return self.ministries[rest]
        return None

    def organization(self, name: str) -> str | None:
        """The registry id of an organization whose label or alias is this payee name (long names only)."""
        return self.organizations.get(payee_name(name))


def build_reference(registry: Registry) -> Reference:
    """Lookup tables from a checked registry; names that two entities share are left out (ambiguous)."""
    ref = Reference()
    seen_org: dict[str, set[str]] = {}
    seen_ministry: dict[str, set[str]] = {}
    alts: dict[str, list[str]] = {}
    for fact in registry.facts:
        alts.setdefault(fact.entity, []).extend(fact.alt)
        if fact.corporate_number:
            ref.by_corporate_number[fact.corporate_number[0]] = fact.entity
    for entity in registry.entities.values():
        names = [entity.ja, *alts.get(entity.id, [])]
        if entity.cls in ORGANIZATION_CLASSES:
            for name in names:
                key = payee_name(name)
                if len(key) >= MIN_ORG_NAME:
                    seen_org.setdefault(key, set()).add(entity.id)
        if entity.cls == "Ministry":
            for name in names:
                seen_ministry.setdefault(compact(name), set()).add(entity.id)
        if entity.cls in PROGRAM_CLASSES:
            ref.programs[entity.id] = [(entity.ja, True)] + [(a, False) for a in alts.get(entity.id, [])]
            ref.program_labels[entity.id] = entity.ja
    ref.organizations = {k: next(iter(v)) for k, v in seen_org.items() if len(v) == 1}
    ref.ministries = {k: next(iter(v)) for k, v in seen_ministry.items() if len(v) == 1}
    text = repr((sorted(ref.ministries.items()), sorted(ref.organizations.items()),
                 sorted(ref.by_corporate_number.items()), sorted(ref.programs.items())))
    ref.digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return ref


@lru_cache(maxsize=1)
def registry_reference() -> Reference:
    """The reference built from the bundled registry (cached)."""
    return build_reference(load_registry([default_registry_dir()]))


__all__ = ["Reference", "build_reference", "registry_reference"]
