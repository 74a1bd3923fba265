"""Registry relations say how they were read: a seed line that states them, or `inferred: true`.

A relation cited on a line that only names its subject (a program listed in a JST table, read as
run by JST) or on a 「…を踏まえて」 line read as basedOn is a reading, not a statement. Such
relations carry `inferred: true`, which gives their locator the provenance kind stig:Inferred.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from stigraph.builder.inputs import collect_quads
from stigraph.errors import RegistryError
from stigraph.loaders.registry.schema import default_registry_dir, load_registry
from stigraph.loaders.text import compact
from stigraph.sparql.graph import StiGraph

from .conftest import SEEDS, needs_seeds

REGISTRY = load_registry([default_registry_dir()])
WINDOW = 3
LEGEND = Path(default_registry_dir()).parent / "strategy_legend.yaml"


@lru_cache(maxsize=None)
def _lines(name: str) -> list[str]:
    return (SEEDS / name).read_text(encoding="utf-8").split("\n")


def _names() -> dict[str, list[str]]:
    names = {ident: [e.ja, e.en] for ident, e in REGISTRY.entities.items()}
    for fact in REGISTRY.facts:
        names[fact.entity] += fact.alt
    return names


def _tags() -> dict[str, set[str]]:
    tags: dict[str, set[str]] = {}
    for row in yaml.safe_load(LEGEND.read_text(encoding="utf-8")) or []:
        tags.setdefault(str(row["id"]), set()).add(compact(str(row["abbr"])))
    return tags


def _stated_relations():
    for fact in REGISTRY.facts:
        for rel in fact.relations:
            if rel.source.curated or rel.source.inferred:
                continue
            yield pytest.param(fact.entity, rel, id=f"{fact.entity}-{rel.predicate}-{rel.target}@{rel.source.line}")


NAMES = _names()
TAGS = _tags()


@needs_seeds
@pytest.mark.seeds
@pytest.mark.parametrize("subject,rel", list(_stated_relations()))
def test_a_stated_relation_names_its_target_on_the_cited_lines(subject, rel) -> None:
    lines = _lines(rel.source.file)
    last = rel.source.line_end or rel.source.line
    text = compact("".join(lines[max(0, rel.source.line - 1 - WINDOW): last + WINDOW]))
    named = any(len(compact(n)) >= 2 and compact(n) in text for n in NAMES[rel.target])
    tagged = any(TAGS.get(rel.target, set()) & set(seg.split("、")) for seg in re.findall(r"【([^】]*)】", text))
    assert named or tagged, f"{rel.where}: {rel.target} is not named near the cited line; cite the line that states it or add inferred: true"
    if rel.predicate == "basedOn":
        assert "基づ" in text or "踏まえ" not in text, f"{rel.where}: 「…を踏まえ」 only suggests basedOn; add inferred: true"


def test_inferred_relations_get_the_inferred_provenance_kind() -> None:
    inferred = {(f.entity, r.predicate, r.target) for f in REGISTRY.facts for r in f.relations if r.source.inferred}
    assert inferred, "the bundled registry marks some relations as inferred"
    graph = StiGraph.from_nquads(collect_quads(include_derived=False))
    rows = graph.select("""SELECT ?s ?p ?o WHERE {
        ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; stig:source ?loc .
        ?loc stig:provenanceKind stig:Inferred ; stig:line ?line }""")
    found = {(str(r["s"]).rsplit("/", 1)[1], str(r["p"]).rsplit("#", 1)[-1].rsplit("/", 1)[-1], str(r["o"]).rsplit("/", 1)[1])
             for r in rows}
    assert inferred <= found


@pytest.mark.parametrize("value,message", [("false", "must be true"), ('"yes"', "must be true")])
def test_inferred_must_be_true(tmp_path: Path, value: str, message: str) -> None:
    path = tmp_path / "r.yaml"
    path.write_text("document: x.txt\nentities:\n  - {id: a, class: Program, ja: ア, en: A, line: 1}\n"
                    f"  - {{id: b, class: Agency, ja: ビ, en: B, line: 1, relations: [{{p: administeredBy, to: a, line: 1, inferred: {value}}}]}}\n",
                    encoding="utf-8")
    with pytest.raises(RegistryError, match=message):
        load_registry([path])


def test_inferred_needs_a_seed_line(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text("document: x.txt\nentities:\n  - {id: a, class: Agency, ja: ア, en: A, line: 1}\n"
                    "  - {id: b, class: Program, ja: ビ, en: B, line: 1, relations: "
                    "[{p: administeredBy, to: a, curated: 'Some act, article 1', inferred: true}]}\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="not 'curated'"):
        load_registry([path])
