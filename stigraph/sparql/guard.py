"""Checks a SPARQL query must pass before any engine sees it: no SERVICE, bounded size and nesting.

Oxigraph follows `SERVICE <url>` to any address the machine can reach (server-side request
forgery from an endpoint), and its recursive parser and evaluator overflow the stack on deeply
nested or very long queries (a segfault in-process, an abort of `oxigraph serve`). pyoxigraph gives
no syntax tree before running a query, so the query is read here with a tokenizer that follows the
SPARQL 1.1 grammar's terminals: strings (short and long, with escapes), IRIs (`<...>`, which may
hold `\\u` escapes), prefixed names (whose local part may hold `\\'`, `\\#` and %XX), variables and
comments. A keyword is found only where the grammar can have one, so `ex:service`, `?service`,
`"SERVICE"` and `<http://x/SERVICE>` are not calls, and `service`, `SeRvIcE`, a comment between
`SERVICE` and its target or `SERVICE SILENT` are.

The text is also read a second time with `\\uXXXX` escapes decoded first (SPARQL 1.1 §19.2 allows
an engine to do that before parsing; Oxigraph does not): a SERVICE hidden by escapes is refused
whichever reading an engine takes.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urljoin

from stigraph import limits
from stigraph.errors import QueryError

# One message whatever the target: the caller learns nothing about what the server can reach.
SERVICE_REFUSED = ("SERVICE is refused: the query would make this machine send requests to another "
                   "server (allow trusted endpoints with allow_service=[URL prefix], on the command line "
                   "--allow-service URL-PREFIX)")

_BASE = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
         "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF")
_CHARS_U = _BASE + "_"
_CHARS = _CHARS_U + r"\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PREFIX = f"[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?"
_LOCAL = f"(?:[{_CHARS_U}:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?"
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"

_TOKEN = re.compile(rf"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<iri><(?:[^<>"{{}}|^`\\\x00-\x20]|{_UCHAR})*>)
  | (?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''|\"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\"
               |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<var>[?$][{_CHARS_U}0-9][{_CHARS_U}0-9\u00B7\u0300-\u036F\u203F-\u2040]*)
  | (?P<bnode>_:[{_CHARS_U}0-9](?:[{_CHARS}.]*[{_CHARS}])?)
  | (?P<pname>(?:{_PREFIX})?:(?:{_LOCAL})?)
  | (?P<langtag>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)
  | (?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<punct>\^\^|&&|\|\||!=|<=|>=|.)
""", re.VERBOSE | re.DOTALL)
_TERMS = {"iri", "string", "var", "bnode", "pname", "langtag", "number"}
_OPEN, _CLOSE = "{([", "})]"


@dataclass
class Token:
    """One lexical token: its kind (a group name of the pattern above) and text."""

    kind: str
    text: str


@dataclass
class QueryShape:
    """What the guard read from a query: its deepest nesting, its operator count, its SERVICE calls.

    A SERVICE target is the absolute IRI it names, or None when it is a variable or cannot be resolved.
    """

    depth: int = 0
    operators: int = 0
    services: list[str | None] = field(default_factory=list)


def tokens(text: str) -> Iterator[Token]:
    """The tokens of a SPARQL text, whitespace and comments left out.

    >>> [t.text for t in tokens("SELECT ?s # SERVICE\\n WHERE { ?s ex:SERVICE 'SERVICE' }")]
    ['SELECT', '?s', 'WHERE', '{', '?s', 'ex:SERVICE', "'SERVICE'", '}']
    """
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        assert match is not None  # the last alternative matches any character
        position = match.end()
        kind = match.lastgroup or "punct"
        if kind not in ("space", "comment"):
            yield Token(kind, match.group())


def decode_escapes(text: str) -> str:
    r"""The text with `\uXXXX` / `\UXXXXXXXX` escapes decoded (SPARQL 1.1 §19.2).

    >>> decode_escapes(r"\u0053ERVICE")
    'SERVICE'
    """
    def char(match: re.Match) -> str:
        try:
            return chr(int(match.group()[2:], 16))
        except (ValueError, OverflowError):
            return match.group()
    return re.sub(_UCHAR, char, text)


def _iri_text(token: Token) -> str:
    return decode_escapes(token.text[1:-1])


def _local_text(local: str) -> str:
    return re.sub(r"\\(.)", r"\1", local)


def shape(text: str, prefixes: dict[str, str] | None = None) -> QueryShape:
    """Nesting depth, operator count and SERVICE targets of one reading of the query text.

    `prefixes` are those the engine predeclares (stigraph's `stig:`, `id:` ...); PREFIX and BASE
    declarations in the text are followed, so `SERVICE ex:sparql` resolves to its IRI.

    >>> shape("SELECT * WHERE { SERVICE SILENT <http://example.org/sparql> { ?s ?p ?o } }").services
    ['http://example.org/sparql']
    >>> shape("SELECT * WHERE { ?s ex:service ?service }").services
    []
    """
    known: dict[str, str | None] = dict(prefixes or {})
    base: str | None = None
    result = QueryShape()
    depth = 0
    values_depth: int | None = None  # depth of the `{` that opened a VALUES data block
    previous: list[Token] = []  # the last significant tokens, to recognise `VALUES ?x {`
    stream = list(tokens(text))
    for index, token in enumerate(stream):
        counted = values_depth is None  # inline data is flat: it does not count as operators
        if token.kind == "punct" and token.text in _OPEN:
            depth += 1
            result.depth = max(result.depth, depth)
            if token.text == "{" and values_depth is None and _opens_values_data(previous):
                values_depth = depth
        elif token.kind == "punct" and token.text in _CLOSE:
            if token.text == "}" and depth == values_depth:
                values_depth, counted = None, True
            depth = max(0, depth - 1)
        if counted and token.kind not in _TERMS:
            result.operators += 1
        upper = token.text.upper() if token.kind == "word" else ""
        if upper == "SERVICE":
            result.services.append(_service_target(stream[index + 1:index + 3], known, base))
        elif upper == "PREFIX" and index + 2 < len(stream):
            name, iri = stream[index + 1], stream[index + 2]
            if name.kind == "pname" and name.text.endswith(":") and iri.kind == "iri":
                declared = _resolve(_iri_text(iri), base)
                # Declared twice with different IRIs: which one an engine uses is not checked here.
                known[name.text[:-1]] = declared if known.get(name.text[:-1], declared) == declared else None
        elif upper == "BASE" and index + 1 < len(stream) and stream[index + 1].kind == "iri":
            base = _resolve(_iri_text(stream[index + 1]), base)
        previous = (previous + [token])[-64:]
    return result


def _opens_values_data(previous: list[Token]) -> bool:
    """True when a `{` follows `VALUES ?x` or `VALUES (?a ?b)`: the data block of inline data."""
    index = len(previous) - 1
    if index < 0:
        return False
    if previous[index].kind == "var":
        return index >= 1 and previous[index - 1].text.upper() == "VALUES"
    if previous[index].text == ")":
        index -= 1
        while index >= 0 and previous[index].kind == "var":
            index -= 1
        return index >= 1 and previous[index].text == "(" and previous[index - 1].text.upper() == "VALUES"
    return False


def _service_target(following: list[Token], prefixes: dict[str, str | None], base: str | None) -> str | None:
    rest = iter(following)
    target = next(rest, None)
    if target is not None and target.kind == "word" and target.text.upper() == "SILENT":
        target = next(rest, None)
    if target is None:
        return None
    if target.kind == "iri":
        return _resolve(_iri_text(target), base)
    if target.kind == "pname":
        prefix, _, local = target.text.partition(":")
        namespace = prefixes.get(prefix)
        if namespace is not None:
            return _resolve(namespace + _local_text(local), base)
    return None  # a variable, or something that cannot be checked before running


def _resolve(iri: str, base: str | None) -> str | None:
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", iri):
        return iri
    return urljoin(base, iri) if base and re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", base) else None


def service_allowed(target: str | None, allow: Iterable[str]) -> bool:
    """True when `target` starts with one of the `allow` prefixes at a boundary of the URL.

    A prefix that does not end in "/" must be followed by "/", "?", "#" or the end, so that
    `http://example.org` does not allow `http://example.org.evil.net/` or `http://example.org@evil.net/`.

    >>> service_allowed("https://query.wikidata.org/sparql", ["https://query.wikidata.org/"])
    True
    >>> service_allowed("http://example.org.evil.net/", ["http://example.org"])
    False
    """
    if not target:
        return False
    for prefix in allow:
        if prefix and target.startswith(prefix):
            rest = target[len(prefix):]
            if prefix.endswith(("/", "?", "#")) or not rest or rest[0] in "/?#":
                return True
    return False


def check_query(text: str, allow_service: Iterable[str] = (), prefixes: dict[str, str] | None = None) -> QueryShape:
    """Refuse a query that would call another service or is too big or deep for the engine.

    QueryError names what was wrong and the limit (see `stigraph.limits`); SERVICE is refused with
    the same message whatever its target, unless the target starts with an `allow_service` prefix.

    >>> check_query("SELECT * WHERE { ?s ?p ?o }").depth
    1
    >>> check_query("SELECT * WHERE { service <http://127.0.0.1:8080/> { ?s ?p ?o } }")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    stigraph.errors.QueryError: SERVICE is refused: ...
    """
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limits.get("max_query_bytes"):
        raise QueryError(f"query refused: it is {size:,} bytes; {limits.describe('max_query_bytes')}")
    allow = [a for a in allow_service if a]
    readings = [shape(text, prefixes)]
    decoded = decode_escapes(text)
    if decoded != text:
        readings.append(shape(decoded, prefixes))
    for reading in readings:
        if any(not service_allowed(target, allow) for target in reading.services):
            raise QueryError(SERVICE_REFUSED)
    deepest = max(readings, key=lambda r: r.depth)
    if deepest.depth > limits.get("max_query_depth"):
        raise QueryError(f"query refused: {{ ( [ nested {deepest.depth:,} deep; {limits.describe('max_query_depth')}")
    busiest = max(readings, key=lambda r: r.operators)
    if busiest.operators > limits.get("max_query_operators"):
        raise QueryError(f"query refused: {busiest.operators:,} operators and keywords; "
                         f"{limits.describe('max_query_operators')}")
    return readings[0]
