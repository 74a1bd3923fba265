"""Gazetteer mentions at token boundaries, measure links and themes."""
from __future__ import annotations

from stigraph.extract.mentions import at_boundary, build_gazetteer, find_mentions, match_form, themes_in

NAMES = {"jst": ["JST", "科学技術振興機構"], "riken": ["理研", "理化学研究所"], "sip": ["SIP"],
         "sip-3": ["SIP第3期"], "b5g": ["Beyond 5G"], "early": ["若手研究"]}


def test_boundaries():
    text = "JSTAGEとJSTの事業"
    assert not at_boundary(text, 0, 3)
    assert at_boundary(text, 7, 10)
    assert not at_boundary("物理研究所", 1, 3)
    assert at_boundary("理研では", 0, 2)


def test_mentions_longest_match_and_false_hits():
    lines = ["JSTAGEを使うJSTの事業。", "物理研究所と理研。", "SIPS2024ではなくSIP第3期と", "SIP。Beyond", "5Gの研究", "",
             "若手研究者と若手研究の区分"]
    found = {m.entity: (m.count, m.lines) for m in find_mentions(lines, build_gazetteer(NAMES))}
    assert found == {"jst": (1, [1]), "riken": (1, [2]), "sip-3": (1, [3]), "sip": (1, [4]), "b5g": (1, [4]),
                     "early": (1, [7])}


def test_tags_are_not_mentions():
    found = find_mentions(["JSTが実施。【JST】"], build_gazetteer(NAMES))
    assert [(m.entity, m.count) for m in found] == [("jst", 1)]


def test_match_form_and_themes():
    assert match_form("未来共創\n推進 事業") == "未来共創推進事業"
    assert themes_in("量子コンピュータとAIの研究", {"quantum": ["量子"], "ai": ["AI"]}) == ["ai", "quantum"]
    assert themes_in("FAIR原則", {"ai": ["AI"]}) == []
