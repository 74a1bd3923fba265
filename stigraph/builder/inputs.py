"""Inputs of the store: what each kind is read from, its name, its fingerprint, and how its quads are made.

An `InputSpec` is an input before it is loaded: `materialize` writes its quads into the store's
content-addressed cache (`STORE/inputs/`) and returns the manifest record. Our own readers write
N-Quads through the provenance writer; the split into the input's own quads and its share of the
shared `graph/sources` graph happens here. A user's RDF in a triple syntax is kept as given (a copy)
and bulk-loaded into the input's graph.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from stigraph.errors import UserError
from stigraph.loaders.provenance import iri_segment
from stigraph.ontology.vocabulary import ONTOLOGY_GRAPH, SOURCES_GRAPH, graph_iri, ontology_path
from stigraph.store.manifest import CACHE_DIR, InputRecord, LoadFile, now

LOAD_FORMATS = {"nq": ox.RdfFormat.N_QUADS, "nt": ox.RdfFormat.N_TRIPLES, "ttl": ox.RdfFormat.TURTLE,
                "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}
_SUFFIX_FORMATS = {".nt": "nt", ".ttl": "ttl", ".jsonld": "jsonld", ".json-ld": "jsonld", ".rdf": "rdfxml",
                   ".owl": "rdfxml", ".nq": "nq", ".trig": "trig"}
# RDF/XML goes through the streaming reader (stigraph.loaders.files), which guards against entity expansion.
_TRIPLE_FORMATS = {"nt", "ttl", "jsonld"}
DERIVED_DIR = Path(__file__).resolve().parents[1] / "data" / "derived"
_SHARED_SUFFIX = f" <{SOURCES_GRAPH}> .\n"

Sink = Callable[[str], object]


@lru_cache(maxsize=1)
def reader_version() -> str:
    """A digest of the code and vocabulary that turn sources into quads: a cache made by other code is stale."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted([*package.glob("loaders/**/*.py"), *package.glob("ontology/*.ttl"), *package.glob("ontology/*.py")]):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def fingerprint(files: Iterable[Path], **options: object) -> str:
    """sha256 over the files' names and bytes, the reading options and the reader version."""
    digest = hashlib.sha256(reader_version().encode())
    for key, value in sorted(options.items()):
        digest.update(f"\x1f{key}={value}".encode())
    for path in files:
        digest.update(f"\x1e{path.name}\x1f".encode())
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


@dataclass
class InputSpec:
    """An input to add: its name and kind, what it is read from, and how its quads are made.

    Exactly one of `write` (our readers: N-Quads lines into a sink), `direct` (a user's RDF file in a
    triple syntax, loaded as it is into `graphs[0]`) and `nquads` (N-Quads files of stigraph's own shapes,
    loaded as they are, their shared lines noted) is set.
    """

    name: str
    kind: str
    fingerprint: str
    sources: list[Path] = field(default_factory=list)
    options: dict = field(default_factory=dict)
    write: Callable[[Sink], list[str] | None] | None = None
    direct: tuple[Path, str] | None = None          # (file, LOAD_FORMATS key)
    nquads: list[Path] = field(default_factory=list)  # N-Quads files of stigraph's own shapes, loaded as they are
    graphs: list[str] = field(default_factory=list)  # known up front for direct inputs


class _CacheSink:
    """Receives an input's N-Quads lines: the shared graph's lines to one file, the rest to another."""

    def __init__(self, own: Path, shared: Path) -> None:
        self.own, self.shared = open(own, "w", encoding="utf-8"), open(shared, "w", encoding="utf-8")
        self.graphs: set[str] = set()
        self.count = 0
        self.shared_count = 0

    def __call__(self, line: str) -> None:
        if line.endswith(_SHARED_SUFFIX):
            self.shared.write(line)
            self.shared_count += 1
            return
        self.own.write(line)
        self.count += 1
        graph = line[line.rindex("<", 0, len(line) - 3) + 1:line.rindex(">")]
        self.graphs.add(graph)

    def close(self) -> None:
        for handle in (self.own, self.shared):
            handle.flush()
            os.fsync(handle.fileno())
            handle.close()


def _cache_name(name: str, digest: str, suffix: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_")[:60] or "input"
    return f"{CACHE_DIR}/{safe}-{digest[:16]}{suffix}"


def materialize(spec: InputSpec, store_path: Path, say: Callable[[str], None]) -> InputRecord:
    """Write an input's quads into the store's cache (reused when the same fingerprint is cached) → its record."""
    folder = store_path / CACHE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    notes: list[str] = []
    if spec.direct is not None:
        source, fmt = spec.direct
        target = _cache_name(spec.name, spec.fingerprint, Path(source).suffix.lower() or ".rdf")
        if not (store_path / target).exists():
            tmp = folder / f".tmp-{os.getpid()}-{Path(target).name}"
            shutil.copyfile(source, tmp)
            os.replace(tmp, store_path / target)
        files = [LoadFile(target, fmt, spec.graphs[0])]
        return InputRecord(name=spec.name, kind=spec.kind, graphs=list(spec.graphs), fingerprint=spec.fingerprint,
                           files=files, sources=[str(p) for p in spec.sources], options=spec.options,
                           added=now(), updated=now())
    if spec.nquads:
        return _materialize_nquads(spec, store_path)
    own_name, shared_name = _cache_name(spec.name, spec.fingerprint, ".nq"), _cache_name(spec.name, spec.fingerprint, ".shared.nq")
    tmp_own = folder / f".tmp-{os.getpid()}-{Path(own_name).name}"
    tmp_shared = folder / f".tmp-{os.getpid()}-{Path(shared_name).name}"
    sink = _CacheSink(tmp_own, tmp_shared)
    try:
        notes = (spec.write(sink) if spec.write else None) or []
    except BaseException:
        sink.close()
        tmp_own.unlink(missing_ok=True)
        tmp_shared.unlink(missing_ok=True)
        raise
    sink.close()
    os.replace(tmp_own, store_path / own_name)
    shared = None
    if sink.shared_count:
        os.replace(tmp_shared, store_path / shared_name)
        shared = shared_name
    else:
        tmp_shared.unlink(missing_ok=True)
    graphs = sorted(sink.graphs | set(spec.graphs))
    return InputRecord(name=spec.name, kind=spec.kind, graphs=graphs, fingerprint=spec.fingerprint,
                       files=[LoadFile(own_name)], shared=shared, sources=[str(p) for p in spec.sources],
                       options=spec.options, statements=sink.count + sink.shared_count, added=now(), updated=now(),
                       notes=list(notes))


_GRAPH_TERM = re.compile(rb"<([^<>\n]*)> \.\r?\n")
_LINE_END = b"> .\n"
_CHUNK = 64 << 20


def _graphs_in(block: bytes) -> set[bytes]:
    """The graph IRIs of a block of whole N-Quads lines: what follows the last '<' before each line's "> .".

    Splitting at line ends is C work, about 4x faster than a regular expression trying every '<'; a block
    with CR LF line ends takes the expression.
    """
    if b"\r" in block:
        return set(_GRAPH_TERM.findall(block))
    return {piece[piece.rfind(b"<") + 1:] for piece in block.split(_LINE_END)} - {b""}


def _shared_lines(block: bytes, suffix: bytes) -> list[bytes]:
    """The lines of a block that end with `suffix` (the shared graph's term), found by byte search."""
    found, at = [], block.find(suffix)
    while at >= 0:
        end = at + len(suffix)
        found.append(block[block.rfind(b"\n", 0, at) + 1:end])
        at = block.find(suffix, end)
    return found


def _link_or_copy(source: Path, target: Path) -> None:
    """A hard link where the file system allows (no bytes written: 218 MB took 1-2.7 s to copy here), else a copy.

    A link keeps the file as it was when the source is replaced by a new file (as installers, git and most
    editors save); a source rewritten in place would change the cached file too, until the next `build`
    sees its new fingerprint and reads it again.
    """
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _materialize_nquads(spec: InputSpec, store_path: Path) -> InputRecord:
    """Put stigraph's own N-Quads files into the cache as they are; note their graphs, statements and shared lines.

    The files are read in chunks searched as bytes (no Python work per line; 1M quads, 218 MB: about 0.9 s),
    with memory bounded by the chunk size.
    """
    folder = store_path / CACHE_DIR
    files, graphs, statements = [], set(), 0
    shared_name = _cache_name(spec.name, spec.fingerprint, ".shared.nq")
    tmp_shared = folder / f".tmp-{os.getpid()}-{Path(shared_name).name}"
    suffix = _SHARED_SUFFIX.encode()
    with open(tmp_shared, "wb") as shared:
        for number, source in enumerate(spec.nquads):
            target = _cache_name(spec.name, spec.fingerprint, f".{number}.nq")
            tmp = folder / f".tmp-{os.getpid()}-{Path(target).name}"
            _link_or_copy(source, tmp)
            with open(tmp, "rb") as handle:
                rest = b""
                for block in iter(lambda: handle.read(_CHUNK), b""):
                    block = rest + block
                    cut = block.rfind(b"\n") + 1
                    block, rest = block[:cut], block[cut:]
                    statements += block.count(b"\n")
                    graphs.update(_graphs_in(block))
                    shared.write(b"".join(_shared_lines(block, suffix)))
                if rest.strip():
                    raise UserError(f"{source}: the last line is cut off (no line end); not a complete N-Quads file")
            os.replace(tmp, store_path / target)
            files.append(LoadFile(target, "nq"))
    shared_graph = str(SOURCES_GRAPH).encode()
    has_shared = tmp_shared.stat().st_size > 0
    if has_shared:
        os.replace(tmp_shared, store_path / shared_name)
    else:
        tmp_shared.unlink()
    return InputRecord(name=spec.name, kind=spec.kind, graphs=sorted(g.decode() for g in graphs if g != shared_graph),
                       fingerprint=spec.fingerprint, files=files, shared=shared_name if has_shared else None,
                       sources=[str(p) for p in spec.sources], options=spec.options, statements=statements,
                       added=now(), updated=now())


# -- the kinds of input ----------------------------------------------------------------------------

def ontology_input() -> InputSpec:
    """The bundled ontology (OWL in Turtle), in graph/ontology."""
    path = ontology_path()
    return InputSpec("ontology", "ontology", fingerprint([path]), [path], direct=(path, "ttl"),
                     graphs=[str(ONTOLOGY_GRAPH)])


def registry_input(paths: list[Path] | None = None) -> InputSpec:
    """A curated registry (the bundled one unless `paths` gives YAML files or folders)."""
    from stigraph.loaders.registry.schema import default_registry_dir, registry_files

    bundled = not paths
    folders = [default_registry_dir()] if bundled else [Path(p).resolve() for p in paths]
    for folder in folders:
        if not folder.exists():
            raise UserError(f"{folder}: no such registry file or folder")

    def write(sink: Sink) -> None:
        from stigraph.loaders.registry.rdf import registry_quads
        from stigraph.loaders.registry.schema import load_registry

        for line in registry_quads(load_registry(folders)):
            sink(line)

    return InputSpec("registry", "registry", fingerprint(registry_files(folders), bundled=bundled), folders,
                     {"bundled": bundled}, write=write)


def nquads_input(name: str, kind: str, files: list[Path]) -> InputSpec:
    """N-Quads files of stigraph's own shapes, loaded with their named graphs (the shared sources graph noted)."""
    files = [Path(f) for f in files]
    return InputSpec(name, kind, fingerprint(files), files, nquads=files)


def derived_input() -> InputSpec:
    """The bundled facts extracted from the seed documents (stigraph/data/derived/*.nq)."""
    return nquads_input("derived", "derived", sorted(DERIVED_DIR.glob("*.nq")))


def document_input(path: Path, registry_paths: list[Path] | None = None, kind: str = "all",
                   tokenizer: str = "rules") -> InputSpec:
    """A document (text or PDF) run through the extractors, resolved against the store's registry."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"{path}: no such file")
    from stigraph.extract import graph_for

    registry = [str(Path(p).resolve()) for p in registry_paths] if registry_paths else []

    def write(sink: Sink) -> list[str]:
        from stigraph.extract import extract_file, extraction_quads

        result = extract_file(path, kind=kind, registry_dir=registry[0] if registry else None, tokenizer=tokenizer)
        for line in extraction_quads(result):
            sink(line)
        return [f"{len(result.budgets)} budget lines, {len(result.measures)} measures, "
                f"{len(result.mentions)} mentions, {len(result.unread)} unread"]

    stem = path.stem
    return InputSpec(f"doc/{stem}", "document", fingerprint([path], kind=kind, tokenizer=tokenizer, registry=registry),
                     [path.resolve()], {"kind": kind, "tokenizer": tokenizer, "registry": registry},
                     write=write, graphs=[graph_for(stem)])


def import_name(path: Path, graph: str | None = None) -> tuple[str, str]:
    """(input name, named graph IRI) of an import: from `graph` (a short name or an IRI) or the file name.

    Non-ASCII names stay distinct (percent-encoded), so 日本語.ttl and 中文.ttl never share a graph.

    >>> import_name(Path("My Data.ttl"))
    ('import/my-data', 'https://w3id.org/stigraph/graph/import/my-data')
    >>> import_name(Path("日本語.ttl"))[0]
    'import/%E6%97%A5%E6%9C%AC%E8%AA%9E'
    """
    if graph and "://" in graph:
        try:
            value = ox.NamedNode(graph).value
        except ValueError as exc:
            raise UserError(f"graph {graph!r} is not a valid IRI ({exc})") from None
        return f"import/{iri_segment(value)}", value
    if graph:
        if not re.match(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$", graph) or len(graph) > 200:
            raise UserError(f"graph {graph!r}: give an IRI (https://...) or a short name of letters, digits, ., -, _ and /")
        name = graph
    else:
        stem = path.stem.lower()
        name = re.sub(r"[\s_]+", "-", stem)
        name = "".join(c if re.match(r"[a-z0-9.-]", c) else iri_segment(c) for c in name).strip("-.") or "data"
    return f"import/{name}", graph_iri(f"import/{name}")


def import_input(paths: list[Path], name: str, graph: str) -> InputSpec:
    """The user's RDF or CSV files as one input in one named graph."""
    from stigraph.loaders.files import SUFFIXES

    for path in paths:
        if not path.is_file():
            raise UserError(f"{path}: no such file")
        if path.suffix.lower() not in SUFFIXES:
            raise UserError(f"{path}: unknown file type {path.suffix or '(none)'!r}; use one of {', '.join(SUFFIXES)}")
    from stigraph.loaders.files import check_input_size

    for path in paths:
        check_input_size(path)
    formats = [_SUFFIX_FORMATS.get(p.suffix.lower(), "csv") for p in paths]
    print_name = ", ".join(p.name for p in paths)
    if len(paths) == 1 and formats[0] in _TRIPLE_FORMATS:
        return InputSpec(name, "import", fingerprint(paths), [p.resolve() for p in paths], {"files": print_name},
                         direct=(paths[0], formats[0]), graphs=[graph])

    def write(sink: Sink) -> None:
        from stigraph.loaders.files import csv_quads, rdf_triples

        target = ox.NamedNode(graph)
        for path, fmt in zip(paths, formats):
            if fmt == "csv":
                for line in csv_quads(path, graph, scope=name):
                    sink(line)
                continue
            batch: list[ox.Quad] = []
            for triple in rdf_triples(path):
                batch.append(ox.Quad(triple.subject, triple.predicate, triple.object, target))
                if len(batch) >= 10_000:
                    _sink_batch(sink, batch)
            _sink_batch(sink, batch)

    return InputSpec(name, "import", fingerprint(paths), [p.resolve() for p in paths], {"files": print_name},
                     write=write, graphs=[graph])


def _sink_batch(sink: Sink, batch: list[ox.Quad]) -> None:
    if batch:
        for line in ox.serialize(batch, format=ox.RdfFormat.N_QUADS).decode("utf-8").splitlines(keepends=True):
            sink(line)
        batch.clear()


def findings_input(analysis: str, nquads: bytes, parameters: str = "") -> InputSpec:
    """An analysis' findings (already written as N-Quads by stigraph.graph.analysis.derived_quads)."""
    digest = hashlib.sha256(nquads).hexdigest()

    def write(sink: Sink) -> None:
        for line in nquads.decode("utf-8").splitlines(keepends=True):
            sink(line)

    return InputSpec(f"findings/{analysis}", "findings", digest, [], {"parameters": parameters}, write=write)


def default_inputs(registry_paths: list[Path] | None = None, include_derived: bool = True) -> list[InputSpec]:
    """What a first `stigraph build` loads: the ontology, the registry and (unless left out) the derived facts."""
    specs = [ontology_input(), registry_input(registry_paths)]
    if include_derived:
        specs.append(derived_input())
    return specs


def dataset_inputs(paths: list[Path]) -> list[InputSpec]:
    """One input per part of a recognised dataset (e.g. one review-sheet year); [] when the files are none."""
    try:
        from stigraph.loaders.datasets import dataset_parts
    except ImportError:  # no dataset readers installed in this version
        return []
    parts = dataset_parts([Path(p) for p in paths]) or []

    def writer(part):
        def write(sink: Sink) -> list[str]:
            return part.write(sink).lines(limit=20)
        return write

    return [InputSpec(part.name, "dataset", part.fingerprint, list(part.sources), write=writer(part),
                      graphs=[part.graph]) for part in parts]


def spec_nquads(spec: InputSpec) -> bytes:
    """All quads of an input as one N-Quads text (for in-memory graphs in tests and notebooks)."""
    if spec.direct is not None:
        source, fmt = spec.direct
        db = ox.Store()
        db.load(path=str(source), format=LOAD_FORMATS[fmt], to_graph=ox.NamedNode(spec.graphs[0]))
        return db.dump(format=ox.RdfFormat.N_QUADS)
    if spec.nquads:
        return b"".join(path.read_bytes() for path in spec.nquads)
    lines: list[str] = []
    if spec.write:
        spec.write(lines.append)
    return "".join(dict.fromkeys(lines)).encode("utf-8")


def collect_quads(registry_paths: list[Path] | None = None, include_derived: bool = True) -> list[bytes]:
    """The N-Quads of what a first build loads, one chunk per input (for `StiGraph.from_nquads`).

    >>> b"ontology#Agency" in b"".join(collect_quads())
    True
    """
    return [spec_nquads(spec) for spec in default_inputs(registry_paths, include_derived)]
