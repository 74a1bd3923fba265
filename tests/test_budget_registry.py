"""`part_of:` on curated budgets: stated, inferred, mirrored on previous-year figures, and checked."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from stigraph.errors import RegistryError
from stigraph.loaders.registry.rdf import registry_quads
from stigraph.loaders.registry.schema import load_registry

HEAD = """\
document: 000_e5eefd47d6133f4f.txt
entities:
  - id: ministry
    class: Ministry
    ja: 架空省
    en: Ministry of Examples
    line: 1
  - id: chapter
    class: Program
    ja: 架空の章
    en: Example chapter
    line: 2
    budgets:
      - {fy: 2021, kind: draft, amount: "10億円", previous: "9億円", line: 2}
  - id: item-a
    class: Program
    ja: 架空の事業A
    en: Example item A
    line: 3
    relations:
      - {p: partOf, to: chapter, line: 3}
"""


def registry(tmp_path: Path, extra: str, head: str = HEAD):
    path = tmp_path / "r.yaml"
    path.write_text(head + textwrap.indent(textwrap.dedent(extra), "  "), encoding="utf-8")
    return load_registry([path])


def program(ident: str, line: int, relation: str | None, draft_2021: str) -> str:
    """A Program entry, indented like the entries of the tests below, with one FY2021 draft figure."""
    rows = [f"- id: {ident}", "  class: Program", f"  ja: 架空の{ident}", f"  en: Example {ident}", f"  line: {line}"]
    if relation:
        predicate, target = relation.split(": ")
        rows += ["  relations:", f"    - {{p: {predicate}, to: {target}, line: {line}}}"]
    rows += ["  budgets:", f'    - {{fy: 2021, kind: draft, amount: "{draft_2021}", line: {line}}}']
    return "".join(f"      {row}\n" for row in rows)


def budgets(reg) -> dict:
    return {(f.entity, b.fiscal_year, b.kind, b.item): b for f in reg.facts for b in f.budgets}


def test_a_part_is_inferred_from_part_of_and_mirrored_on_the_previous_year(tmp_path):
    reg = registry(tmp_path, """\
      - about: item-a
        budgets:
          - {fy: 2021, kind: draft, amount: "4億円", previous: "3億円", line: 3}
          - {fy: 2021, kind: draft, amount: "1億円", item: share, line: 4}
    """)
    found = budgets(reg)
    assert found[("item-a", 2021, "draft", None)].parents == (("chapter", 2021, "draft", None),)
    assert found[("item-a", 2021, "draft", None)].previous_parents == (("chapter", 2020, "initial", None),)
    assert found[("item-a", 2021, "draft", "share")].parents == (("item-a", 2021, "draft", None),)   # item -> its entity's figure
    quads = "".join(registry_quads(reg))
    assert ("<https://w3id.org/stigraph/id/budget/item-a/2020-initial> <https://w3id.org/stigraph/ontology#budgetPartOf> "
            "<https://w3id.org/stigraph/id/budget/chapter/2020-initial>") in quads


def test_stated_part_of_and_none(tmp_path):
    reg = registry(tmp_path, """\
      - about: item-a
        budgets:
          - {fy: 2021, kind: draft, amount: "4億円", line: 3, part_of: none}
          - {fy: 2021, kind: initial, amount: "2億円", item: x, line: 4, part_of: chapter/draft}
    """)
    found = budgets(reg)
    assert found[("item-a", 2021, "draft", None)].parents == ()
    assert found[("item-a", 2021, "initial", "x")].parents == (("chapter", 2021, "draft", None),)


@pytest.mark.parametrize(("budget", "message"), [
    ('{fy: 2021, kind: draft, amount: "4億円", line: 3, part_of: nothing}', "no curated figure nothing FY2021 draft"),
    ('{fy: 2021, kind: draft, amount: "40億円", line: 3, part_of: chapter}', "cannot be part of chapter FY2021 draft"),
    ('{fy: 2022, kind: draft, amount: "4億円", line: 3, part_of: chapter/2021}', "does not cover FY2022"),
    ('{fy: 2021, kind: draft, amount: "4億円", line: 3, part_of: "chapter/a/b"}', r"must be ENTITY\[/FY\]\[/KIND\]\[/ITEM\]"),
    ('{fy: 2021, kind: draft, amount: "4億円", line: 3, part_of: item-a}', "names the figure itself"),
    ('{fy: 2021, kind: draft, amount: "4億円", line: 3, part_of: [chapter, none]}', "'none' cannot be listed"),
    ('{fy: 2021, kind: draft, amount: "4億円", line: 3, part_of: [chapter, chapter]}', "the same figure twice"),
    ('{fy: 2021, kind: draft, amount: "4億円", line: 3, part_of: []}', "non-empty list"),
    ('{fy: 2021, kind: draft, amount: "4億円", line: 3, previous_part_of: chapter}', "needs a previous"),
    ('{fy: 2021, kind: draft, amount: "4億円", previous: "30億円", line: 3, previous_part_of: chapter}',
     r"cannot be part of chapter FY2020 initial"),
    ('{fy: 2021, kind: draft, amount: "4億円", previous: "3億円", line: 3, previous_part_of: chapter/2019}',
     "no curated figure chapter FY2019 initial"),
])
def test_bad_part_of_is_an_error_naming_the_line(tmp_path, budget, message):
    with pytest.raises(RegistryError, match=message) as info:
        registry(tmp_path, f"""\
      - about: item-a
        budgets:
          - {budget}
    """)
    assert "r.yaml:" in str(info.value)


def test_parts_adding_up_to_more_than_the_whole_are_an_error(tmp_path):
    with pytest.raises(RegistryError, match=r"the parts of chapter FY2021 draft add up to 1100000000 yen"):
        registry(tmp_path, """\
      - about: item-a
        budgets:
          - {fy: 2021, kind: draft, amount: "6億円", line: 3}
""" + program("item-b", 5, "partOf: chapter", "5億円"))


def test_two_candidate_wholes_must_be_told_apart(tmp_path):
    with pytest.raises(RegistryError, match="say which with part_of"):
        registry(tmp_path, program("other", 6, None, "20億円") + """\
      - about: item-a
        relations:
          - {p: partOf, to: other, line: 6}
        budgets:
          - {fy: 2021, kind: draft, amount: "4億円", line: 3}
    """)


def test_a_cycle_is_an_error(tmp_path):
    with pytest.raises(RegistryError, match="comes back to"):
        registry(tmp_path, """\
      - about: item-a
        budgets:
          - {fy: 2020, kind: draft, amount: "1億円", line: 3, part_of: ministry}
      - about: ministry
        budgets:
          - {fy: 2020, kind: draft, amount: "1億円", line: 1, part_of: item-a}
    """)


def test_one_figure_stated_twice_with_different_wholes_is_an_error(tmp_path):
    with pytest.raises(RegistryError, match="different part_of"):
        registry(tmp_path, """\
      - about: item-a
        budgets:
          - {fy: 2021, kind: draft, amount: "4億円", line: 3, part_of: chapter}
          - {fy: 2021, kind: draft, amount: "4億円", line: 4, part_of: none}
    """)


def test_a_figure_part_of_two_wholes_and_its_previous_year_figure(tmp_path):
    reg = registry(tmp_path, program("area", 5, None, "8億円") + """\
      - about: area
        budgets:
          - {fy: 2020, kind: initial, amount: "7億円", line: 5}
      - about: item-a
        budgets:
          - {fy: 2021, kind: draft, amount: "4億円", previous: "3億円", line: 3, part_of: [chapter, area],
             previous_part_of: [chapter, area]}
    """)
    found = budgets(reg)[("item-a", 2021, "draft", None)]
    assert found.parents == (("chapter", 2021, "draft", None), ("area", 2021, "draft", None))
    assert found.previous_parents == (("chapter", 2020, "initial", None), ("area", 2020, "initial", None))
    quads = "".join(registry_quads(reg))
    for part, whole in (("item-a/2021-draft", "chapter/2021-draft"), ("item-a/2021-draft", "area/2021-draft"),
                        ("item-a/2020-initial", "chapter/2020-initial"), ("item-a/2020-initial", "area/2020-initial")):
        assert (f"<https://w3id.org/stigraph/id/budget/{part}> <https://w3id.org/stigraph/ontology#budgetPartOf> "
                f"<https://w3id.org/stigraph/id/budget/{whole}>") in quads
