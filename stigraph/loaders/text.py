"""Text normalisation used by every loader and test: one function, one behaviour.

PDF dumps of Japanese government documents carry Kangxi radicals (⽂), full-width Latin (ＳＩＰ),
CJK Radicals Supplement characters (⺠) that NFKC leaves alone, and letter-spaced lines.
"""
from __future__ import annotations

import re
import unicodedata

# NFKC does not fold the CJK Radicals Supplement block; these are the ones seen in the seeds
# (and their common neighbours), mapped to the unified ideograph they stand for.
RADICALS_SUPPLEMENT = {
    "\u2e80": "冫", "\u2e84": "乙", "\u2e85": "亻", "\u2e86": "冂", "\u2e88": "刀", "\u2e8b": "㔾",
    "\u2e8c": "小", "\u2e8e": "兀", "\u2e8f": "尣", "\u2e90": "尢", "\u2e93": "幺", "\u2e94": "彑",
    "\u2e96": "忄", "\u2e97": "㣺", "\u2e98": "扌", "\u2e99": "攵", "\u2e9b": "旡", "\u2e9f": "母",
    "\u2ea0": "民", "\u2ea2": "氵", "\u2ea3": "灬", "\u2ea4": "爫", "\u2ea6": "丬", "\u2ea8": "犭",
    "\u2eaa": "疋", "\u2eab": "罒", "\u2eac": "示", "\u2ead": "礻", "\u2eb2": "罒", "\u2eb3": "罓",
    "\u2eb6": "羊", "\u2eb7": "羊", "\u2eb9": "耂", "\u2ebc": "月", "\u2ebe": "艹", "\u2ebf": "艹",
    "\u2ec0": "艹", "\u2ec1": "虎", "\u2ec2": "衤", "\u2ec3": "覀", "\u2ec4": "西", "\u2ec5": "见",
    "\u2ec6": "角", "\u2ec7": "角", "\u2ec8": "讠", "\u2ec9": "贝", "\u2ecb": "车", "\u2ecc": "辶",
    "\u2ecd": "辶", "\u2ecf": "阝", "\u2ed0": "钅", "\u2ed1": "長", "\u2ed2": "長", "\u2ed3": "长",
    "\u2ed4": "门", "\u2ed6": "阝", "\u2ed7": "雨", "\u2ed8": "青", "\u2ed9": "韦", "\u2edb": "風",
    "\u2edc": "风", "\u2edd": "食", "\u2ede": "飠", "\u2edf": "飠", "\u2ee0": "饣", "\u2ee2": "马",
    "\u2ee3": "骨", "\u2ee4": "鬼", "\u2ee5": "鱼", "\u2ee6": "鸟", "\u2ee7": "卤", "\u2ee8": "麦",
    "\u2ee9": "黄", "\u2eea": "黾", "\u2eeb": "斉", "\u2eec": "齐", "\u2eed": "歯", "\u2eee": "齿",
    "\u2eef": "竜", "\u2ef0": "龙", "\u2ef1": "龜", "\u2ef2": "亀", "\u2ef3": "龟",
}
_RADICALS_TABLE = str.maketrans(RADICALS_SUPPLEMENT)

# A line is letter-spaced when (nearly) every character is followed by one space: "科 学 技 術".
_LETTER_SPACED = re.compile(r"^(?:\S ){3,}\S$")


def normalize(text: str) -> str:
    """Return `text` in the one canonical form every matcher in stigraph uses.

    NFKC (full-width Latin and digits, Kangxi radicals), then the CJK radicals-supplement map,
    then letter-spaced lines joined. Line breaks are kept, so line numbers stay valid.

    >>> normalize("⽂部科学省 ＳＩＰ 国⺠ 科 学 技 術")
    '文部科学省 SIP 国民 科 学 技 術'
    >>> normalize("科 学 技 術")
    '科学技術'
    """
    folded = unicodedata.normalize("NFKC", text).translate(_RADICALS_TABLE)
    if "\n" not in folded:
        return _join_letter_spacing(folded)
    return "\n".join(_join_letter_spacing(line) for line in folded.split("\n"))


def _join_letter_spacing(line: str) -> str:
    stripped = line.strip()
    if _LETTER_SPACED.match(stripped):
        return stripped.replace(" ", "")
    return line


def compact(text: str) -> str:
    """Normalise and drop every whitespace character; used to compare labels with source lines.

    >>> compact("未来共創\\n推進 事業")
    '未来共創推進事業'
    """
    return re.sub(r"\s+", "", normalize(text))


_WS_BETWEEN_ASCII = re.compile(r"(?<=[A-Za-z0-9])\s+(?=[A-Za-z0-9])")
_WS = re.compile(r"\s+")


def match_form(text: str, normalized: bool = False) -> str:
    """The form labels and text are compared in: normalised, spaces dropped except between ASCII words.

    >>> match_form("Beyond  5G と 未来共創\\n推進事業")
    'Beyond 5Gと未来共創推進事業'
    """
    text = text if normalized else normalize(text)
    return _WS.sub("", _WS_BETWEEN_ASCII.sub("\x01", text)).replace("\x01", " ")
