"""The shapes checked in Python over the tables of `stigraph.validation.facts` (the default engine).

The shapes graph is read once into plain constraint records; a check then walks each node shape's focus
nodes and tests their values, with the same (focus, path, severity, message) results as `ShapeQueries`
and pySHACL (tests/test_shacl_fast.py compares them). Classes and their subclasses come from the data.
"""
from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox

from stigraph.validation.facts import Facts, StoreFacts, term_key
from stigraph.validation.shacl_fast import (
    WELL_FORMED, Finding, ShapeQueries, _list, _literal_text, _one, _severity, _short, _values,
)


@dataclass
class _Property:
    """One property shape, its defaults worded once."""

    path: str
    severity: str
    message: str
    min_count: int | None = None
    max_count: int | None = None
    datatype: str | None = None
    well_formed: re.Pattern | None = None
    cls: str | None = None
    regex: re.Pattern | None = None
    pattern: str = ""
    languages: list[str] | None = None
    low: Decimal | None = None
    low_text: str = ""
    unique_lang: bool = False

    def say(self, focus: str, default: str) -> Finding:
        return Finding(focus, self.path, self.severity, self.message or default.replace("{focus}", focus))


@dataclass
class _NodeShape:
    targets: list[str]
    properties: list[_Property]
    alternatives: list[tuple[list[str], str, str]]   # (paths, severity, message) of each sh:or


def _lang_ok(lang: str, allowed: list[str]) -> bool:
    lang = lang.lower()
    return any(lang == a.lower() or lang.startswith(a.lower() + "-") for a in allowed)


class ShapeChecker(ShapeQueries):
    """Check the shapes over `Facts` (a stream of quads) or a store (`findings`)."""

    def __init__(self, shapes_path: Path) -> None:
        super().__init__(shapes_path)
        self.compiled = [self._compile(shape) for shape in self.node_shapes]
        self.paths = sorted({p.path for s in self.compiled for p in s.properties}
                            | {path for s in self.compiled for paths, _, _ in s.alternatives for path in paths})
        self.class_paths = sorted({p.path for s in self.compiled for p in s.properties if p.cls})

    def _compile(self, shape) -> _NodeShape:
        shapes = self.shapes
        properties = []
        for prop in _values(shapes, shape, "property"):
            path = str(_one(shapes, prop, "path"))
            item = _Property(path, _severity(shapes, prop), str(_one(shapes, prop, "message") or ""))
            min_count, max_count = _one(shapes, prop, "minCount"), _one(shapes, prop, "maxCount")
            item.min_count = int(min_count) if min_count is not None else None
            item.max_count = int(max_count) if max_count is not None else None
            datatype, cls = _one(shapes, prop, "datatype"), _one(shapes, prop, "class")
            if datatype is not None:
                item.datatype = str(datatype)
                if item.datatype in WELL_FORMED:
                    item.well_formed = re.compile(WELL_FORMED[item.datatype].replace("\\\\", "\\"))
            item.cls = str(cls) if cls is not None else None
            pattern, flags = _one(shapes, prop, "pattern"), _one(shapes, prop, "flags")
            if pattern is not None:
                item.pattern = str(pattern)
                item.regex = re.compile(item.pattern, re.I if flags is not None and "i" in str(flags) else 0)
            languages = _one(shapes, prop, "languageIn")
            item.languages = [str(x) for x in _list(shapes, languages)] if languages is not None else None
            minimum = _one(shapes, prop, "minInclusive")
            if minimum is not None:
                item.low, item.low_text = Decimal(str(minimum)), _literal_text(minimum)
            unique = _one(shapes, prop, "uniqueLang")
            item.unique_lang = unique is not None and unique.toPython() is True
            properties.append(item)
        alternatives = [([str(_one(shapes, alt, "path")) for alt in _list(shapes, alts)], _severity(shapes, shape),
                         str(_one(shapes, shape, "message") or "Node does not conform to any shape in sh:or"))
                        for alts in _values(shapes, shape, "or")]
        return _NodeShape([str(c) for c in _values(shapes, shape, "targetClass")], properties, alternatives)

    def facts(self) -> Facts:
        """Empty tables for the paths these shapes read."""
        return Facts(self.paths, self.class_paths)

    def findings(self, db: ox.Store) -> list[Finding]:
        """Every result over a whole store."""
        uses: dict[str, int] = {}
        for shape in self.compiled:
            for path in [p.path for p in shape.properties] + [q for paths, _, _ in shape.alternatives for q in paths]:
                uses[path] = uses.get(path, 0) + 1
        return self.check(StoreFacts(db, uses))

    def check(self, facts: Facts | StoreFacts, only: Collection[str] | None = None) -> list[Finding]:
        """The results whose focus is in `only` (every node when None)."""
        types, parents = facts.types, facts.parents

        def closure(cls: str) -> set[str]:
            seen, todo = {cls}, [cls]
            while todo:
                for sub in parents.get(todo.pop(), ()):
                    if sub not in seen:
                        seen.add(sub)
                        todo.append(sub)
            return seen

        candidates = types.keys() if only is None else [key for key in only if key in types]
        out: list[Finding] = []
        for shape in self.compiled:
            allowed = set().union(*(closure(c) for c in shape.targets))
            foci = [node for node in candidates if not types[node].isdisjoint(allowed)]
            for prop in shape.properties:
                _check_property(prop, foci, facts.values(prop.path), types,
                                closure(prop.cls) if prop.cls else None, out)
                facts.release(prop.path)
            for paths, severity, message in shape.alternatives:
                tables = [facts.values(p) for p in paths]
                out.extend(Finding(focus, "", severity, message) for focus in foci
                           if not any(focus in table for table in tables))
                for path in paths:
                    facts.release(path)
        return out


def _check_property(prop: _Property, foci: list[str], table: dict[str, set], types: dict[str, set[str]],  # noqa: C901
                    class_ok: set[str] | None, out: list[Finding]) -> None:
    """One property shape on each focus node: one pass over its values."""
    short = _short(prop.path)
    literal_type = ox.Literal
    for focus in foci:
        values = table.get(focus, ())
        if prop.min_count is not None and len(values) < prop.min_count:
            out.append(prop.say(focus, f"Less than {prop.min_count} values on <{{focus}}>->{short}"))
        if prop.max_count is not None and len(values) > prop.max_count:
            out.append(prop.say(focus, f"More than {prop.max_count} values on <{{focus}}>->{short}"))
        for value in values:
            literal = type(value) is literal_type
            if prop.datatype is not None and (not literal or value.datatype.value != prop.datatype
                                              or (prop.well_formed is not None and not prop.well_formed.search(value.value))):
                out.append(prop.say(focus, f"Value is not Literal with datatype {_short(prop.datatype)}"))
            if class_ok is not None and (literal or types.get(term_key(value), set()).isdisjoint(class_ok)):
                out.append(prop.say(focus, f"Value does not have class {_short(prop.cls)}"))
            if prop.regex is not None and (type(value) is ox.BlankNode or not prop.regex.search(value.value)):
                out.append(prop.say(focus, f"Value does not match pattern {prop.pattern}"))
            if prop.languages is not None and (not literal or not _lang_ok(value.language or "", prop.languages)):
                out.append(prop.say(focus, "Language not in the allowed list"))
            if prop.low is not None:
                try:
                    ok = literal and Decimal(value.value) >= prop.low
                except InvalidOperation:
                    ok = False
                if not ok:
                    out.append(prop.say(focus, f"Value is not >= {prop.low_text}"))
        if prop.unique_lang and len(values) > 1:
            seen: dict[str, int] = {}
            for value in values:
                if type(value) is literal_type and value.language:
                    seen[value.language.lower()] = seen.get(value.language.lower(), 0) + 1
            out.extend(prop.say(focus, "More than one String shares the same Language")
                       for count in seen.values() if count > 1)
