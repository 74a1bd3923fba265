"""The curated registry's YAML format, checked strictly into plain records.

A registry is a folder of YAML files. Each file has an optional `document` (the default seed file for
`line:` fields) and a list `entities`. An entry either defines an entity (`id:`) or adds facts to an
entity defined anywhere in the registry (`about:`). See stigraph/data/README.md for the format.
"""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from stigraph.errors import RegistryError
from stigraph.loaders.era import fiscal_year
from stigraph.loaders.money import parse_yen
from stigraph.loaders.registry.budgets import resolve_parents
from stigraph.loaders.registry.records import Budget, Entity, Fact, Registry, Relation, Source, Theme
from stigraph.loaders.registry.yaml_lines import LineDict, read_yaml
from stigraph.ontology.vocabulary import (
    BUDGET_KINDS, FUNDING_CLASSES, ORGANIZATION_CLASSES, POLICY_CLASSES, REGISTRY_CLASSES,
)

ENTITY_CLASSES = set(REGISTRY_CLASSES)
ORGANIZATIONS = set(ORGANIZATION_CLASSES)
POLICIES = set(POLICY_CLASSES)
FUNDING = set(FUNDING_CLASSES)
ANY = ENTITY_CLASSES

# predicate -> (allowed subject classes, allowed object classes)
PREDICATES: dict[str, tuple[set[str], set[str]]] = {
    "administeredBy": ({"Program", "Facility", "Measure", "Initiative"}, ORGANIZATIONS),
    "underJurisdictionOf": (ORGANIZATIONS | FUNDING | {"Facility"}, ORGANIZATIONS),
    "subOrganizationOf": (ORGANIZATIONS, ORGANIZATIONS),
    "fundedBy": ({"Program", "Facility", "Measure", "Unit"}, FUNDING | ORGANIZATIONS | {"Program"}),
    "managedBy": (FUNDING, ORGANIZATIONS),
    "basedOn": (ANY, POLICIES),
    "partOf": (ANY, ANY),
    "succeeds": (ANY, ANY),
    "overseenBy": ({"Program", "Fund", "Facility", "Measure", "Initiative"} | ORGANIZATIONS, ORGANIZATIONS),
    "decidedBy": (POLICIES, ORGANIZATIONS),
    "responsibleMinistry": ({"Measure", "Program", "Initiative", "Policy", "Strategy", "Plan"}, ORGANIZATIONS),
    "collaboratesWith": (ANY, ANY),
    "overlapsWith": (ANY, ANY),
    "participatesIn": (ORGANIZATIONS, {"Program", "Measure", "Initiative"}),
    "operates": (ORGANIZATIONS, {"Facility", "Program"}),
    "mentions": (ANY, ANY),
    "hasTheme": (ANY, {"Theme"}),
}
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
SOURCE_PATTERN = re.compile(r"^(?P<file>[^\s:]+\.txt):(?P<line>\d+)(?:-(?P<end>\d+))?$")
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$|^\d{4}-\d{2}$|^\d{4}$")
CORPORATE_NUMBER = re.compile(r"^\d{13}$")

ENTITY_KEYS = {"id", "class", "ja", "en", "alt", "line", "source", "en_source", "themes",
               "exact_match", "period", "decided", "relations", "budgets", "corporate_number", "note"}
ABOUT_KEYS = {"about", "alt", "line", "source", "themes", "exact_match", "period", "decided",
              "relations", "budgets", "corporate_number", "note"}
RELATION_KEYS = {"p", "to", "line", "source", "curated", "inferred", "note"}
BUDGET_KEYS = {"fy", "fy_end", "kind", "amount", "previous", "previous_kind", "line", "source",
               "new", "included_in", "marker", "item", "part_of", "previous_part_of", "note"}


def _fail(where: str, message: str) -> RegistryError:
    return RegistryError(f"{where}: {message}")


def _check_keys(entry: dict, allowed: set[str], where: str, what: str) -> None:
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise _fail(where, f"unknown key {unknown[0]!r} in {what}; allowed: {', '.join(sorted(allowed))}")


def _text(entry: dict, key: str, where: str, required: bool = True) -> str | None:
    value = entry.get(key)
    if value is None:
        if required:
            raise _fail(where, f"missing {key!r}")
        return None
    if not isinstance(value, (str, int, float)) or isinstance(value, bool) or not str(value).strip():
        raise _fail(where, f"{key!r} must be non-empty text, got {value!r}")
    return str(value).strip()


def _source(entry: dict, document: str | None, where: str, required: bool, allow_curated: bool = False) -> Source | None:
    line, source, curated = entry.get("line"), entry.get("source"), entry.get("curated")
    given = [k for k, v in (("line", line), ("source", source), ("curated", curated)) if v is not None]
    if len(given) > 1:
        raise _fail(where, f"give only one of {' / '.join(given)}")
    if curated is not None:
        if not allow_curated:
            raise _fail(where, "'curated' provenance is allowed on relations only; entities need a seed line")
        if not isinstance(curated, str) or len(curated.strip()) < 8:
            raise _fail(where, "'curated' must cite the public reference the fact rests on")
        return Source(curated=curated.strip())
    if source is not None:
        match = SOURCE_PATTERN.match(str(source).strip())
        if not match:
            raise _fail(where, f"source {source!r} must look like 'FILE.txt:LINE' or 'FILE.txt:LINE-LINE'")
        start = int(match["line"])
        end = int(match["end"]) if match["end"] else None
        return _checked_lines(match["file"], start, end, where)
    if line is not None:
        if document is None:
            raise _fail(where, "'line' needs a file-level 'document:'; or write source: FILE.txt:LINE")
        if isinstance(line, int) and not isinstance(line, bool):
            return _checked_lines(document, line, None, where)
        match = re.match(r"^(\d+)(?:-(\d+))?$", str(line).strip())
        if not match:
            raise _fail(where, f"line {line!r} must be a number or a range like 12-14")
        return _checked_lines(document, int(match[1]), int(match[2]) if match[2] else None, where)
    if required:
        raise _fail(where, "missing source: give 'line' (with a file-level 'document') or 'source: FILE.txt:LINE'")
    return None


def _checked_lines(file: str, start: int, end: int | None, where: str) -> Source:
    if start < 1 or (end is not None and end < start):
        raise _fail(where, f"bad line number {start}{'-' + str(end) if end else ''}")
    return Source(file=file, line=start, line_end=end)


def _year(value: Any, where: str, key: str) -> int:
    try:
        return fiscal_year(value if isinstance(value, int) else str(value))
    except ValueError as exc:
        raise _fail(where, f"bad {key}: {exc}") from None


def _amount(value: Any, where: str, key: str) -> Decimal:
    try:
        return parse_yen(str(value))
    except ValueError as exc:
        raise _fail(where, f"bad {key}: {exc}") from None


def _list(entry: dict, key: str, where: str) -> list:
    value = entry.get(key, [])
    if not isinstance(value, list):
        raise _fail(where, f"{key!r} must be a list")
    return value


def _where(path: Path, node: Any, ident: str | None = None) -> str:
    line = getattr(node, "line", 0)
    return f"{path}:{line}" + (f" ({ident})" if ident else "")


def _parse_budget(raw: Any, path: Path, document: str | None, ident: str) -> Budget:
    where = _where(path, raw, ident)
    if not isinstance(raw, dict):
        raise _fail(where, "a budget must be a mapping with fy, kind, amount and line")
    _check_keys(raw, BUDGET_KEYS, where, "budget")
    kind = _text(raw, "kind", where)
    if kind not in BUDGET_KINDS:
        raise _fail(where, f"unknown budget kind {kind!r}; use one of {', '.join(BUDGET_KINDS)}")
    prev_kind = raw.get("previous_kind", "initial")
    if prev_kind not in BUDGET_KINDS:
        raise _fail(where, f"unknown previous_kind {prev_kind!r}")
    if "fy" not in raw:
        raise _fail(where, "missing 'fy' (fiscal year, e.g. 2021 or 令和3年度)")
    budget = Budget(
        fiscal_year=_year(raw["fy"], where, "fy"), kind=kind,
        amount=_amount(_text(raw, "amount", where), where, "amount"),
        source=_source(raw, document, where, required=True),  # type: ignore[arg-type]
        where=where, previous_kind=prev_kind, amount_text=str(raw["amount"]),
    )
    if raw.get("fy_end") is not None:
        budget.fiscal_year_end = _year(raw["fy_end"], where, "fy_end")
        if budget.fiscal_year_end < budget.fiscal_year:
            raise _fail(where, "fy_end is before fy")
    if raw.get("previous") is not None:
        budget.previous = _amount(raw["previous"], where, "previous")
        budget.previous_text = str(raw["previous"])
    for flag in ("new", "included_in"):
        if flag in raw and not isinstance(raw[flag], bool):
            raise _fail(where, f"{flag!r} must be true or false")
    budget.is_new = bool(raw.get("new", False))
    budget.included_in = bool(raw.get("included_in", False))
    budget.marker = _text(raw, "marker", where, required=False)
    budget.item = _text(raw, "item", where, required=False)
    if budget.item and not ID_PATTERN.match(budget.item):
        raise _fail(where, f"item {budget.item!r} must be a lower-case ASCII slug")
    budget.part_of_text = _texts(raw, "part_of", where)
    budget.previous_part_of_text = _texts(raw, "previous_part_of", where)
    if budget.previous_part_of_text is not None and budget.previous is None:
        raise _fail(where, "previous_part_of needs a previous: figure")
    return budget


def _texts(entry: dict, key: str, where: str) -> tuple[str, ...] | None:
    """One text or a non-empty list of texts (a figure part of several wholes); None when absent."""
    value = entry.get(key)
    if value is None:
        return None
    values = value if isinstance(value, list) else [value]
    if not values:
        raise _fail(where, f"{key!r} must be text or a non-empty list of texts")
    return tuple(_text({key: v}, key, where) for v in values)  # type: ignore[misc]


def _parse_fact(raw: LineDict, path: Path, document: str | None, ident: str, is_definition: bool) -> Fact:
    where = _where(path, raw, ident)
    fact = Fact(entity=ident, file=path, where=where)
    source = _source(raw, document, where, required=is_definition)
    if source:
        fact.sources.append(source)
    fact.alt = [str(a).strip() for a in _list(raw, "alt", where) if str(a).strip()]
    if len(fact.alt) != len(_list(raw, "alt", where)):
        raise _fail(where, "empty alt label")
    for theme in _list(raw, "themes", where):
        if not isinstance(theme, str):
            raise _fail(where, f"themes must be theme ids, got {theme!r}")
        fact.themes.append((theme, None))
    for uri in _list(raw, "exact_match", where):
        if not isinstance(uri, str) or not re.match(r"^https?://\S+$", uri):
            raise _fail(where, f"exact_match must be an http(s) IRI, got {uri!r}")
        fact.exact_match.append(uri)
    if raw.get("period") is not None:
        period = raw["period"]
        pw = _where(path, period, ident)
        if not isinstance(period, dict):
            raise _fail(pw, "period must be a mapping with start/end and line")
        _check_keys(period, {"start", "end", "line", "source"}, pw, "period")
        start = _year(period["start"], pw, "period start") if period.get("start") is not None else None
        end = _year(period["end"], pw, "period end") if period.get("end") is not None else None
        if start is None and end is None:
            raise _fail(pw, "period needs start or end")
        if start and end and end < start:
            raise _fail(pw, "period ends before it starts")
        fact.period = (start, end, _source(period, document, pw, required=True))  # type: ignore[arg-type]
    if raw.get("decided") is not None:
        decided = raw["decided"]
        dw = _where(path, decided, ident)
        if not isinstance(decided, dict):
            raise _fail(dw, "decided must be a mapping with date and line")
        _check_keys(decided, {"date", "line", "source"}, dw, "decided")
        date = _text(decided, "date", dw)
        if not DATE_PATTERN.match(date):  # type: ignore[arg-type]
            raise _fail(dw, f"date {date!r} must be YYYY-MM-DD (or YYYY-MM, YYYY)")
        fact.decided = (date, _source(decided, document, dw, required=True))  # type: ignore[arg-type]
    for rel in _list(raw, "relations", where):
        rw = _where(path, rel, ident)
        if not isinstance(rel, dict):
            raise _fail(rw, "a relation must be a mapping {p: PREDICATE, to: ID, line: N}")
        _check_keys(rel, RELATION_KEYS, rw, "relation")
        predicate = _text(rel, "p", rw)
        if predicate not in PREDICATES:
            raise _fail(rw, f"unknown predicate {predicate!r}; use one of {', '.join(sorted(PREDICATES))}")
        source = _source(rel, document, rw, True, True)
        if "inferred" in rel:
            if rel["inferred"] is not True:
                raise _fail(rw, "'inferred' must be true (or left out)")
            if source.curated:  # type: ignore[union-attr]
                raise _fail(rw, "'inferred' needs the seed line the relation is read from, not 'curated'")
            source = Source(source.file, source.line, source.line_end, inferred=True)  # type: ignore[union-attr]
        fact.relations.append(Relation(predicate, _text(rel, "to", rw), source, rw))  # type: ignore[arg-type]
    fact.budgets = [_parse_budget(b, path, document, ident) for b in _list(raw, "budgets", where)]
    if raw.get("corporate_number") is not None:
        fact.corporate_number = _corporate_number(raw["corporate_number"], path, document, ident)
    return fact


def corporate_number_is_valid(number: str) -> bool:
    """True if `number` is a 13-digit 法人番号 whose first digit is the check digit of the other twelve.

    The National Tax Agency's rule: 9 - (sum of the 12 digits, weighted 1, 2, 1, 2 ... from the right) mod 9.

    >>> corporate_number_is_valid("4030005012570"), corporate_number_is_valid("4030005012571")
    (True, False)
    """
    if not CORPORATE_NUMBER.match(number):
        return False
    total = sum(int(d) * (2 if i % 2 else 1) for i, d in enumerate(reversed(number[1:])))
    return 9 - total % 9 == int(number[0])


def _corporate_number(raw: Any, path: Path, document: str | None, ident: str) -> tuple[str, Source]:
    where = _where(path, raw, ident)
    if not isinstance(raw, dict):
        raise _fail(where, "corporate_number must be a mapping {value: \"13 digits\", curated: \"reference\"}")
    _check_keys(raw, {"value", "line", "source", "curated"}, where, "corporate_number")
    value = _text(raw, "value", where)
    if not corporate_number_is_valid(value):  # type: ignore[arg-type]
        raise _fail(where, f"corporate_number {value!r} is not a valid 13-digit 法人番号 (check digit)")
    return value, _source(raw, document, where, required=True, allow_curated=True)  # type: ignore[return-value]


def _parse_file(path: Path, registry: Registry) -> None:
    data = read_yaml(path)
    if data is None:
        raise RegistryError(f"{path}:1: empty registry file; add 'entities:' or remove the file")
    if not isinstance(data, dict):
        raise RegistryError(f"{path}:1: expected a mapping with 'entities:' at the top level")
    _check_keys(data, {"document", "entities", "themes", "note"}, f"{path}:{data.line}", "file")
    document = _text(data, "document", f"{path}:1", required=False)
    if document and not document.endswith(".txt"):
        raise RegistryError(f"{path}:1: document {document!r} must be a seed file name such as 000_....txt")
    for raw in data.get("themes", []) or []:
        where = _where(path, raw)
        if not isinstance(raw, dict):
            raise _fail(where, "a theme must be a mapping {id, ja, en, keywords}")
        _check_keys(raw, {"id", "ja", "en", "keywords"}, where, "theme")
        theme = Theme(_text(raw, "id", where), _text(raw, "ja", where), _text(raw, "en", where),  # type: ignore[arg-type]
                      [str(k) for k in _list(raw, "keywords", where)])
        if not ID_PATTERN.match(theme.id) or theme.id in registry.themes:
            raise _fail(where, f"theme id {theme.id!r} is not a new lower-case slug")
        registry.themes[theme.id] = theme
    entries = data.get("entities", []) or []
    if not isinstance(entries, list):
        raise RegistryError(f"{path}:{data.line}: 'entities' must be a list")
    for raw in entries:
        where = _where(path, raw)
        if not isinstance(raw, dict):
            raise _fail(where, f"each entity must be a mapping, got {raw!r}")
        if ("id" in raw) == ("about" in raw):
            raise _fail(where, "an entry needs exactly one of 'id' (define) or 'about' (add facts)")
        if "id" in raw:
            ident = _text(raw, "id", where)
            where = _where(path, raw, ident)
            _check_keys(raw, ENTITY_KEYS, where, "entity")
            if not ID_PATTERN.match(ident):  # type: ignore[arg-type]
                raise _fail(where, f"id {ident!r} must be a lower-case ASCII slug (a-z, 0-9, -)")
            if ident in registry.entities:
                raise _fail(where, f"duplicate id {ident!r}, first defined at {registry.entities[ident].where}")
            cls = _text(raw, "class", where)
            if cls not in ENTITY_CLASSES:
                raise _fail(where, f"unknown class {cls!r}; use one of {', '.join(sorted(ENTITY_CLASSES))}")
            entity = Entity(ident, cls, _text(raw, "ja", where), _text(raw, "en", where), path, where)  # type: ignore[arg-type]
            if raw.get("en_source") is not None:
                entity.en_source = _source({"source": raw["en_source"]}, document, where, True)
            registry.entities[ident] = entity  # type: ignore[index]
            registry.facts.append(_parse_fact(raw, path, document, ident, True))  # type: ignore[arg-type]
        else:
            ident = _text(raw, "about", where)
            where = _where(path, raw, ident)
            _check_keys(raw, ABOUT_KEYS, where, "about-entry")
            registry.facts.append(_parse_fact(raw, path, document, ident, False))  # type: ignore[arg-type]


def _check_references(registry: Registry) -> None:
    classes = {k: e.cls for k, e in registry.entities.items()}
    seen_budgets: dict[tuple, Budget] = {}
    for fact in registry.facts:
        if fact.entity not in classes:
            raise _fail(fact.where, f"'about: {fact.entity}' names no entity defined in the registry")
        subject_cls = classes[fact.entity]
        for theme, _ in fact.themes:
            if theme not in registry.themes:
                raise _fail(fact.where, f"unknown theme {theme!r}; known: {', '.join(sorted(registry.themes))}")
        for rel in fact.relations:
            if rel.predicate == "hasTheme":
                raise _fail(rel.where, "use 'themes: [...]' instead of a hasTheme relation")
            if rel.target not in classes:
                raise _fail(rel.where, f"{rel.predicate} -> {rel.target!r}: no entity with that id")
            if rel.target == fact.entity:
                raise _fail(rel.where, f"{rel.predicate} points at the entity itself")
            subjects, objects = PREDICATES[rel.predicate]
            if subject_cls not in subjects:
                raise _fail(rel.where, f"{rel.predicate} cannot start at a {subject_cls}")
            if classes[rel.target] not in objects:
                raise _fail(rel.where, f"{rel.predicate} cannot point at {rel.target!r}, a {classes[rel.target]}")
        for budget in fact.budgets:
            key = (fact.entity, budget.fiscal_year, budget.kind, budget.item)
            other = seen_budgets.get(key)
            if other and other.amount != budget.amount:
                raise _fail(budget.where, f"conflicting {budget.kind} figure for FY{budget.fiscal_year}: "
                                          f"{budget.amount} here, {other.amount} at {other.where}; add 'item:' to tell them apart")
            seen_budgets[key] = budget


def registry_files(paths: list[Path]) -> list[Path]:
    """The YAML files of registry folders or files, in a stable order (files that do not exist are skipped)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml")))
        elif path.exists():
            files.append(path)
    return files


def load_registry(paths: list[Path]) -> Registry:
    """Read and check registry YAML files (or folders of them); raise RegistryError on the first problem.

    >>> reg = load_registry([default_registry_dir()])
    >>> reg.entities["jst"].cls
    'Agency'
    """
    for path in paths:
        if not path.exists():
            raise RegistryError(f"{path}: no such registry file or folder")
    files = registry_files(paths)
    if not files:
        raise RegistryError(f"{', '.join(map(str, paths))}: no .yaml registry files found")
    registry = Registry(entities={}, facts=[], themes={}, files=files)
    for file in files:
        _parse_file(file, registry)
    _check_references(registry)
    resolve_parents(registry)
    return registry


def default_registry_dir() -> Path:
    """The bundled registry folder inside the installed package."""
    return Path(__file__).resolve().parents[2] / "data" / "registry"
