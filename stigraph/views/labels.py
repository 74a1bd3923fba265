"""Captions a reader recognises: short names on the canvas, full names in tooltips.

A node caption is the entity's name when it is short, else its abbreviation or a short variant
(`altLabel`), else the name cut at a fixed width. Strategy measures have no name of their own (the
graph keeps no text of the action item): their caption is composed from facts the graph holds —
the entities the item names, its responsible ministries, its theme and its section — so that a
reader sees 「K Program · 内閣府・経済産業省」 instead of 「003 §2.1(4)① item 19」.
"""
from __future__ import annotations

import re
import unicodedata

import networkx as nx

CAPTION_WIDTH = 12.0    # in full-width characters: 12 CJK characters at 14 px are ~170 px (Latin counts 0.55)
MIN_ALT = 3             # shorter variants (機構, MS) are too generic to stand for an entity
MEASURE_NAMES_SHOWN = 1
MEASURE_CAPTION_WIDTH = 20.0
_LATIN_ABBREVIATION = re.compile(r"^[A-Za-z][A-Za-z0-9&\-. ]{1,11}$")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]")


def _alts(data: dict) -> list[str]:
    return [a.strip() for a in str(data.get("alt_labels") or "").split(";") if a.strip()]


def width(text: str) -> float:
    """Display width in full-width characters (CJK and full-width forms 1, everything else 0.55).

    >>> width("JST"), width("科学技術")
    (1.65, 4.0)
    """
    return round(sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.55 for c in text), 2)


def _cut(text: str, limit: float) -> str:
    if width(text) <= limit:
        return text
    out = ""
    for char in text:
        if width(out + char) > limit - 1:
            break
        out += char
    return out + "…"


def caption(data: dict, lang: str = "ja") -> str:
    """The short caption of an entity in `lang`: its name if short, else its shortest usable variant.

    >>> caption({"id": "jst", "label_ja": "国立研究開発法人科学技術振興機構", "alt_labels": "JST; 機構"})
    'JST'
    >>> caption({"id": "mext", "label_ja": "文部科学省", "alt_labels": "文科省"})
    '文部科学省'
    >>> caption({"id": "x", "label_ja": "", "label_en": "Program for Co-creating the Future"}, "en")
    'Program for Co-creat…'
    """
    if data.get(f"caption_{lang}"):
        return str(data[f"caption_{lang}"])
    limit = CAPTION_WIDTH
    order = ("label_ja", "label_en") if lang == "ja" else ("label_en", "label_ja")
    name = next((str(data[k]) for k in order if data.get(k)), "") or str(data.get("id", ""))
    if width(name) <= limit:
        return name
    usable = [a for a in _alts(data) if MIN_ALT <= len(a) < len(name) and width(a) <= limit
              and (lang == "ja" or _LATIN_ABBREVIATION.match(a) or not _CJK.search(a))]
    if usable:
        # A Latin abbreviation reads in both languages; among the rest the shortest wins.
        return min(usable, key=lambda a: (not _LATIN_ABBREVIATION.match(a), len(a), a))
    return _cut(name, limit)


def _names(nxg: nx.MultiDiGraph, nodes, lang: str) -> list[str]:
    return [caption(nxg.nodes[n], lang) for n in sorted(nodes, key=lambda n: (-nxg.degree(n), str(n)))]


def measure_parts(nxg: nx.MultiDiGraph, node) -> dict[str, list[str]]:
    """The facts a measure's caption is made of: named entities, responsible ministries, themes (ids)."""
    parts: dict[str, list[str]] = {"mentions": [], "responsibleMinistry": [], "hasTheme": []}
    for _s, target, predicate in nxg.out_edges(node, data="predicate"):
        if predicate in parts and target != node:
            parts[predicate].append(target)
    return {k: sorted(set(v), key=str) for k, v in parts.items()}


def measure_caption(nxg: nx.MultiDiGraph, node, lang: str = "ja") -> tuple[str, list[str]]:
    """A measure's caption and its longer description lines, composed from graph facts only.

    The caption leads with what the item names (programs, funds, bodies), else its theme, then its
    responsible ministries; the section stays in the tooltip.

    >>> g = nx.MultiDiGraph(); g.add_node("m", id="m", label_ja="003 §2.1 item 4", section="2.1", **{"class": "Measure"})
    >>> g.add_node("k", id="k", label_ja="Kプログラム", **{"class": "Program"})
    >>> g.add_node("meti", id="meti", label_ja="経済産業省", **{"class": "Ministry"})
    >>> _ = g.add_edge("m", "k", predicate="mentions"); _ = g.add_edge("m", "meti", predicate="responsibleMinistry")
    >>> measure_caption(g, "m")[0]
    'Kプログラム · 経済産業省'
    """
    parts = measure_parts(nxg, node)
    named = _names(nxg, parts["mentions"], lang)
    ministries = _names(nxg, parts["responsibleMinistry"], lang)
    themes = _names(nxg, parts["hasTheme"], lang)
    lead = named[:MEASURE_NAMES_SHOWN] or themes[:1]
    who = "・".join(ministries[:2]) + (f" +{len(ministries) - 2}" if len(ministries) > 2 else "")
    data = nxg.nodes[node]
    # Without a named entity, the section number tells apart two items of one theme and ministry.
    where = f"§{data['section']}" if data.get("section") and not named else ""
    text = " · ".join(x for x in ("・".join(lead), who, where) if x)
    position = str(data.get("label_ja") or data.get("label_en") or node)
    caption_text = text or position
    lines = [f"strategy measure {position}" + (f" (section {data['section']})" if data.get("section") else "")]
    if named:
        lines.append("names: " + ", ".join(named))
    if ministries:
        lines.append("responsible: " + ", ".join(ministries))
    if themes:
        lines.append("themes: " + ", ".join(themes))
    return caption_text, lines


def add_captions(nxg: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Set `caption_ja`/`caption_en` on every node; measures also get `measure_lines` for their tooltips.

    >>> g = nx.MultiDiGraph(); g.add_node("a", id="a", label_ja="日本医療研究開発機構の長い正式名称です", alt_labels="AMED")
    >>> add_captions(g).nodes["a"]["caption_ja"]
    'AMED'
    """
    for node, data in nxg.nodes(data=True):
        for lang in ("ja", "en"):
            data.pop(f"caption_{lang}", None)
        for lang in ("ja", "en"):
            if data.get("class") == "Measure" and nxg.out_degree(node):
                text, lines = measure_caption(nxg, node, lang)
                data[f"caption_{lang}"] = _cut(text, MEASURE_CAPTION_WIDTH)
                if lang == "ja":
                    data["measure_lines"] = lines
            else:
                data[f"caption_{lang}"] = caption(data, lang)
    return nxg
