"""Import the user's own RDF or CSV into the store, each import in its own named graph.

An import is parsed into N-Quads, kept in the store folder (`STORE/imports/*.nq`, one file per
named graph) and loaded by a normal atomic build, so a failed import leaves the previous graph
answering, and every later `stigraph build` loads the imported graphs again (`imported_chunks`).

RDF: .ttl, .nt, .nq, .trig, .jsonld (also .json-ld), .rdf/.owl (RDF/XML). Every triple lands in the
import's graph, including those that stood in named graphs of a TriG or N-Quads file.

CSV (UTF-8, header row) in one of the two layouts `stigraph export --format csv` writes:
- nodes: a column `id`; optional `class` (Agency, Program ... or a class IRI), `label_ja`, `label_en`,
  `alt_labels` ("; "-separated), `iri` (overrides the IRI made from `id`); `budget_latest_fy` and
  `budget_latest_yen` are derived figures and ignored; a column whose header is an absolute IRI
  becomes that property with a plain literal value.
- edges: columns `source`, `target`, `predicate` (a relation name such as administeredBy, or an IRI);
  `provenance` is ignored.
An id such as `jst` means https://w3id.org/stigraph/id/jst; a cell with `://` is taken as an IRI.
Each CSV row becomes the source of what it states, as in the registry: a locator (the CSV file and
row line, provenance kind stig:Extracted) on every node, and an rdf:Statement with that locator for
every edge, so `sources-of-fact` finds imported relations too. Rows typed with a stigraph class must
meet the SHACL shapes the build checks (one Japanese and one English label, a slug id).
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from stigraph import limits
from stigraph.errors import UserError
from stigraph.loaders.xml_entities import check_entities
from stigraph.store import generations as store_mod
from stigraph.ontology.namespaces import GRAPH, ID, STIG

IMPORTS_DIR = "imports"
RDF_SUFFIXES = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS,
                ".trig": ox.RdfFormat.TRIG, ".jsonld": ox.RdfFormat.JSON_LD, ".json-ld": ox.RdfFormat.JSON_LD,
                ".rdf": ox.RdfFormat.RDF_XML, ".owl": ox.RdfFormat.RDF_XML}
SUFFIXES = tuple(RDF_SUFFIXES) + (".csv",)
NODE_COLUMNS = {"id", "class", "label_ja", "label_en", "alt_labels", "iri", "budget_latest_fy", "budget_latest_yen"}
EDGE_COLUMNS = {"source", "target", "predicate", "provenance"}
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_ID_PATH = re.compile(r"^[a-z0-9][a-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$")
_GRAPH_HEADER = re.compile(r"^# graph: <([^>]*)>")

Progress = Callable[[int], None]


@dataclass
class ImportSummary:
    """What an import added: statements per named graph, the files kept in the store, and the build."""

    graphs: dict[str, int] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    build: object | None = None

    def as_dict(self) -> dict:
        built = self.build.as_dict() if self.build is not None else None  # type: ignore[attr-defined]
        return {"graphs": self.graphs, "files": [str(f) for f in self.files], "build": built}


def imports_dir(store_path: Path) -> Path:
    """The folder of a store where imported graphs are kept."""
    return store_path / IMPORTS_DIR


def graph_iri_for(path: Path, graph: str | None = None) -> str:
    """The named graph an import goes to: `graph` (an IRI or a short name) or one made from the file name.

    >>> graph_iri_for(Path("My Data.ttl"))
    'https://w3id.org/stigraph/graph/import/my-data'
    >>> graph_iri_for(Path("x.ttl"), "http://example.org/g")
    'http://example.org/g'
    """
    if graph:
        if "://" in graph:
            try:
                return ox.NamedNode(graph).value
            except ValueError as exc:
                raise UserError(f"--graph {graph!r} is not a valid IRI ({exc})") from None
        name = graph
    else:
        name = _slug(path.stem)
    if not re.match(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$", name):
        raise UserError(f"--graph {graph!r}: give an IRI (https://...) or a short name of letters, digits, - and /")
    return f"{GRAPH}import/{name}"


def _file_for(store_path: Path, graph_iri: str) -> Path:
    tail = re.sub(r"[^A-Za-z0-9]+", "-", graph_iri.rsplit("/", 1)[-1]).strip("-")[:40] or "graph"
    digest = hashlib.sha1(graph_iri.encode("utf-8")).hexdigest()[:10]
    return imports_dir(store_path) / f"{tail}-{digest}.nq"


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
    from stigraph.loaders.registry.rdf import PREDICATE_IRIS

    value = value.strip()
    if value in PREDICATE_IRIS:
        return ox.NamedNode(str(PREDICATE_IRIS[value]))
    if "://" in value:
        return _term(value, where, "predicate")
    raise UserError(f"{where}: unknown predicate {value!r}; use a relation name "
                    f"({', '.join(sorted(PREDICATE_IRIS))}) or a full IRI")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "data"


class _RowSources:
    """Locators for the rows of one CSV file: file name + line, provenance kind Extracted."""

    def __init__(self, path: Path) -> None:
        self.slug = _slug(path.stem)
        self.document = ox.NamedNode(f"{ID}doc/import/{self.slug}")
        self.file_name = path.name

    def document_triples(self) -> list[ox.Triple]:
        return [ox.Triple(self.document, _RDF_TYPE, ox.NamedNode(f"{STIG}Document")),
                ox.Triple(self.document, ox.NamedNode(f"{STIG}fileName"), ox.Literal(self.file_name))]

    def locator(self, line: int) -> tuple[ox.NamedNode, list[ox.Triple]]:
        loc = ox.NamedNode(f"{ID}src/import/{self.slug}/L{line}")
        return loc, [ox.Triple(loc, _RDF_TYPE, ox.NamedNode(f"{STIG}SourceLocator")),
                     ox.Triple(loc, ox.NamedNode(f"{STIG}provenanceKind"), ox.NamedNode(f"{STIG}Extracted")),
                     ox.Triple(loc, ox.NamedNode(f"{STIG}document"), self.document),
                     ox.Triple(loc, ox.NamedNode(f"{STIG}line"),
                               ox.Literal(str(line), datatype=ox.NamedNode(f"{_XSD}integer")))]


def _statement(triple: ox.Triple, locator: ox.NamedNode) -> list[ox.Triple]:
    """The rdf:Statement that carries a relation's source; same IRI scheme as the registry loader, so a
    relation stated both in the registry and in a CSV ends up with two sources on one statement."""
    parts = (triple.subject.value, triple.predicate.value, triple.object.value)
    stmt = ox.NamedNode(f"{ID}stmt/{hashlib.sha1(chr(0x1f).join(parts).encode('utf-8')).hexdigest()[:16]}")
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    return [ox.Triple(stmt, _RDF_TYPE, ox.NamedNode(f"{rdf}Statement")),
            ox.Triple(stmt, ox.NamedNode(f"{rdf}subject"), triple.subject),
            ox.Triple(stmt, ox.NamedNode(f"{rdf}predicate"), triple.predicate),
            ox.Triple(stmt, ox.NamedNode(f"{rdf}object"), triple.object),
            ox.Triple(stmt, ox.NamedNode(f"{STIG}source"), locator)]


def csv_triples(path: Path, progress: Progress | None = None) -> Iterator[ox.Triple]:
    """The triples of a nodes or edges CSV file with their row sources (layouts in the module docstring).

    UserError names FILE:LINE for a bad row.
    """
    _check_input_size(path)
    longest = limits.get("max_literal_chars")
    # The csv module refuses fields over its limit with a bare csv.Error; ours is checked per cell below.
    csv.field_size_limit(max(csv.field_size_limit(), longest + 1))
    with open(path, "rb") as raw:
        text = io.TextIOWrapper(_CountingReader(raw, progress), encoding="utf-8-sig", newline="")
        try:
            reader = csv.DictReader(text)
            header = [h.strip() for h in (reader.fieldnames or [])]
            reader.fieldnames = header
        except UnicodeDecodeError:
            raise UserError(f"{path}: not UTF-8 text; save the CSV as UTF-8") from None
        except csv.Error as exc:
            problem = (f"a header cell is over {csv.field_size_limit():,} characters" if "field limit" in str(exc)
                       else f"malformed CSV header ({exc})")
            raise UserError(f"{path}:1: {problem}; {limits.describe('max_literal_chars')}") from None
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
        sources = _RowSources(path)
        yield from sources.document_triples()
        try:
            for row in reader:
                where = f"{path}:{reader.line_num}"
                cells = {k: (v or "").strip() for k, v in row.items() if k is not None}
                for column, cell in cells.items():
                    if len(cell) > longest:
                        raise UserError(f"{where}: the {column} cell has {len(cell):,} characters; "
                                        f"{limits.describe('max_literal_chars')}")
                if not any(cells.values()):
                    continue
                locator, locator_triples = sources.locator(reader.line_num)
                yield from locator_triples
                if layout == "edges":
                    if not (cells.get("source") and cells.get("target") and cells.get("predicate")):
                        raise UserError(f"{where}: source, target and predicate must all be given")
                    edge = ox.Triple(_term(cells["source"], where, "source"), _predicate(cells["predicate"], where),
                                     _term(cells["target"], where, "target"))
                    yield edge
                    yield from _statement(edge, locator)
                    continue
                yield from _node_triples(cells, extra, where, locator)
        except UnicodeDecodeError:
            raise UserError(f"{path}: not UTF-8 text; save the CSV as UTF-8") from None
        except csv.Error as exc:  # a cell over the csv module's own limit lands here
            problem = (f"a cell is over {csv.field_size_limit():,} characters" if "field limit" in str(exc)
                       else f"malformed CSV ({exc})")
            raise UserError(f"{path}:{reader.line_num + 1}: {problem}; {limits.describe('max_literal_chars')}") from None


def _node_triples(cells: dict[str, str], extra: list[str], where: str, locator: ox.NamedNode) -> Iterator[ox.Triple]:
    if not cells.get("id"):
        raise UserError(f"{where}: empty id")
    subject = _term(cells["iri"], where, "iri") if cells.get("iri") else _term(cells["id"], where, "id")
    yield ox.Triple(subject, ox.NamedNode(f"{STIG}source"), locator)
    if re.match(r"^[a-z0-9][a-z0-9-]*$", cells["id"]):
        yield ox.Triple(subject, ox.NamedNode(f"{STIG}curatedId"), ox.Literal(cells["id"]))
    if cells.get("class"):
        cls = cells["class"]
        if "://" in cls:
            yield ox.Triple(subject, _RDF_TYPE, _term(cls, where, "class"))
        elif re.match(r"^[A-Z][A-Za-z]*$", cls):
            yield ox.Triple(subject, _RDF_TYPE, ox.NamedNode(f"{STIG}{cls}"))
        else:
            raise UserError(f"{where}: class {cls!r} must be a class name such as Agency, or an IRI")
    for column, lang in (("label_ja", "ja"), ("label_en", "en")):
        if cells.get(column):
            yield ox.Triple(subject, ox.NamedNode(f"{_SKOS}prefLabel"), ox.Literal(cells[column], language=lang))
    for alt in filter(None, (a.strip() for a in cells.get("alt_labels", "").split(";"))):
        yield ox.Triple(subject, ox.NamedNode(f"{_SKOS}altLabel"), ox.Literal(alt))
    for column in extra:
        if cells.get(column):
            yield ox.Triple(subject, ox.NamedNode(column), ox.Literal(cells[column]))


def rdf_triples(path: Path, progress: Progress | None = None) -> Iterator[ox.Triple]:
    """The triples of an RDF file in any named graph of it; UserError with the parser's position on bad syntax.

    Bounded (see `stigraph.limits`): the file's size, each literal's length, and for RDF/XML what its
    entities may expand to (checked before parsing). A file without a single statement is a UserError.
    """
    fmt = RDF_SUFFIXES[path.suffix.lower()]
    _check_input_size(path)
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


def _check_input_size(path: Path) -> None:
    size, largest = path.stat().st_size, limits.get("max_input_bytes")
    if size > largest:
        raise UserError(f"{path}: {size:,} bytes; {limits.describe('max_input_bytes')}")


def file_triples(path: Path, progress: Progress | None = None) -> Iterator[ox.Triple]:
    """The triples of one import file, by its extension."""
    if not path.is_file():
        raise UserError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return csv_triples(path, progress)
    if suffix in RDF_SUFFIXES:
        return rdf_triples(path, progress)
    raise UserError(f"{path}: unknown file type {suffix or '(none)'!r}; use one of {', '.join(SUFFIXES)}")


def write_import(store_path: Path, graph_iri: str, paths: list[Path],
                 progress: Progress | None = None) -> tuple[Path, int]:
    """Parse `paths` into one N-Quads file for `graph_iri` beside the store's other imports (a temp name
    until `commit`); returns (temp file, statements written)."""
    folder = imports_dir(store_path)
    folder.mkdir(parents=True, exist_ok=True)
    target = _file_for(store_path, graph_iri)
    tmp = target.with_name(f".{target.name}.tmp")
    graph = ox.NamedNode(graph_iri)
    count = 0
    try:
        with open(tmp, "wb") as out:
            out.write(f"# graph: <{graph_iri}> from {', '.join(p.name for p in paths)}\n".encode("utf-8"))
            for path in paths:
                quads = [ox.Quad(t.subject, t.predicate, t.object, graph) for t in file_triples(path, progress)]
                count += len(quads)
                out.write(ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"")
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp, count


def imported_chunks(store_path: str | Path) -> list[bytes]:
    """The N-Quads of every graph imported into the store (what a build must load to keep them).

    >>> imported_chunks("/nonexistent/store")
    []
    """
    folder = imports_dir(Path(store_path))
    return [p.read_bytes() for p in sorted(folder.glob("*.nq"))] if folder.is_dir() else []


def list_imports(store_path: str | Path) -> dict[str, Path]:
    """Imported named graph IRI -> the file that keeps it."""
    folder = imports_dir(Path(store_path))
    out: dict[str, Path] = {}
    for path in sorted(folder.glob("*.nq")) if folder.is_dir() else []:
        with open(path, encoding="utf-8") as handle:
            match = _GRAPH_HEADER.match(handle.readline())
        out[match[1] if match else path.stem] = path
    return out


def _build(store_path: Path, registry_paths, include_derived: bool, say) -> object:
    from stigraph.builder import full as build_mod

    # build() loads STORE/imports itself (keep_imports=True).
    return build_mod.build(store_path, registry_paths=registry_paths, include_derived=include_derived,
                           keep_imports=True, progress=say)


def _commit_and_build(store_path: Path, staged: dict[Path, Path | None], registry_paths, include_derived: bool,
                      say) -> object:
    """Move staged files into place (None = remove), build, and put the old files back if the build fails."""
    backups: dict[Path, Path] = {}
    for target in staged:
        if target.exists():
            backup = target.with_name(f".{target.name}.bak")
            target.replace(backup)
            backups[target] = backup
    for target, tmp in staged.items():
        if tmp is not None:
            tmp.replace(target)
    try:
        summary = _build(store_path, registry_paths, include_derived, say)
    except BaseException:
        for target in staged:
            target.unlink(missing_ok=True)
        for target, backup in backups.items():
            backup.replace(target)
        raise
    for backup in backups.values():
        backup.unlink(missing_ok=True)
    return summary


def import_files(paths: list[str | Path], store: str | Path | None = None, graph: str | None = None,
                 registry_paths: list[Path] | None = None, include_derived: bool = True,
                 progress: Progress | None = None, say: Callable[[str], None] | None = None) -> ImportSummary:
    """Add RDF or CSV files to the store, each in its own named graph (or all in `graph`), then rebuild.

    Importing into a graph that was imported before replaces it. The rebuild reads the registry like
    `stigraph build` (`registry_paths`, `include_derived`) plus every imported graph.

    >>> import_files(["my_orgs.ttl"], store="/tmp/store")  # doctest: +SKIP
    ImportSummary(graphs={'https://w3id.org/stigraph/graph/import/my-orgs': 42}, ...)
    """
    if not paths:
        raise UserError("give one or more files to import (.ttl, .nt, .nq, .trig, .jsonld, .csv)")
    store_path = store_mod.resolve_store_path(store)
    groups: dict[str, list[Path]] = {}
    for raw in paths:
        path = Path(raw)
        if not path.is_file():
            raise UserError(f"{path}: no such file")
        if path.suffix.lower() not in SUFFIXES:
            raise UserError(f"{path}: unknown file type {path.suffix or '(none)'!r}; use one of {', '.join(SUFFIXES)}")
        groups.setdefault(graph_iri_for(path, graph), []).append(path)
    summary = ImportSummary()
    staged: dict[Path, Path | None] = {}
    try:
        for graph_iri, files in groups.items():
            tmp, count = write_import(store_path, graph_iri, files, progress)
            staged[_file_for(store_path, graph_iri)] = tmp
            summary.graphs[graph_iri] = count
    except BaseException:
        for tmp in staged.values():
            if tmp is not None:
                tmp.unlink(missing_ok=True)
        raise
    summary.build = _commit_and_build(store_path, staged, registry_paths, include_derived, say)
    summary.files = list(staged)
    return summary


def remove_import(graph: str, store: str | Path | None = None, registry_paths: list[Path] | None = None,
                  include_derived: bool = True, say: Callable[[str], None] | None = None) -> object:
    """Drop an imported graph (its IRI or short name) from the store and rebuild; returns the BuildSummary."""
    store_path = store_mod.resolve_store_path(store)
    known = list_imports(store_path)
    iri = graph if graph in known else graph_iri_for(Path("x"), graph)
    if iri not in known:
        listing = ", ".join(known) or "none"
        raise UserError(f"no imported graph {graph!r}; imported graphs: {listing}")
    return _commit_and_build(store_path, {known[iri]: None}, registry_paths, include_derived, say)
