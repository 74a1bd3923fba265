"""Tie budget entries to registry entities with the registry's own label lookup (no second resolver).

An entry links to an entity only when its whole name is a registry label, or a label followed by a
bracketed label of the same entity (「科学研究費助成事業(科研費)」 -> kakenhi). Entities merely named
inside a longer name (「健康・医療分野におけるムーンショット型研究開発等事業」) are listed in `related`;
such an entry stays a candidate new entity.
"""
from __future__ import annotations

import re

from stigraph.extract.mentions import Gazetteer, entities_in
from stigraph.loaders.text import compact

from .records import BudgetEntry
from .sheet import Sheet

RELATED_CLASSES = {"Program", "Fund", "Agency", "Unit"}
_LABEL_AND_ALIAS = re.compile(r"^(?P<base>.+?)\((?P<alias>[^()]+)\)$")
_CORPORATE_PREFIX = re.compile(r"^(?:独立行政法人|国立研究開発法人|特殊法人|大学共同利用機関法人)")
# A line that is only a ministry's name, also abbreviated (「経産省」): it heads the items below it.
_MINISTRY_LINE = re.compile(r"^[^\s\d、。,()「」【】]{1,8}(?:省|庁)$")


def entity_for(name: str, labels: dict[str, str]) -> str | None:
    """The registry id a budget line's name stands for, or None.

    >>> labels = {"科学研究費助成事業": "kakenhi", "科研費": "kakenhi", "戦略的創造研究推進事業": "jst-strategic"}
    >>> entity_for("科学研究費助成事業(科研費)", labels), entity_for("戦略的創造研究推進事業(社会技術研究開発)", labels)
    ('kakenhi', None)
    """
    key = compact(name)
    if key in labels:
        return labels[key]
    if (m := _LABEL_AND_ALIAS.match(key)):
        base, alias = labels.get(m["base"]), labels.get(m["alias"])
        if base is not None and base == alias:
            return base
    return None


def organization_for(name: str, labels: dict[str, str]) -> str | None:
    """The registry id of a ministry or agency name, also without a corporate-form prefix.

    >>> organization_for("独立行政法人海洋研究開発機構", {"海洋研究開発機構": "jamstec"})
    'jamstec'
    """
    key = compact(name)
    return labels.get(key) or labels.get(_CORPORATE_PREFIX.sub("", key)) or labels.get(re.sub(r"\(.*\)$", "", key))


def ministry_headers(sheet: Sheet, labels: dict[str, str], gazetteer: Gazetteer | None) -> dict[int, str]:
    """Lines that are nothing but a ministry's name (「文部科学省」, 「経産省」): 0-based line -> name.

    An unknown abbreviation still ends the previous ministry's run (its id stays None), so items
    under it are never given the ministry above it.
    """
    from .csti_lists import MINISTRIES

    classes = gazetteer.classes if gazetteer else {}
    found = {}
    for i, line in enumerate(sheet.lines):
        key = compact(line)
        if key in MINISTRIES or _MINISTRY_LINE.match(key) or (key in labels and classes.get(labels[key]) == "Ministry"):
            found[i] = line.strip()
    return found


def link(entries: list[BudgetEntry], sheet: Sheet, labels: dict[str, str], gazetteer: Gazetteer | None) -> None:
    """Fill `entity`, `ministry_id`, `agency_id` and `related` of each entry in place."""
    headers = ministry_headers(sheet, labels, gazetteer)
    for entry in entries:
        if entry.name:
            entry.entity = entity_for(entry.name, labels)
            if entry.entity is None and gazetteer is not None:
                entry.related = entities_in(entry.name, gazetteer, RELATED_CLASSES)
        if entry.ministry is None:
            start, _ = sheet.page_bounds(entry.line - 1)
            above = [i for i in headers if start <= i < entry.line - 1]
            if above:
                entry.ministry = headers[max(above)]
        if entry.ministry:
            entry.ministry_id = organization_for(entry.ministry, labels)
        if entry.agency:
            entry.agency_id = organization_for(entry.agency, labels)
