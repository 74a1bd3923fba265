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


# --- traps found by the independent check of issue 17 (sentences in our own words) ------------------

@pytest.fixture(scope="module")
def bundled():
    return registry_gazetteer()[0]


def _named(lines, gazetteer) -> set[str]:
    return {m.entity for m in find_mentions(lines, gazetteer)}


JST_REPORT = ["JSTの年度報告。", "JSTは事業を進めた。", "JSTの成果を示す。", "JSTの体制。", "JSTの評価。"]


@pytest.mark.parametrize(("lines", "absent"), [
    (["関係省庁と連携して取り組む。"], "all-relevant-ministries"),               # "the ministries concerned"
    (["全府省で予算を集計した。"], "all-relevant-ministries"),
    (["AI戦略の戦略目標IIとして産業競争力を掲げた。"], "mext-strategic-objectives"),  # a strategy's numbered goal
    (["4つの戦略目標を定めた。"], "mext-strategic-objectives"),
    (["創発性の原理を解き明かす。"], "sosei"),                                  # emergence, not the JST programme
    (["刺激を受けて創発的な研究が進む。"], "sosei"),
    (["共創の場の育成型と本格型を設けた。"], "a-step-ikusei-type"),            # another programme's types
    (["共創の場の育成型と本格型を設けた。"], "a-step-honkaku-type"),
    (["返済型奨学金を拡充する。"], "a-step-repayment-type"),
    (["ドローンや自動運転の実装を進める。"], "sip-2-automated-driving"),        # a technology, no SIP in sight
    (["若手のポストと挑戦的研究費を確保する。"], "kakenhi-challenging"),         # money, not the KAKENHI category
    (["主要国の科学技術予算の推移を比べる。"], "mext-st-budget"),               # any country's S&T budget
    (["日本成長戦略会議で総理が発言した。"], "growth-strategy-council"),       # a later council of another name
    (["宇宙戦略事業を新たに始める。"], "strategic-basic-research"),             # any strategic project
    (["A社はデータ戦略を改訂した。"], "comprehensive-data-strategy"),          # a company's data strategy
    (["MSで分子量を測った。"], "moonshot"),                                       # mass spectrometry
    (["DC電源を使う。"], "jsps-dc"),                                             # direct current
    (["JHの高速道路。"], "japan-health"),
    (["大学の国際部が留学生を支える。"], "jst-international-dept"),             # every university has one
    (["市の一般勘定から支出する。"], "jst-general-account"),
    (["施設の整備方針を決めた。"], "gov-it-system-policy"),
    (["新産業・革新技術創出に向けた先導研究プログラムを公募する。"], "nedo-leading-research"),  # another NEDO programme
])
def test_traps_found_by_the_independent_check(bundled, lines, absent):
    assert absent not in _named(lines, bundled)


@pytest.mark.parametrize(("lines", "present"), [
    (["文部科学省が定める戦略目標の下で研究領域を設けた。"], "mext-strategic-objectives"),
    (JST_REPORT * 2 + ["戦略目標の達成に貢献した。"], "mext-strategic-objectives"),   # JST's own report
    (["創発的研究の支援を受けた。"], "sosei"),
    (["創発研究者を支える。"], "sosei"),
    (["A-STEPの産学共同には育成型と本格型がある。"], "a-step-ikusei-type"),
    (["A-STEP企業主体(返済型)の課題。"], "a-step-repayment-type"),
    (["SIP第2期の自動運転の課題。"], "sip-2-automated-driving"),
    (JST_REPORT + ["機構の目的を述べる。"], "jst"),
    (["文部科学省科学技術予算のポイントを示す。"], "mext-st-budget"),
    (["2020年12月の成長戦略会議で公表された。"], "growth-strategy-council"),
    (["JST「戦略事業」の成果。"], "strategic-basic-research"),
    (["政府のデータ戦略に基づき整備する。"], "comprehensive-data-strategy"),
    (["ムーンショット(MS)型研究開発制度を進める。"], "moonshot"),
    (["特別研究員(PD、DC)を拡充する。"], "jsps-dc"),
    (JST_REPORT + ["国際部と情報企画部が連携した。"], "jst-international-dept"),
    (["情報システムの整備及び管理の基本的な方針(整備方針)に沿う。"], "gov-it-system-policy"),
])
def test_the_same_words_where_they_name_the_entity(bundled, lines, present):
    assert present in _named(lines, bundled)


def test_a_mechanism_is_not_jst_even_in_jsts_report(bundled):
    dropped: Counter = Counter()
    mentions = {m.entity: m.count for m in find_mentions(JST_REPORT + ["電気魚の発電の機構を探る。"], bundled, dropped)}
    assert mentions["jst"] == len(JST_REPORT) and dropped == {"機構": 1}


def test_unless_document_names_and_always_contexts():
    rules = GenericLabels.from_data({"labels": [
        {"label": "部", "why": "x", "count_when": [{"document_names": ["org"], "min_count": 2}]},
        {"label": "会議", "why": "x", "count_when": [{"always": True}], "unless": [{"before": ["日本"], "window": 0}]},
    ]})
    dept, council = rules.rule_for("部"), rules.rule_for("会議")
    assert dept.counts("部", 0, 1, "dept", {"org": 2}, frozenset())
    assert not dept.counts("部", 0, 1, "dept", {"org": 1}, frozenset())
    assert council.counts("成長会議", 2, 4, "c", {}, frozenset())
    assert not council.counts("日本会議", 2, 4, "c", {}, frozenset())


def test_bad_new_context_keys_are_errors_naming_the_entry():
    with pytest.raises(ExtractionError, match="entry 1: min_count must be a whole number"):
        GenericLabels.from_data({"labels": [{"label": "x", "count_when": [{"document_names": ["a"], "min_count": 0}]}]})
    with pytest.raises(ExtractionError, match="entry 1: always must be true or false"):
        GenericLabels.from_data({"labels": [{"label": "x", "count_when": [{"always": "yes"}]}]})
    with pytest.raises(ExtractionError, match="entry 1: a context has keys among"):
        GenericLabels.from_data({"labels": [{"label": "x", "unless": [{"nearby": ["a"]}]}]})
