"""Generic labels (stigraph/data/generic_labels.yaml) count only in a context that makes them the entity."""
from __future__ import annotations

from collections import Counter

import pytest

from stigraph.errors import ExtractionError
from stigraph.extract.generic_labels import GenericLabels, load_generic_labels
from stigraph.extract.mentions import build_gazetteer, find_mentions, registry_gazetteer

# Labels as the registry writes them: each generic one beside the longer names it hides in.
NAMES = {
    "moonshot-goal-8": ["ムーンショット目標8", "目標8", "気象"], "moonshot-goal-9": ["ムーンショット目標9", "こころ"],
    "jma": ["気象庁"], "moonshot": ["ムーンショット型研究開発制度"],
    "basic-plan-2": ["第2期科学技術基本計画", "2期"], "basic-plan-3": ["第3期科学技術基本計画", "3期"],
    "sip-2": ["SIP第2期", "第2期SIP"], "sip-3": ["SIP第3期"],
    "jst": ["科学技術振興機構", "JST", "機構"], "amed": ["日本医療研究開発機構", "AMED"], "nedo": ["NEDO"],
    "jst-operating-grant": ["JST運営費交付金", "運営費交付金"], "national-univ-grant": ["国立大学法人運営費交付金"],
    "european-commission": ["欧州委員会", "EC"], "sip-2-photonics": ["光・量子を活用したSociety 5.0実現化技術", "光・量子"],
    "kakenhi": ["科学研究費助成事業", "科研費"], "kakenhi-kiban": ["基盤研究"], "kakenhi-early-career": ["若手研究"],
    "kakenhi-challenging": ["挑戦的研究"],
}


@pytest.fixture(scope="module")
def gazetteer():
    return build_gazetteer(NAMES, generic=load_generic_labels())


def found(lines, gazetteer) -> tuple[dict[str, int], Counter]:
    dropped: Counter = Counter()
    return {m.entity: m.count for m in find_mentions(lines, gazetteer, dropped)}, dropped


@pytest.mark.parametrize(("line", "absent"), [
    ("気象庁が大雨の情報を出した。", "moonshot-goal-8"),               # 気象庁 is the agency
    ("気象予測の精度を上げる研究。", "moonshot-goal-8"),               # 気象 as a common noun
    ("SIP第2期の課題で成果が出た。", "basic-plan-2"),                 # the programme's phase, longest match
    ("S IP第3期を開始する。", "basic-plan-3"),                         # a name broken by a space: 3期 alone
    ("第2期募集を行った。", "basic-plan-2"),                            # a second call for proposals
    ("大学の運営費交付金を重点配分する。", "jst-operating-grant"),     # universities' grants
    ("こころの健康を支える。", "moonshot-goal-9"),                      # こころ as a common noun
    ("EC市場が拡大した。", "european-commission"),                      # e-commerce
    ("光・量子の基礎研究を進める。", "sip-2-photonics"),                # a field, no SIP in sight
    ("機構定員を増やす。", "jst"),                                       # 機構 in a document naming no agency
    ("大学等の基盤研究開発を進める。", "kakenhi-kiban"),                 # foundational R&D, not the category
    ("挑戦的研究開発を積極的に推進する。", "kakenhi-challenging"),
    ("若手研究グラントを新設した。", "kakenhi-early-career"),
])
def test_traps(gazetteer, line, absent):
    mentions, dropped = found([line], gazetteer)
    assert absent not in mentions
    assert sum(dropped.values()) >= 1 or absent not in {i for ids in NAMES.values() for i in ids}


@pytest.mark.parametrize(("line", "present"), [
    ("ムーンショットでは新たに気象、こころの目標を開始した。", {"moonshot-goal-8", "moonshot-goal-9"}),
    ("国からJST運営費交付金を受ける。", {"jst-operating-grant"}),
    ("JST 運営費交付金による支援。", {"jst-operating-grant"}),
    ("欧州委員会(EC)の制度。", {"european-commission"}),
    ("第2期基本計画では投資目標を掲げた。", {"basic-plan-2"}),
    ("SIP第2期においても、自動運転、光・量子、防災などで進捗。", {"sip-2-photonics", "sip-2"}),
    ("科研費の種目: 基盤研究 57,617件、挑戦的研究 10,538件、若手研究 13,060件",
     {"kakenhi", "kakenhi-kiban", "kakenhi-challenging", "kakenhi-early-career"}),
])
def test_the_same_words_in_a_context_that_names_the_entity(gazetteer, line, present):
    assert present <= set(found([line], gazetteer)[0])


def test_a_generic_name_counts_where_the_document_is_about_the_entity(gazetteer):
    jst_report = ["科学技術振興機構の年度報告。", "機構は事業を進めた。", "JSTの成果。", "JSTとAMEDの連携。", "機構の目標。"]
    mentions, dropped = found(jst_report, gazetteer)
    assert mentions["jst"] == 5 and not dropped                     # 3 by name + 2 by 機構
    mixed = ["AMEDとNEDOとJSTの連携。", "AMEDの事業。", "NEDOの事業。", "機構(AMED)が支援した。"]
    mentions, dropped = found(mixed, gazetteer)
    assert mentions["jst"] == 1 and dropped == {"機構": 1}


def test_bundled_registry_and_rules_avoid_the_traps_of_issue_17():
    gazetteer = registry_gazetteer()[0]
    lines = ["気象庁による運用が始まった。", "SIP第2期の成果と第2期募集。", "大学の運営費交付金を配分する。",
             "こころの健康。", "EC市場。", "光・量子の研究。"]
    mentions = {m.entity for m in find_mentions(lines, gazetteer)}
    for trap in ("moonshot-goal-8", "moonshot-goal-9", "basic-plan-2", "jst-operating-grant", "european-commission",
                 "sip-2-photonics-quantum"):
        assert trap not in mentions


def test_bad_rules_are_errors_naming_the_entry():
    with pytest.raises(ExtractionError, match="entry 1: give one of 'label' or 'pattern'"):
        GenericLabels.from_data({"labels": [{"why": "x"}]})
    with pytest.raises(ExtractionError, match="document_share must be a number"):
        GenericLabels.from_data({"labels": [{"label": "x", "count_when": [{"document_share": 3}]}]})
    with pytest.raises(ExtractionError, match="bad pattern"):
        GenericLabels.from_data({"patterns": [{"pattern": "(", "count_when": []}]})
