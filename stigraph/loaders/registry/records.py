"""The records a checked registry is read into: entities, facts about them, relations, budgets, sources."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

BudgetKey = tuple[str, int, str, "str | None"]
"""(entity id, fiscal year, kind, item): what tells two curated figures apart (and makes their IRI)."""


@dataclass(frozen=True)
class Source:
    """Where a fact comes from: a seed file and line(s), or a curated public reference.

    `inferred` marks a relation a curator read from lines that suggest it without stating it.
    """

    file: str | None = None
    line: int | None = None
    line_end: int | None = None
    curated: str | None = None
    inferred: bool = False


@dataclass
class Relation:
    predicate: str
    target: str
    source: Source
    where: str


@dataclass
class Budget:
    fiscal_year: int
    kind: str
    amount: Decimal
    source: Source
    where: str
    fiscal_year_end: int | None = None
    previous: Decimal | None = None
    previous_kind: str = "initial"
    is_new: bool = False
    included_in: bool = False
    marker: str | None = None
    item: str | None = None
    amount_text: str = ""
    previous_text: str | None = None
    part_of_text: tuple[str, ...] | None = None
    """The `part_of:` values as written (one or several), None when the key is absent."""
    previous_part_of_text: tuple[str, ...] | None = None
    parents: tuple[BudgetKey, ...] = ()
    """The figures this one is part of (stated with `part_of:` or inferred; see loaders/registry/budgets.py)."""
    previous_parents: tuple[BudgetKey, ...] = ()


@dataclass
class Entity:
    id: str
    cls: str
    ja: str
    en: str
    file: Path
    where: str
    sources: list[Source] = field(default_factory=list)
    en_source: Source | None = None
    alt: list[tuple[str, Path]] = field(default_factory=list)


@dataclass
class Fact:
    """Facts an entry states about one entity, kept per file so each lands in that file's graph."""

    entity: str
    file: Path
    where: str
    sources: list[Source] = field(default_factory=list)
    alt: list[str] = field(default_factory=list)
    themes: list[tuple[str, Source | None]] = field(default_factory=list)
    exact_match: list[str] = field(default_factory=list)
    period: tuple[int | None, int | None, Source] | None = None
    decided: tuple[str, Source] | None = None
    relations: list[Relation] = field(default_factory=list)
    budgets: list[Budget] = field(default_factory=list)
    corporate_number: tuple[str, Source] | None = None


@dataclass
class Theme:
    id: str
    ja: str
    en: str
    keywords: list[str]


@dataclass
class Registry:
    """A checked registry: entity definitions, the facts of every entry, and the theme scheme."""

    entities: dict[str, Entity]
    facts: list[Fact]
    themes: dict[str, Theme]
    files: list[Path]
