"""Read the glossary of abbreviations (略称一覧) at the end of seed 003 into entries.

The glossary is a two-column table dumped line by line: an abbreviation, then the Japanese name,
then (often) the official English name in brackets. Names and brackets break across lines, page
breaks put a leading space before some abbreviations, and one entry never closes its bracket.
The recall audit uses the entries as candidate names; tests/test_glossary_names.py checks the
registry against them.

    >>> entries = parse_glossary(["略称一覧", "", "ＡＢＣ 見本機構", "（Alpha Beta Centre）", "", "ＸＹ Xray Yard"])
    >>> [(e.abbr, e.ja, e.en) for e in entries]
    [('ABC', '見本機構', 'Alpha Beta Centre'), ('XY', '', 'Xray Yard')]
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from stigraph.loaders.text import normalize  # noqa: E402

GLOSSARY_FILE = "003_1fe72c798f52d037.txt"
START_MARK = "略称一覧"
END_MARK = "中において用いられる府省の略称"  # the legend of ministry tags that follows the glossary
_OPEN, _CLOSE = "(", ")"
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_ABBR_ONLY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9&/\-]{0,9}$")


@dataclass
class GlossaryEntry:
    abbr: str
    ja: str
    en: str
    line: int  # 1-based line of the abbreviation in the seed


def _depth(text: str) -> int:
    return text.count(_OPEN) - text.count(_CLOSE)


def _starts_entry(line: str, depth: int) -> bool:
    if not line or not (line[0].isascii() and line[0].isalnum()):
        return False
    if depth <= 0:
        return True
    return bool(_ABBR_ONLY.match(line))  # a bare abbreviation after an entry that never closed its bracket


def _split(first: str, rest: list[str]) -> tuple[str, str, str]:
    """(abbreviation, Japanese name, English name) of one entry's lines."""
    head, _, tail = first.partition(" ")
    continued = bool(rest) and not rest[0].startswith(_OPEN) and not rest[0][0].isascii()
    if tail and all(c.isascii() for c in tail) and _OPEN not in tail and continued:
        head, tail = first, ""  # "K Program": a two-word abbreviation, its Japanese name below
    body = " ".join([tail] + rest).strip()
    ja, en = body, ""
    at = body.find(_OPEN)
    if at >= 0:
        inside = body[at + 1:]
        end = inside.rfind(_CLOSE)
        inside, after = (inside[:end], inside[end + 1:]) if end >= 0 else (inside, "")
        if not _JAPANESE.search(inside):
            # 幅広いアプローチ（Broader Approach：BA）活動: the English name, then the rest of the Japanese one
            ja, en = body[:at] + after, re.sub(r":\s*[A-Z]+$", "", inside.strip())
        # else a bracket inside the Japanese name: 東北メディカル・メガバンク（計画）
    elif body and all(c.isascii() for c in body):
        ja, en = "", body
    en = re.sub(r"-\s+", "-", re.sub(r"\s+", " ", en)).strip()
    return head.strip(), re.sub(r"\s+", "", ja), en


def parse_glossary(lines: list[str]) -> list[GlossaryEntry]:
    """Entries of the glossary found in `lines` (the whole seed or a slice starting before 略称一覧)."""
    text = [normalize(line).strip() for line in lines]
    try:
        start = next(i for i, line in enumerate(text) if line == START_MARK) + 1
    except StopIteration:
        return []
    groups: list[tuple[int, list[str]]] = []
    depth = 0
    for index in range(start, len(text)):
        line = text[index]
        if END_MARK in line:
            break
        if not line or line in ("略称 正式名称",):
            continue
        bare = bool(groups) and len(groups[-1][1]) == 1 and bool(_ABBR_ONLY.match(groups[-1][1][0]))
        if _starts_entry(line, depth) and not (bare and not line.isascii()):
            groups.append((index + 1, [line]))
            depth = _depth(line)
        elif groups:
            groups[-1][1].append(line)
            depth += _depth(line)
    return [GlossaryEntry(*_split(g[0], g[1:]), line=number) for number, g in groups]


def seed_glossary(seeds: Path) -> list[GlossaryEntry]:
    """The glossary entries of seed 003 in `seeds`."""
    return parse_glossary((seeds / GLOSSARY_FILE).read_text(encoding="utf-8").split("\n"))


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "seeds"
    for entry in seed_glossary(folder):
        print(entry.line, entry.abbr, entry.ja, entry.en, sep="\t")
