"""The one writer of quads with provenance: locators, documents, sourced statements and budget entries.

Every loader (registry, document extractors, CSV import, datasets, analysis findings) states its facts
through a `QuadWriter`, so a fact's source is modelled the same way whoever found it:

- a **locator** (`stig:SourceLocator`) names where a fact stands: a document and line (seed line or
  extracted), a dataset file and row, or a citation (curated from a public reference, inferred by an
  analysis); its description goes to the input's own sources graph;
- a **relation** is the plain triple plus an `rdf:Statement` skeleton (shared graph `graph/sources`, one
  copy whoever states it) whose `stig:source` (in the input's graph) points at the locator;
- an **entity fact** (label, class, attribute) carries `stig:source` on its subject;
- a **budget entry** is a `stig:BudgetEntry` node with amount, fiscal year, kind and locator.

Output is N-Quads text, one line per quad, written to any callable sink (a file's `write`, a list's
`append`): nothing holds the whole graph, and every term is escaped here, so no label, name or path can
break a line or inject a quad.

>>> from stigraph.ontology.vocabulary import RELATIONS, entity_iri, graph_iri
>>> lines = []
>>> w = QuadWriter(lines.append, graph_iri("doc/x"))
>>> loc = w.line_locator("x.txt", 3, kind="Extracted")
>>> w.relation(entity_iri("a"), RELATIONS["partOf"], entity_iri("b"), loc)
>>> len(lines)
12
"""
from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache

from stigraph.ontology.vocabulary import (
    BUDGET_KINDS, ID, PROVENANCE_KINDS, SOURCES_GRAPH, STIG, digest, document_iri, statement_iri,
)

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_DCTERMS = "http://purl.org/dc/terms/"
# Characters an IRIREF may not hold (N-Triples grammar): controls, space and <>"{}|^`\
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"}
_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f]')


def iri(value: str) -> str:
    """An IRI as an N-Triples term; ValueError if it holds a character an IRI may not contain.

    >>> iri("https://w3id.org/stigraph/id/jst")
    '<https://w3id.org/stigraph/id/jst>'
    """
    if _BAD_IRI.search(value) or ":" not in value:
        raise ValueError(f"not a valid absolute IRI: {value!r}")
    return f"<{value}>"


def _escape_char(match: re.Match) -> str:
    char = match.group(0)
    return _ESCAPES.get(char) or f"\\u{ord(char):04X}"


def literal(value: str | int | bool | Decimal, lang: str | None = None, datatype: str | None = None) -> str:
    """A literal as an N-Triples term; Python ints, Decimals and bools get their XSD datatype.

    >>> literal('a "b"\\n', lang="ja")
    '"a \\\\"b\\\\"\\\\n"@ja'
    >>> literal(Decimal("1.5")), literal(True)
    ('"1.5"^^<http://www.w3.org/2001/XMLSchema#decimal>', '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>')
    """
    if isinstance(value, bool):
        text, datatype = ("true" if value else "false"), datatype or f"{_XSD}boolean"
    elif isinstance(value, int):
        text, datatype = str(value), datatype or f"{_XSD}integer"
    elif isinstance(value, Decimal):
        text, datatype = format(value, "f"), datatype or f"{_XSD}decimal"
    else:
        text = str(value)
    body = _NEEDS_ESCAPE.sub(_escape_char, text)
    if lang:
        return f'"{body}"@{lang}'
    if datatype and datatype != f"{_XSD}string":
        return f'"{body}"^^<{datatype}>'
    return f'"{body}"'


def gyear(year: int) -> str:
    """An xsd:gYear literal term."""
    return literal(f"{int(year):04d}", datatype=f"{_XSD}gYear")


@lru_cache(maxsize=8192)
def iri_segment(text: str) -> str:
    """Text made safe as one segment of an IRI path: unreserved ASCII kept, everything else %-encoded.

    Distinct texts stay distinct (non-ASCII names do not collapse to one slug).

    >>> iri_segment("日本語 data/1")
    '%E6%97%A5%E6%9C%AC%E8%AA%9E%20data%2F1'
    """
    from urllib.parse import quote

    return quote(text, safe="-._~")


TYPE = iri(f"{_RDF}type")
PREF_LABEL = iri(f"{_SKOS}prefLabel")
ALT_LABEL = iri(f"{_SKOS}altLabel")
SOURCE = iri(str(STIG.source))
_SHARED = iri(str(SOURCES_GRAPH))


@lru_cache(maxsize=None)
def p(local: str) -> str:
    """A stig: property or class as an N-Triples term (cached: loaders call it for every quad)."""
    return iri(str(STIG[local]))


class QuadWriter:
    """Writes one input's quads as N-Quads lines to `sink` (see the module docstring).

    `graph` is the input's main named graph; `sources_graph` holds its locator descriptions (default: the
    main graph). Locators, documents and statement skeletons are written once per writer.
    """

    def __init__(self, sink: Callable[[str], object], graph: str, sources_graph: str | None = None) -> None:
        self._sink = sink
        self.graph = iri(graph)
        self.sources_graph = iri(sources_graph) if sources_graph else self.graph
        self._seen: set[str] = set()
        self.count = 0

    def use_graph(self, graph: str) -> None:
        """Write the following facts into `graph` (an input such as the registry spans several graphs)."""
        self.graph = iri(graph)

    # -- plain quads -------------------------------------------------------------------------------
    def quad(self, s: str, p_term: str, o_term: str, g_term: str | None = None) -> None:
        """One quad from terms already encoded (`iri()`, `literal()`); `g_term` defaults to the main graph."""
        self._sink(f"{s} {p_term} {o_term} {g_term or self.graph} .\n")
        self.count += 1

    def fact(self, subject: str, predicate: str, obj: str, graph: str | None = None) -> None:
        """subject (IRI) predicate (IRI) obj (an encoded term) in `graph` (an IRI; default: main graph)."""
        self.quad(iri(subject), iri(predicate), obj, iri(graph) if graph else None)

    def _once(self, key: str) -> bool:
        if key in self._seen:
            return False
        self._seen.add(key)
        return True

    # -- provenance --------------------------------------------------------------------------------
    def document(self, file_name: str, doc: str | None = None) -> str:
        """The document node of a source file (shared description: type and file name); returns its IRI."""
        doc = doc or document_iri(file_name)
        if self._once(doc):
            self.quad(iri(doc), TYPE, p("Document"), _SHARED)
            self.quad(iri(doc), p("fileName"), literal(file_name), _SHARED)
        return doc

    def _locator(self, loc: str, kind: str, once: bool = True) -> tuple[str, bool]:
        if kind not in PROVENANCE_KINDS:
            raise ValueError(f"unknown provenance kind {kind!r}")
        if once and not self._once(loc):
            return loc, False
        self.quad(iri(loc), TYPE, p("SourceLocator"), self.sources_graph)
        self.quad(iri(loc), p("provenanceKind"), p(kind), self.sources_graph)
        return loc, True

    def line_locator(self, file_name: str, line: int, line_end: int | None = None, *, kind: str = "SeedLine",
                     page: int | None = None, row: int | None = None, doc: str | None = None) -> str:
        """A locator for line(s) of a document (kind SeedLine for curated facts, Extracted for extractors).

        `page` is the PDF page the line stands on (lines count through the whole document); `row` the row
        number (NO) of a list whose rows share one text line.
        """
        stem = file_name.rsplit(".", 1)[0] if "." in file_name else file_name
        span = f"L{line}" + (f"-L{line_end}" if line_end and line_end != line else "") + (f"-r{row}" if row else "")
        prefix = {"SeedLine": "src/", "Inferred": "src/inferred/"}.get(kind, "src/extracted/")
        loc, new = self._locator(f"{ID}{prefix}{iri_segment(stem)}/{span}", kind)
        if new:
            doc = self.document(file_name, doc)
            self.quad(iri(loc), p("document"), iri(doc), self.sources_graph)
            self.quad(iri(loc), p("line"), literal(int(line)), self.sources_graph)
            if line_end and line_end != line:
                self.quad(iri(loc), p("lineEnd"), literal(int(line_end)), self.sources_graph)
            if page:
                self.quad(iri(loc), p("page"), literal(int(page)), self.sources_graph)
            if row:
                self.quad(iri(loc), p("row"), literal(int(row)), self.sources_graph)
        return loc

    def row_locator(self, file_name: str, row: int, *, scope: str, line: int | None = None,
                    once: bool = False, row_end: int | None = None) -> str:
        """A locator for one row (or the rows row..row_end) of a dataset file (kind DatasetRow), with the
        file's line where known.

        `scope` keeps the IRIs of different inputs apart (two files may share a name).
        """
        doc_path = f"{scope}/{iri_segment(file_name)}"
        span = f"R{int(row)}" + (f"-R{int(row_end)}" if row_end and row_end != row else "")
        loc, new = self._locator(f"{ID}src/{doc_path}/{span}", "DatasetRow", once)
        if new:
            doc = self.document(file_name, f"{ID}doc/{doc_path}")
            self.quad(iri(loc), p("document"), iri(doc), self.sources_graph)
            self.quad(iri(loc), p("row"), literal(int(row)), self.sources_graph)
            if row_end and row_end != row:
                self.quad(iri(loc), p("rowEnd"), literal(int(row_end)), self.sources_graph)
            if line:
                self.quad(iri(loc), p("line"), literal(int(line)), self.sources_graph)
        return loc

    def cited_locator(self, citation: str, *, kind: str = "Curated", key: str | None = None) -> str:
        """A locator that cites a public reference (Curated) or an analysis run (Inferred) instead of a line."""
        scope = "curated" if kind == "Curated" else kind.lower()
        loc, new = self._locator(f"{ID}src/{scope}/{key or digest(citation)}", kind)
        if new:
            self.quad(iri(loc), iri(f"{_DCTERMS}bibliographicCitation"), literal(citation), self.sources_graph)
        return loc

    def sourced(self, subject: str, loc: str) -> None:
        """`subject stig:source loc`: the locator supports what the input states about `subject`."""
        self.quad(iri(subject), SOURCE, iri(loc))

    def relation(self, subject: str, predicate: str, obj: str, loc: str) -> None:
        """A relation triple plus its rdf:Statement (shared skeleton) pointing at the locator."""
        s, pr, o = iri(subject), iri(predicate), iri(obj)
        stmt = statement_iri(subject, predicate, obj)
        self.quad(s, pr, o)
        if self._once(stmt):
            st = iri(stmt)
            self.quad(st, TYPE, iri(f"{_RDF}Statement"), _SHARED)
            self.quad(st, iri(f"{_RDF}subject"), s, _SHARED)
            self.quad(st, iri(f"{_RDF}predicate"), pr, _SHARED)
            self.quad(st, iri(f"{_RDF}object"), o, _SHARED)
        self.quad(iri(stmt), SOURCE, iri(loc))

    def labels(self, subject: str, ja: str | None = None, en: str | None = None, alt: tuple[str, ...] = ()) -> None:
        """skos:prefLabel in Japanese and English and skos:altLabel variants."""
        s = iri(subject)
        if ja:
            self.quad(s, PREF_LABEL, literal(ja, lang="ja"))
        if en:
            self.quad(s, PREF_LABEL, literal(en, lang="en"))
        for text in alt:
            self.quad(s, ALT_LABEL, literal(text))

    # -- budget entries ----------------------------------------------------------------------------
    def budget_entry(self, node: str, *, amount: Decimal, fiscal_year: int, kind: str, loc: str,
                     owner: str | None = None, fiscal_year_end: int | None = None, label: str | None = None,
                     is_new: bool = False, included_in: bool = False, marker: str | None = None,
                     part_of: str | None = None, document: str | None = None) -> str:
        """One budget figure (`kind` a key of BUDGET_KINDS) with its locator; linked to `owner` if given.

        `part_of` names the budget entry this figure is included in (内数, a sub-item, a per-agency split),
        so that totals never add a figure to one that contains it.
        """
        if kind not in BUDGET_KINDS:
            raise ValueError(f"unknown budget kind {kind!r}")
        n = iri(node)
        self.quad(n, TYPE, p("BudgetEntry"))
        self.quad(n, p("amount"), literal(Decimal(amount)))
        self.quad(n, p("fiscalYear"), gyear(fiscal_year))
        self.quad(n, p("budgetKind"), p(BUDGET_KINDS[kind]))
        self.quad(n, SOURCE, iri(loc))
        if owner:
            self.quad(iri(owner), p("hasBudget"), n)
            self.quad(n, p("budgetOf"), iri(owner))
        if fiscal_year_end:
            self.quad(n, p("fiscalYearEnd"), gyear(fiscal_year_end))
        if label:
            self.quad(n, PREF_LABEL, literal(label, lang="ja"))
        if is_new:
            self.quad(n, p("isNew"), literal(True))
        if included_in:
            self.quad(n, p("includedIn"), literal(True))
        if marker:
            self.quad(n, p("marker"), literal(marker))
        if part_of:
            self.quad(n, p("budgetPartOf"), iri(part_of))
        if document:
            self.quad(n, iri(f"{_DCTERMS}source"), iri(document))
        return node

    def previous_year(self, node: str, previous: str, amount: Decimal) -> None:
        """Link a budget entry to the entry of the previous year's figure printed beside it."""
        self.quad(iri(node), p("previousAmount"), literal(Decimal(amount)))
        self.quad(iri(node), p("previousEntry"), iri(previous))


__all__ = ["QuadWriter", "iri", "literal", "gyear", "iri_segment", "p", "TYPE", "PREF_LABEL", "ALT_LABEL", "SOURCE"]
