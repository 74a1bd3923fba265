"""Candidate names of STI entities in a piece of seed text, found without the registry.

The recall audit must not find names by looking them up in the registry it measures (that would
only find what is already there). This finder uses the shapes names take in Japanese government
documents instead: a run of kanji/katakana/Latin ending in an organisation, program, fund, facility
or policy word (…機構, …事業, …基金, …戦略, …法), a quoted title (「…」), a Latin abbreviation
(JST, A-STEP, GOSAT-GW) and the abbreviations and names of seed 003's glossary. It over-reports on
purpose: a reader decides, window by window, which candidates are named entities
(scripts/recall_audit_truth.yaml); the audit checks that every candidate was decided.

    >>> sorted(find_candidates(["本事業では、科学技術振興機構（ＪＳＴ）が", "未来共創推進事業を実施。"]))
    ['JST', '未来共創推進事業', '科学技術振興機構']
"""
from __future__ import annotations

import re

from stigraph.extract.mentions import match_form
from stigraph.loaders.text import normalize

# Words a name of an organisation, program, fund, facility, system, policy or event ends with.
SUFFIXES = (
    "機構", "研究所", "研究機関", "センター", "事業", "制度", "プログラム", "プロジェクト", "基金", "ファンド",
    "計画", "戦略", "方針", "指針", "ガイドライン", "ビジョン", "パッケージ", "構想", "プラン", "法", "会議",
    "本部", "委員会", "審議会", "協議会", "調査会", "懇談会", "フォーラム", "コンソーシアム", "アライアンス",
    "庁", "省", "局", "室", "大学", "大学院", "施設", "システム", "ネットワーク", "拠点", "イニシアティブ",
    "イニシアチブ", "サミット", "ステーション", "衛星", "プラットフォーム", "財団", "学会", "協会", "銀行", "公庫",
    "データベース", "ポータル", "アワード", "賞", "会", "院", "炉", "館", "船", "税制", "交付金", "補助金",
    "条約", "協定", "ユニット", "チーム", "グループ", "パートナーシップ", "ラボ", "フェア", "塾", "コード",
    "枠組み", "ロードマップ", "工程表", "大綱", "宣言", "声明", "クラウド", "会合", "研修",
)
_NAME_CHAR = r"[\u4e00-\u9fff々〆\u30a0-\u30ffー・A-Za-z0-9&\-]"
_SUFFIX = "|".join(sorted(map(re.escape, SUFFIXES), key=len, reverse=True))
_SUFFIXED = re.compile(rf"({_NAME_CHAR}{{2,30}}?(?:{_SUFFIX}))(?!{_NAME_CHAR})")
_QUOTED = re.compile(r"[「『]([^「」『』]{2,50})[」』]")
_LATIN = re.compile(r"(?<![A-Za-z0-9\-])([A-Za-z][A-Za-z0-9&\-]*[A-Za-z0-9])(?![A-Za-z0-9\-])")
# Leading words that make a suffixed run a reference, not a name (本事業, 同基金, 各府省).
_GENERIC_HEAD = re.compile(r"^(?:本|同|当該|各|新|旧|両|全|他|前記|上記|次期|今回|新た)")
_MIN_LEN = 4


def _latin_ok(token: str) -> bool:
    return sum(c.isupper() for c in token) >= 2


def window_text(lines: list[str]) -> str:
    """The lines of a window in the form names are compared in (normalised, line breaks joined)."""
    return match_form(normalize("\n".join(lines)), normalized=True)


def find_candidates(lines: list[str], glossary_names: list[str] | None = None) -> set[str]:
    """Candidate entity names in `lines` (raw seed lines), in `match_form`.

    `glossary_names` are extra names to look for verbatim (the abbreviations and Japanese names of
    the strategy's glossary).
    """
    text = window_text(lines)
    found: set[str] = set()
    for match in _SUFFIXED.finditer(text):
        name = _GENERIC_HEAD.sub("", match.group(1).lstrip("・-"))
        if len(name) >= _MIN_LEN:
            found.add(name)
    for match in _QUOTED.finditer(text):
        found.add(match.group(1).strip())
    for match in _LATIN.finditer(text):
        token = match.group(1)
        if _latin_ok(token):
            found.add(token)
    for name in glossary_names or []:
        key = match_form(name)
        if len(key) >= 2 and _contains_word(text, key):
            found.add(key)
    return found


def _contains_word(text: str, key: str) -> bool:
    if not key.isascii():
        return key in text
    return re.search(rf"(?<![A-Za-z0-9]){re.escape(key)}(?![A-Za-z0-9])", text) is not None
