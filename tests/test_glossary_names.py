"""Every named entity of seed 003's glossary is in the registry under the glossary's own names.

The glossary (略称一覧) gives each abbreviation its Japanese name and, often, its official English
name. tests/fixtures/glossary_003_entities.yaml decides for every entry whether it names an entity
(and which registry id carries it) or is a general term; this test parses the glossary from the
seed, so an entry nobody decided, a wrong English label or a missing abbreviation fails.
"""
from __future__ import annotations

import importlib.util
import re
import sys
import unicodedata

import pytest
import yaml

from stigraph.loaders.registry.schema import default_registry_dir, load_registry
from stigraph.loaders.text import compact, normalize

from .conftest import FIXTURES, REPO, SEEDS, needs_seeds, seeds_available

pytestmark = [needs_seeds, pytest.mark.seeds]

_spec = importlib.util.spec_from_file_location("recall_audit_glossary", REPO / "scripts" / "recall_audit_glossary.py")
glossary_module = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
sys.modules[_spec.name] = glossary_module  # dataclasses look their module up while the class is built
_spec.loader.exec_module(glossary_module)  # type: ignore[union-attr]

DECIDED = yaml.safe_load((FIXTURES / "glossary_003_entities.yaml").read_text(encoding="utf-8"))
ENTRIES = glossary_module.seed_glossary(SEEDS) if seeds_available() else []
REGISTRY = load_registry([default_registry_dir()])
# Typographic variants the PDF dump uses for the same name: non-breaking and other hyphens, curly quotes.
_TYPOGRAPHY = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2212": "-",
                             "\u2019": "'", "\u2018": "'"})


def english(text: str) -> str:
    """An English name in comparable form: NFKC, one kind of hyphen and apostrophe, single spaces."""
    return re.sub(r"\s+", " ", normalize(text).translate(_TYPOGRAPHY)).strip()


def labels_of(ident: str) -> set[str]:
    entity = REGISTRY.entities[ident]
    names = {entity.ja, entity.en}
    for fact in REGISTRY.facts:
        if fact.entity == ident:
            names.update(fact.alt)
    return {compact(n).lower() for n in names}


def test_the_glossary_is_read_whole() -> None:
    abbreviations = [e.abbr for e in ENTRIES]
    assert len(abbreviations) > 170 and len(set(abbreviations)) == len(abbreviations)
    by_abbr = {e.abbr: e for e in ENTRIES}
    assert by_abbr["A-STEP"].en == "Adaptable and Seamless TEchnology Transfer Program through Target-driven R&D"
    assert by_abbr["SACLA"].ja == "X線自由電子レーザー施設"  # abbreviation alone on its line
    assert by_abbr["GPIF"].ja == "年金積立金管理運用独立行政法人"  # after GPAI, whose bracket never closes
    assert by_abbr["K Program"].ja == "経済安全保障重要技術育成プログラム"


def test_every_glossary_entry_is_decided() -> None:
    entities, terms = set(DECIDED["entities"]), set(DECIDED["terms"])
    assert not entities & terms, f"decided both ways: {sorted(entities & terms)}"
    parsed = {e.abbr for e in ENTRIES}
    assert parsed - entities - terms == set(), "glossary entries nobody decided"
    assert (entities | terms) - parsed == set(), "decided entries the glossary does not have"


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e.abbr in DECIDED["entities"]], ids=lambda e: e.abbr)
def test_glossary_entity_carries_the_glossary_names(entry) -> None:
    ident = DECIDED["entities"][entry.abbr]
    assert ident in REGISTRY.entities, f"{entry.abbr} (line {entry.line}): no registry entity {ident!r}"
    entity = REGISTRY.entities[ident]
    if entry.en:
        assert english(entity.en) == english(entry.en), f"{ident}: English label is not the glossary's name"
    labels = labels_of(ident)
    assert compact(entry.abbr).lower() in labels, f"{ident}: abbreviation {entry.abbr} is not a label"
    if entry.ja:
        assert compact(entry.ja).lower() in labels, f"{ident}: glossary name {entry.ja} is not a label"


def test_no_english_label_ends_in_its_abbreviation() -> None:
    """Abbreviations are altLabels, not a " (ABBR)" tail on the English name."""
    tailed = []
    for ident, entity in REGISTRY.entities.items():
        match = re.search(r" \(([^()]+)\)$", entity.en)
        if match and compact(match.group(1)).lower() in labels_of(ident) - {compact(entity.en).lower()}:
            tailed.append(f"{ident}: {entity.en}")
    assert tailed == []


def test_japanese_labels_are_japanese() -> None:
    """A ja prefLabel is written in Japanese unless the seeds only ever name the thing in Latin letters."""
    latin_only = [ident for ident, e in REGISTRY.entities.items()
                  if not any(unicodedata.name(c, "").startswith(("CJK", "HIRAGANA", "KATAKANA")) for c in e.ja)]
    assert sorted(latin_only) == sorted(DECIDED["latin_ja_labels"])
