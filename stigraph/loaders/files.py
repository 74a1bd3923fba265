"""The user's own files -> N-Quads: RDF in any common syntax, and CSV in stigraph's node/edge layouts.

Readers only; what becomes of an import in the store (its named graph, the inputs manifest, the
atomic update) is `stigraph.builder`'s job.

RDF: .ttl, .nt, .nq, .trig, .jsonld (also .json-ld), .rdf/.owl (RDF/XML). Every triple lands in the
import's graph, including those that stood in named graphs of a TriG or N-Quads file.

CSV (UTF-8, header row) in one of the two layouts `stigraph export --format csv` writes:
- nodes: a column `id`; optional `class` (Agency, Program ... or a class IRI), `label_ja`, `label_en`,
  `alt_labels` ("; "-separated), `iri` (overrides the IRI made from `id`); `budget_latest_fy`,
  `budget_latest_kind` and `budget_latest_yen` are derived figures and ignored; a column whose header is an absolute IRI
  becomes that property with a plain literal value.
- edges: columns `source`, `target`, `predicate` (a relation name such as administeredBy, or an IRI);
  `provenance` is ignored.
An id such as `jst` means https://w3id.org/stigraph/id/jst; a cell with `://` is taken as an IRI.
Each CSV row becomes the source of what it states (a dataset-row locator: file, row and line), through
the provenance writer: on every node, and on an rdf:Statement for every edge, so `sources-of-fact`
finds imported relations too. Rows typed with a stigraph class must meet the SHACL shapes (one
Japanese and one English label, a slug id).
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox

from stigraph import limits
from stigraph.errors import UserError
from stigraph.loaders.xml_entities import check_entities
from stigraph.loaders.provenance import ALT_LABEL, PREF_LABEL, TYPE, QuadWriter, iri, literal, p
from stigraph.ontology.vocabulary import ID, RELATIONS, STIG

RDF_SUFFIXES = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS,
                ".trig": ox.RdfFormat.TRIG, ".jsonld": ox.RdfFormat.JSON_LD, ".json-ld": ox.RdfFormat.JSON_LD,
                ".rdf": ox.RdfFormat.RDF_XML, ".owl": ox.RdfFormat.RDF_XML}
SUFFIXES = tuple(RDF_SUFFIXES) + (".csv",)
NODE_COLUMNS = {"id", "class", "label_ja", "label_en", "alt_labels", "iri", "budget_latest_fy", "budget_latest_kind",
                "budget_latest_yen"}
EDGE_COLUMNS = {"source", "target", "predicate", "provenance"}
_ID_PATH = re.compile(r"^[a-z0-9][a-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$")

Progress = Callable[[int], None]


class _CountingReader(io.RawIOBase):
    """A binary reader that reports how many bytes were read so far (for the progress bar)."""

    def __init__(self, handle, progress: Progress | None) -> None:
        self.handle, self.progress, self.done = handle, progress, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = self.handle.readinto(buffer)
        self.done += count or 0
        if self.progress and count:
            self.progress(count)
        return count


def _term(value: str, where: str, what: str) -> ox.NamedNode:
    value = value.strip()
    try:
        if "://" in value:
            return ox.NamedNode(value)
    except ValueError as exc:
        raise UserError(f"{where}: {what} {value!r} is not a valid IRI ({exc})") from None
    if not _ID_PATH.match(value):
        raise UserError(f"{where}: {what} {value!r} is neither an id (lower-case, digits, -) nor an IRI")
    return ox.NamedNode(f"{ID}{value}")


def _predicate(value: str, where: str) -> ox.NamedNode:
    value = value.strip()
    if value in RELATIONS:
        return ox.NamedNode(RELATIONS[value])
    if "://" in value:
        return _term(value, where, "predicate")
    raise UserError(f"{where}: unknown predicate {value!r}; use a relation name "
                    f"({', '.join(sorted(RELATIONS))}) or a full IRI")


def _csv_layout(path: Path, header: list[str]) -> tuple[str, list[str]]:
    """"nodes" or "edges" and the extra (IRI-headed) columns; UserError for an unknown layout or column."""
    if {"source", "target", "predicate"} <= set(header):
        layout, known = "edges", EDGE_COLUMNS
    elif "id" in header:
        layout, known = "nodes", NODE_COLUMNS
    else:
        raise UserError(f"{path}:1: unknown CSV layout; the header needs `id` (nodes) or "
                        "`source,target,predicate` (edges); see docs/interop.md")
    extra = [h for h in header if h not in known]
    for column in extra:
        if layout == "edges" or "://" not in column:
            raise UserError(f"{path}:1: unknown column {column!r}; known: {', '.join(sorted(known))}"
                            + ("" if layout == "edges" else ", or an absolute IRI as header"))
        _term(column, f"{path}:1", "column")
    return layout, extra


def csv_quads(path: Path, graph: str, scope: str, progress: Progress | None = None) -> Iterator[str]:
    """The N-Quads lines of a nodes or edges CSV file in `graph`, each row the source of what it states.

    `scope` (e.g. "import/my-data") keeps this input's row locators apart from other inputs'.
    UserError names FILE:LINE for a bad row.
    """
    lines: list[str] = []
    writer = QuadWriter(lines.append, graph)
    check_input_size(path)
    longest = limits.get("max_literal_chars")
    # The csv module refuses fields over its own limit with a bare csv.Error; ours is checked per cell below.
    csv.field_size_limit(max(csv.field_size_limit(), longest + 1))
    with open(path, "rb") as raw:
        text = io.TextIOWrapper(_CountingReader(raw, progress), encoding="utf-8-sig", newline="")
        reader = csv.DictReader(text)
        try:
            header = [h.strip() for h in (reader.fieldnames or [])]
            reader.fieldnames = header
            layout, extra = _csv_layout(path, header)
            row_number = 1
            for row in reader:
                row_number += 1
                where = f"{path}:{reader.line_num}"
                cells = {k: (v or "").strip() for k, v in row.items() if k is not None}
                for column, cell in cells.items():
                    if len(cell) > longest:
                        raise UserError(f"{where}: the {column} cell has {len(cell):,} characters; "
                                        f"{limits.describe('max_literal_chars')}")
                if not any(cells.values()):
                    continue
                locator = writer.row_locator(path.name, row_number, scope=scope, line=reader.line_num)
                if layout == "edges":
                    if not (cells.get("source") and cells.get("target") and cells.get("predicate")):
                        raise UserError(f"{where}: source, target and predicate must all be given")
                    writer.relation(_term(cells["source"], where, "source").value,
                                    _predicate(cells["predicate"], where).value,
                                    _term(cells["target"], where, "target").value, locator)
                else:
                    _node_quads(writer, cells, extra, where, locator)
                yield from lines
                lines.clear()
        except UnicodeDecodeError:
            raise UserError(f"{path}: not UTF-8 text; save the CSV as UTF-8") from None
        except csv.Error as exc:  # a cell over the csv module's own limit lands here
            problem = (f"a cell is over {csv.field_size_limit():,} characters" if "field limit" in str(exc)
                       else f"malformed CSV ({exc})")
            raise UserError(f"{path}:{reader.line_num + 1}: {problem}; {limits.describe('max_literal_chars')}") from None
    yield from lines


def _node_quads(writer: QuadWriter, cells: dict[str, str], extra: list[str], where: str, locator: str) -> None:
    if not cells.get("id"):
        raise UserError(f"{where}: empty id")
    subject = (_term(cells["iri"], where, "iri") if cells.get("iri") else _term(cells["id"], where, "id")).value
    writer.sourced(subject, locator)
    if re.match(r"^[a-z0-9][a-z0-9-]*$", cells["id"]):
        writer.quad(iri(subject), p("curatedId"), literal(cells["id"]))
    if cells.get("class"):
        cls = cells["class"]
        if "://" in cls:
            writer.quad(iri(subject), TYPE, iri(_term(cls, where, "class").value))
        elif re.match(r"^[A-Z][A-Za-z]*$", cls):
            writer.quad(iri(subject), TYPE, iri(f"{STIG}{cls}"))
        else:
            raise UserError(f"{where}: class {cls!r} must be a class name such as Agency, or an IRI")
    for column, lang in (("label_ja", "ja"), ("label_en", "en")):
        if cells.get(column):
            writer.quad(iri(subject), PREF_LABEL, literal(cells[column], lang=lang))
    for alt in filter(None, (a.strip() for a in cells.get("alt_labels", "").split(";"))):
        writer.quad(iri(subject), ALT_LABEL, literal(alt))
    for column in extra:
        if cells.get(column):
            writer.quad(iri(subject), iri(column), literal(cells[column]))


def rdf_triples(path: Path, progress: Progress | None = None) -> Iterator[ox.Triple]:
    """The triples of an RDF file in any named graph of it; UserError with the parser's position on bad syntax.

    Bounded (see `stigraph.limits`): the file's size, each literal's length, and for RDF/XML what its
    entities may expand to (checked before parsing). A file without a single statement is a UserError.
    """
    fmt = RDF_SUFFIXES[path.suffix.lower()]
    check_input_size(path)
    if fmt == ox.RdfFormat.RDF_XML:
        check_entities(path)
    longest = limits.get("max_literal_chars")
    count = 0
    with open(path, "rb") as raw:
        try:
            for quad in ox.parse(_CountingReader(raw, progress), format=fmt, base_iri=path.resolve().as_uri(),
                                 rename_blank_nodes=True):
                if isinstance(quad.object, ox.Literal) and len(quad.object.value) > longest:
                    raise UserError(f"{path}: a literal of {len(quad.object.value):,} characters (on "
                                    f"{quad.subject}); {limits.describe('max_literal_chars')}")
                count += 1
                yield ox.Triple(quad.subject, quad.predicate, quad.object)
        except SyntaxError as exc:
            raise UserError(f"{path}: not valid {fmt.name}: {str(exc).splitlines()[0]}") from None
        except ValueError as exc:
            raise UserError(f"{path}: cannot read ({exc})") from None
    if count == 0:
        raise UserError(f"{path}: no statements found (an empty {fmt.name} document); nothing to import")


def check_input_size(path: Path) -> None:
    """UserError when the file is larger than `max_input_bytes` (stigraph.limits)."""
    size, largest = path.stat().st_size, limits.get("max_input_bytes")
    if size > largest:
        raise UserError(f"{path}: {size:,} bytes; {limits.describe('max_input_bytes')}")


def file_triples(path: Path, progress: Progress | None = None) -> Iterator[ox.Triple]:
    """The triples of one import file, by its extension."""
    if not path.is_file():
        raise UserError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        raise UserError(f"{path}: CSV files become quads with their row sources: use csv_quads")
    if suffix in RDF_SUFFIXES:
        return rdf_triples(path, progress)
    raise UserError(f"{path}: unknown file type {suffix or '(none)'!r}; use one of {', '.join(SUFFIXES)}")
