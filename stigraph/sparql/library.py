"""The competency query library: `stigraph/sparql/queries/*.rq`, their headers, and safe parameter binding.

Each .rq file is a complete SPARQL query with its own PREFIX lines (so it runs unchanged on any
endpoint) and a header of `# key: value` comment lines::

    # title: Programs administered by an organization
    # answers: Which programs does agency X run?
    # param: agency entity required  The administering organization (id such as jst)
    # example: agency=jst

A parameter is a free variable of the query (`?agency`). Left unbound, the query answers for every
value; bound, the value is turned into an RDF term (an IRI for an entity, a typed literal for a year)
and joined in through a `VALUES` block placed at the start of the query's top-level `WHERE { ... }`.
Values never become query text of their own: an IRI is validated by pyoxigraph, a literal is
escaped by it, so quotes, braces or `#` in a value cannot change the query.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from stigraph.errors import QueryError
from stigraph.sparql.run import QUERY_DIR, execute, python_value

XSD = "http://www.w3.org/2001/XMLSchema#"
STIG = "https://w3id.org/stigraph/ontology#"
ID = "https://w3id.org/stigraph/id/"
HEADER_KEYS = ("title", "answers", "param", "example", "note")
PARAM_KINDS = ("entity", "theme", "class", "relation", "budget-kind", "iri", "year", "integer", "string")
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_ID_PATH = re.compile(r"^[a-z0-9][a-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$")
_CLASS_NAME = re.compile(r"^[A-Z][A-Za-z]*$")


@dataclass(frozen=True)
class Parameter:
    """One parameter of a named query: a variable name, a kind of value, and what it means."""

    name: str
    kind: str
    required: bool
    description: str


@dataclass(frozen=True)
class NamedQuery:
    """A competency query read from `queries/NAME.rq`."""

    name: str
    path: Path
    title: str
    answers: str
    text: str
    parameters: tuple[Parameter, ...] = ()
    examples: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())

    def parameter(self, name: str) -> Parameter:
        for param in self.parameters:
            if param.name == name:
                return param
        known = ", ".join(p.name for p in self.parameters) or "none"
        raise QueryError(f"query {self.name!r} has no parameter {name!r}; its parameters: {known}")

    def example_params(self) -> list[dict[str, list[str]]]:
        """The `# example:` lines as parameter dicts (`agency=jst theme=ai` -> {...})."""
        return [parse_params(line.split()) for line in self.examples]

    def as_dict(self) -> dict:
        return {"name": self.name, "title": self.title, "answers": self.answers, "file": self.path.name,
                "parameters": [{"name": p.name, "kind": p.kind, "required": p.required,
                                "description": p.description} for p in self.parameters],
                "examples": list(self.examples)}


def parse_header(text: str, path: Path) -> dict[str, list[str]]:
    """The `# key: value` lines at the top of a .rq file (before the first non-comment line).

    >>> parse_header("# title: T\\n# param: x string  X\\nSELECT * WHERE {}", Path("q.rq"))["param"]
    ['x string  X']
    """
    header: dict[str, list[str]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        match = re.match(r"^#\s*([a-z]+)\s*:\s*(.*)$", stripped)
        if not match:
            continue  # free comment text
        key, value = match[1], match[2].strip()
        if key not in HEADER_KEYS:
            raise QueryError(f"{path}:{number}: unknown header key {key!r}; use one of {', '.join(HEADER_KEYS)}")
        header.setdefault(key, []).append(value)
    return header


def _parameter(spec: str, path: Path) -> Parameter:
    match = re.match(r"^(\w+)\s+([a-z-]+)(\s+required)?(?:\s+(.*))?$", spec)
    if not match or match[2] not in PARAM_KINDS:
        raise QueryError(f"{path}: bad '# param: {spec}'; write '# param: NAME KIND [required] description' "
                         f"with KIND one of {', '.join(PARAM_KINDS)}")
    return Parameter(match[1], match[2], bool(match[3]), (match[4] or "").strip())


def load_query(path: Path) -> NamedQuery:
    """Read one .rq file with its header; QueryError names the file and the problem."""
    from stigraph.sparql.run import read_query_file

    text = read_query_file(path)
    header = parse_header(text, path)
    for key in ("title", "answers"):
        if key not in header:
            raise QueryError(f"{path}: missing '# {key}:' header line")
    params = tuple(_parameter(spec, path) for spec in header.get("param", []))
    for param in params:
        if not re.search(rf"\?{param.name}\b", text):
            raise QueryError(f"{path}: parameter {param.name!r} is not a variable of the query")
    return NamedQuery(name=path.stem, path=path, title=" ".join(header["title"]), answers=" ".join(header["answers"]),
                      text=text, parameters=params, examples=tuple(header.get("example", [])),
                      notes=tuple(header.get("note", [])))


def list_queries(query_dir: Path = QUERY_DIR) -> list[NamedQuery]:
    """Every named query of the library, sorted by name.

    >>> any(q.name == "programs-of-agency" for q in list_queries())
    True
    """
    return [load_query(p) for p in sorted(query_dir.glob("*.rq"))]


def get_query(name: str, query_dir: Path = QUERY_DIR) -> NamedQuery:
    """The named query `name`; QueryError with close names if there is none.

    >>> get_query("programs-of-agency").parameters[0].name
    'agency'
    """
    path = query_dir / f"{name}.rq"
    if not NAME_PATTERN.match(name) or not path.is_file():
        names = [p.stem for p in sorted(query_dir.glob("*.rq"))]
        near = [n for n in names if name.lower() in n or n in name.lower()][:5]
        hint = f"; did you mean {', '.join(near)}" if near else ""
        raise QueryError(f"no named query {name!r}{hint}; list them with `stigraph query --list`")
    return load_query(path)


def is_query_name(text: str) -> bool:
    """True if `text` looks like a query name (`programs-of-agency`) rather than SPARQL text."""
    return bool(NAME_PATTERN.match(text.strip()))


def parse_params(pairs: Iterable[str]) -> dict[str, list[str]]:
    """`["agency=jst", "theme=ai", "theme=quantum"]` -> {"agency": ["jst"], "theme": ["ai", "quantum"]}.

    >>> parse_params(["agency=jst", "theme=ai", "theme=quantum"])
    {'agency': ['jst'], 'theme': ['ai', 'quantum']}
    """
    params: dict[str, list[str]] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise QueryError(f"bad parameter {pair!r}; write --param NAME=VALUE")
        params.setdefault(key.strip(), []).append(value)
    return params


def term_for(param: Parameter, value: str, graph=None) -> ox.NamedNode | ox.Literal:
    """The RDF term for one parameter value; QueryError if the value does not fit the parameter's kind.

    With `graph` given, an entity parameter also accepts a label or abbreviation (`JST`, `科学技術振興機構`).

    >>> str(term_for(Parameter("agency", "entity", True, ""), "jst"))
    '<https://w3id.org/stigraph/id/jst>'
    >>> str(term_for(Parameter("fy", "year", False, ""), "令和3年度"))
    '"2021"^^<http://www.w3.org/2001/XMLSchema#gYear>'
    """
    value = value.strip()
    bad = f"--param {param.name}={value!r}"
    if not value:
        raise QueryError(f"{bad}: empty value")
    kind = param.kind
    try:
        if kind == "string":
            return ox.Literal(value)
        if kind == "integer":
            return ox.Literal(str(int(value)), datatype=ox.NamedNode(f"{XSD}integer"))
        if kind == "year":
            from stigraph.loaders.era import fiscal_year

            return ox.Literal(str(fiscal_year(value)), datatype=ox.NamedNode(f"{XSD}gYear"))
        if "://" in value:
            return ox.NamedNode(value)
        if kind == "iri":
            raise QueryError(f"{bad}: give an absolute IRI (https://...)")
        if kind == "class":
            if not _CLASS_NAME.match(value):
                raise QueryError(f"{bad}: give a class name such as Agency or Program")
            return ox.NamedNode(f"{STIG}{value}")
        if kind == "relation":
            from stigraph.loaders.registry.rdf import PREDICATE_IRIS

            if value not in PREDICATE_IRIS:
                raise QueryError(f"{bad}: use one of {', '.join(sorted(PREDICATE_IRIS))}")
            return ox.NamedNode(str(PREDICATE_IRIS[value]))
        if kind == "budget-kind":
            from stigraph.ontology.vocabulary import BUDGET_KINDS

            if value not in BUDGET_KINDS:
                raise QueryError(f"{bad}: use one of {', '.join(BUDGET_KINDS)}")
            return ox.NamedNode(f"{STIG}{BUDGET_KINDS[value]}")
        if kind == "theme":
            slug = value.removeprefix("theme/")
            if not NAME_PATTERN.match(slug):
                raise QueryError(f"{bad}: give a theme id such as ai or quantum")
            return ox.NamedNode(f"{ID}theme/{slug}")
        return _entity_term(value, bad, graph)
    except ValueError as exc:
        raise QueryError(f"{bad}: {exc}") from None


def _entity_term(value: str, bad: str, graph) -> ox.NamedNode:
    if _ID_PATH.match(value):
        node = ox.NamedNode(f"{ID}{value}")
        if graph is None or any(True for _ in graph.store.quads_for_pattern(node, None, None)):
            return node
    if graph is None:
        raise QueryError(f"{bad}: give an entity id such as jst (or a full IRI)")
    from stigraph.errors import UnknownEntityError
    from stigraph.sparql.entity import resolve

    try:
        return ox.NamedNode(resolve(graph, value))
    except UnknownEntityError as exc:
        raise UnknownEntityError(f"{bad}: {exc}") from None


def values_block(query: NamedQuery, params: Mapping[str, str | list[str]], graph=None) -> str:
    """`VALUES` lines for the given parameters, built from RDF terms (never from raw text)."""
    lines = []
    for name, raw in params.items():
        param = query.parameter(name)
        values = [raw] if isinstance(raw, str) else list(raw)
        if not values:
            continue
        terms = " ".join(str(term_for(param, v, graph)) for v in values)
        lines.append(f"  VALUES ?{param.name} {{ {terms} }}\n")
    missing = [p.name for p in query.parameters if p.required and not params.get(p.name)]
    if missing:
        example = f" (e.g. {query.examples[0]})" if query.examples else ""
        raise QueryError(f"query {query.name!r} needs --param {missing[0]}=VALUE{example}")
    return "".join(lines)


def strip_header(text: str) -> str:
    """The query without its leading comment lines (the header).

    SPARQLWrapper guesses the query form with a regex after a comment strip that misses every other
    `#` line, so a word such as "load" or "drop" in a header can make it send a SELECT as an update.

    >>> strip_header("# title: T\\n# answers: A?\\nSELECT * WHERE {}")
    'SELECT * WHERE {}'
    """
    lines = text.splitlines(keepends=True)
    start = 0
    while start < len(lines) and (not lines[start].strip() or lines[start].lstrip().startswith("#")):
        start += 1
    return "".join(lines[start:])


def bind(query: NamedQuery, params: Mapping[str, str | list[str]] | None = None, graph=None,
         header: bool = False) -> str:
    """The query text with its parameters bound by a VALUES block; send it to any SPARQL endpoint.

    The `# ...` header is left out unless `header=True` (see `strip_header` for why).

    >>> text = bind(get_query("programs-of-agency"), {"agency": "jst"})
    >>> "VALUES ?agency { <https://w3id.org/stigraph/id/jst> }" in text
    True
    """
    text = query.text if header else strip_header(query.text)
    block = values_block(query, params or {}, graph)
    if not block:
        return text
    offset = where_body_offset(text)
    return text[:offset] + "\n" + block.rstrip("\n") + text[offset:]


def where_body_offset(text: str) -> int:
    """The offset just after the `{` that opens the query's top-level WHERE clause.

    Skips comments, strings and IRIs, and counts braces, so a WHERE inside a sub-query or a `{` in
    a string is never taken. QueryError if the query has no top-level `WHERE {`.

    >>> where_body_offset("SELECT * WHERE { ?s ?p ?o }")
    16
    """
    depth, i, n = 0, 0, len(text)
    saw_where = False
    token = re.compile(r"'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"|"
                       r"<[^<>\"{}|^`\\\x00-\x20]*>|#[^\n]*|[?$]?[A-Za-z_][A-Za-z0-9_]*|\S", re.S)
    while i < n:
        match = token.match(text, i)
        if not match:
            i += 1
            continue
        piece = match.group(0)
        i = match.end()
        if piece == "{":
            if depth == 0 and saw_where:
                return i
            depth += 1
        elif piece == "}":
            depth -= 1
        elif depth == 0 and piece.upper() == "WHERE":
            saw_where = True
        elif not piece.startswith("#"):
            saw_where = False  # WHERE must be followed by its `{` (comments aside)
    raise QueryError("the query has no top-level 'WHERE {' to bind parameters into")


def run_named(graph, name: str, params: Mapping[str, str | list[str]] | None = None):
    """Run the named query on a graph with its parameters bound; returns a pyoxigraph result (see `render`).

    >>> from stigraph.sparql.graph import StiGraph
    >>> result = run_named(StiGraph.open(), "programs-of-agency", {"agency": "jst"})  # doctest: +SKIP
    """
    return execute(graph.store, bind(get_query(name), params, graph))


def select_named(graph, name: str, params: Mapping[str, str | list[str]] | None = None) -> list[dict[str, object]]:
    """Rows of a named SELECT query as dicts of Python values.

    >>> select_named(graph, "funds-and-managers")[0]["fund"]  # doctest: +SKIP
    'https://w3id.org/stigraph/id/university-fund'
    """
    result = run_named(graph, name, params)
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError(f"query {name!r} is not a SELECT query")
    names = [v.value for v in result.variables]
    return [{n: python_value(sol[n]) for n in names} for sol in result]


def format_listing(queries: list[NamedQuery]) -> str:
    """The `stigraph query --list` text: name, parameters and the question each query answers."""
    from stigraph.sparql.run import format_table

    rows = [[q.name, " ".join(f"{p.name}{'' if p.required else '?'}" for p in q.parameters), q.answers]
            for q in queries]
    return format_table(["name", "parameters (? = optional)", "answers"], rows, max_width=90) + \
        f"\n({len(rows)} queries; run one with `stigraph query NAME --param KEY=VALUE`)"
