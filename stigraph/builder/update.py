"""The one way the store changes: `update(store, add=..., remove=...)`, incremental, validated and atomic.

1. Read what each added input states into the store's cache (`STORE/inputs/`, content-addressed).
2. Make the next generation: a RocksDB checkpoint of the current one (hard links, `Store.backup`), with
   the graphs of removed or replaced inputs dropped and the added inputs bulk-loaded from the cache
   (`full=True`, or a store with no generation yet: a fresh generation with every input loaded).
3. Check the SHACL shapes on the nodes the change touched (every node on a full build), on disk.
4. Write the generation's manifest, then swap `current` with one rename.

A failure or a kill before the swap leaves the previous generation answering and its manifest
unchanged; what was left half-made (a generation folder, cache files no manifest needs) is removed,
and named, by the next update.
"""
from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from stigraph.builder.background import Preload, beside
from stigraph.builder.inputs import LOAD_FORMATS, InputSpec
from stigraph.builder.reading import read_inputs
from stigraph.builder.summary import BuildSummary, summarize
from stigraph.errors import UserError
from stigraph.ontology.vocabulary import SOURCES_GRAPH
from stigraph.sparql.internal import internal_query
from stigraph.store import generations as gens
from stigraph.store.manifest import InputRecord, LoadFile, Manifest, read_manifest, referenced_files, write_manifest
from stigraph.validation.incremental import ChangeFile, check_change, touched_subjects

LARGE_CHANGE = 400_000
"""Quads added or removed above which a change is checked split by subject into parts, one part at a time in
memory (bounded), instead of wholly in memory (faster: no split; ~0.7 KB a quad, so at most ~300 MB here);
either way beside the load. Files loaded as given are estimated at 100 bytes a statement."""
DELETE_COST = 3
"""How many quads RocksDB loads in the time it deletes one (measured: 200k quads deleted in 5.0 s, loaded in 1.6 s)."""
FAILPOINT_ENV = "STIGRAPH_FAILPOINT"
"""Crash tests set this to a phase name; the update then stops there (see `_failpoint`) to be killed."""

Say = Callable[[str], None]


@dataclass
class UpdateSummary:
    """What an update did: inputs added, replaced and removed, and the resulting store."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    full: bool = False
    build: BuildSummary | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.replaced or self.removed or self.full)

    def as_dict(self) -> dict:
        return {"added": self.added, "replaced": self.replaced, "removed": self.removed, "unchanged": self.unchanged,
                "full": self.full, "notes": self.notes, "build": self.build.as_dict() if self.build else None}


def current_manifest(store_path: Path) -> Manifest | None:
    """The manifest of the generation that answers now; None if nothing is built (or built by stigraph 0.1)."""
    link = store_path / gens.CURRENT
    if not link.exists():
        return None
    return read_manifest(link.resolve())


def update(store: str | Path | None = None, add: Iterable[InputSpec] = (), remove: Iterable[str] = (), *,
           full: bool = False, validate: bool = True, progress: Say | None = None,
           wait_for_lock: bool = False, compact: bool = False) -> UpdateSummary:
    """Add, replace (same name) and remove inputs of the store in one atomic, validated step.

    `compact=True` compacts the new generation before it is swapped in (RocksDB compaction, as Oxigraph's
    `optimize`): queries on a 1M-quad full build answered ~25% faster, the build ~20% slower. Off by default,
    as Oxigraph's own bulk load leaves it to a separate step.

    >>> from stigraph.builder.inputs import default_inputs
    >>> import tempfile
    >>> update(tempfile.mkdtemp(), add=default_inputs()).build.entities["Agency"] > 0
    True
    """
    started = time.perf_counter()
    store_path = gens.resolve_store_path(store)
    say = progress or (lambda _msg: None)
    add, remove = list(add), list(dict.fromkeys(remove))
    names = [spec.name for spec in add]
    if len(set(names)) != len(names):
        raise UserError(f"two inputs of one update share a name: {', '.join(sorted({n for n in names if names.count(n) > 1}))}")
    if not gens.store_exists_or_creatable(store_path):
        raise UserError(f"{store_path}: cannot create the store here (its parent folder does not exist)")
    with gens.build_lock(store_path, wait=wait_for_lock):
        old = current_manifest(store_path)
        for message in gens.clean(store_path, keep=referenced_files(old) if old else None):
            say(message)
        if old is None and (store_path / gens.CURRENT).exists():
            full = True  # a store of stigraph 0.1 has no manifest: rebuild it from what is given
            say("this store has no inputs manifest (built by stigraph 0.1): rebuilding it in full")
        old = old or Manifest()
        summary = UpdateSummary(full=full or not (store_path / gens.CURRENT).exists())
        missing = [name for name in remove if old.get(name) is None and name not in names]
        if missing:
            listing = ", ".join(old.names()) or "none"
            raise UserError(f"no input named {', '.join(map(repr, missing))} in {store_path}; its inputs: {listing}")
        records = [r for r in old.inputs if r.name not in remove]
        dropped = [r for r in old.inputs if r.name in remove]
        summary.removed = [r.name for r in dropped]
        fresh: list[InputRecord] = []
        current = {r.name: r.fingerprint for r in records}
        to_read = [s for s in add if summary.full or current.get(s.name) != s.fingerprint]
        summary.unchanged = [s.name for s in add if s not in to_read]
        generation = gens.new_generation_path(store_path)
        own = [s for s in to_read if s.nquads]
        preload = Preload(generation, own, validate) if summary.full and own else None
        try:
            read = read_inputs(to_read, store_path, say, forked=preload.start if preload else None)
        except BaseException:
            if preload:
                preload.close()
                shutil.rmtree(generation, ignore_errors=True)
            raise
        for spec, record in zip(to_read, read):
            previous = next((r for r in records if r.name == spec.name), None)
            if previous is not None:
                record.added = previous.added
                records = [record if r.name == spec.name else r for r in records]
                dropped.append(previous)
                summary.replaced.append(spec.name)
            else:
                records.append(record)
                summary.added.append(spec.name)
            fresh.append(record)
        _failpoint("read")
        summary.notes = [note if note.startswith(f"{r.name}: ") else f"{r.name}: {note}" for r in fresh for note in r.notes]
        if not summary.changed:
            summary.build = None
            return summary
        db = None
        try:
            _check_graph_owners(records)
            manifest = Manifest(inputs=records)
            if summary.full:
                db = _full_generation(store_path, generation, fresh, records, validate, say, preload)
            else:
                db = _next_generation(store_path, generation, dropped, fresh, records, validate, say)
            db.flush()
            summary.build = beside(db.optimize if compact else None, lambda: summarize(db, store_path))
            db = None  # closes RocksDB before the swap
            if preload:
                preload.close()
            _failpoint("flush")
            write_manifest(generation, manifest)
            _failpoint("manifest")
        except BaseException:
            db = None
            if preload:
                preload.close()
            shutil.rmtree(generation, ignore_errors=True)
            gens.manifest_file(generation).unlink(missing_ok=True)
            raise
        gens.swap_current(store_path, generation)  # the one step that makes the change visible
        _failpoint("swap")
        for message in gens.clean(store_path, keep=referenced_files(manifest)):
            say(message)
    summary.build.seconds = time.perf_counter() - started
    return summary


def _failpoint(phase: str) -> None:
    """Hold still at `phase` when STIGRAPH_FAILPOINT names it, so a crash test can kill the process exactly there."""
    if os.environ.get(FAILPOINT_ENV) == phase:
        print(f"failpoint {phase}", file=sys.stderr, flush=True)
        time.sleep(600)


def _check_graph_owners(records: list[InputRecord]) -> None:
    """Two inputs never own the same named graph: removing one would silently take the other's facts."""
    owner: dict[str, str] = {}
    for record in records:
        for graph in record.graphs:
            if graph in owner and owner[graph] != record.name:
                raise UserError(f"inputs {owner[graph]!r} and {record.name!r} would both write graph <{graph}>; "
                                f"import into another graph (give it a name) or remove {owner[graph]!r} first")
            owner[graph] = record.name


def _load(db: ox.Store, store_path: Path, records: list[InputRecord], say: Say, lenient: bool = False) -> None:
    """Bulk-load the records' cached files; `lenient` skips Oxigraph's IRI checks, for files that are (or were)
    parsed strictly elsewhere (about a third faster)."""
    for record in records:
        for file in record.files:
            path = store_path / file.path
            size = path.stat().st_size
            if size > 50_000_000:
                say(f"loading {record.name}: {size / 1e6:,.0f} MB")
            try:
                db.bulk_load(path=str(path), format=LOAD_FORMATS[file.format],
                             to_graph=ox.NamedNode(file.to_graph) if file.to_graph else None,
                             base_iri=_base_iri(record, file),
                             lenient=lenient)
            except SyntaxError as exc:
                raise UserError(f"{_where(record)}: not valid RDF: {str(exc).splitlines()[0]}") from None


def _where(record: InputRecord) -> str:
    """How messages name an input: the user's file, else the input's name."""
    return record.sources[0] if record.sources else record.name


def _base_iri(record: InputRecord, file: LoadFile) -> str | None:
    """Relative IRIs of a user's file loaded as given resolve against the file's own location."""
    return Path(record.sources[0]).as_uri() if record.sources and file.to_graph else None


def _count_direct(db: ox.Store, records: list[InputRecord]) -> None:
    """Count the statements of inputs loaded as the user gave them (our own readers count while they write);
    an empty file is refused."""
    for record in records:
        if not any(f.to_graph for f in record.files):
            continue
        # Rows are read to plain values here: query results must not outlive this (loader) thread.
        record.statements = sum(int(row["n"].value)
                                for row in db.query(internal_query("graph-size", ("g",), [(g,) for g in record.graphs])))
        if not record.statements:
            raise UserError(f"{_where(record)}: no statements in this file; nothing to import")


def _hold_literal_limit(db: ox.Store, records: list[InputRecord], longest: dict[str, tuple[int, str]]) -> None:
    """Hold inputs loaded as the user gave them to what our readers check while writing: no literal over the
    size limit. `longest` has each file's longest literal when the check parsed it; else the store is asked."""
    from stigraph import limits

    limit = limits.get("max_literal_chars")
    for record in records:
        if not any(f.to_graph for f in record.files):
            continue
        where = _where(record)
        if where in longest:
            length, subject = longest[where]
            hits = [subject] if length > limit else []
        else:
            query = internal_query("long-literal", ("g", "limit"), [(g, limit) for g in record.graphs])
            hits = [str(row["s"]) for row in db.query(query)]
        if hits:
            raise UserError(f"{where}: a literal of more than {limit:,} characters (on {hits[0]}); "
                            f"{limits.describe('max_literal_chars')}")


def _load_shared(db: ox.Store, store_path: Path, records: list[InputRecord]) -> None:
    for record in records:
        if record.shared:
            db.bulk_load(path=str(store_path / record.shared), format=ox.RdfFormat.N_QUADS)


def _full_generation(store_path: Path, generation: Path, fresh: list[InputRecord], records: list[InputRecord],
                     validate: bool, say: Say, preload: Preload | None = None) -> ox.Store:
    """A fresh generation with every input loaded (in a thread) while every node is checked against the shapes,
    the inputs' files split by subject into parts checked one at a time (stigraph.validation.chunked).
    What `preload` began loading while the inputs were read is finished first."""
    say(f"loading {len(records)} inputs into a new generation")
    db = preload.store() if preload else ox.Store(str(generation))
    fresh_names = {r.name for r in fresh}
    loaded = preload.names if preload else set()

    def disk() -> None:
        if preload:
            preload.join()
        _load(db, store_path, [r for r in records if r.name not in fresh_names], say, lenient=True)
        # Lenient when the check meanwhile parses the same files strictly.
        _load(db, store_path, [r for r in records if r.name in fresh_names - loaded], say, lenient=validate)
        _count_direct(db, fresh)
        _load_shared(db, store_path, records)

    longest: dict[str, tuple[int, str]] = {}

    def check():
        say("validating every node against the SHACL shapes")
        # Each part sees the class hierarchy (the ontology) as context, as a change sees the store's.
        ontology = ox.Store()
        _load(ontology, store_path, [r for r in records if r.kind == "ontology"], say)
        return _check_large(store_path, ontology, records, records, [], len(ontology), say, longest)

    report = beside(disk, check if validate else None)
    _failpoint("load")
    _hold_literal_limit(db, fresh, longest)
    if validate:
        _refuse(report)
    return db


def _next_generation(store_path: Path, generation: Path, dropped: list[InputRecord], fresh: list[InputRecord],
                     records: list[InputRecord], validate: bool, say: Say) -> ox.Store:
    """The current generation's checkpoint with `dropped` taken out and `fresh` loaded, checked meanwhile.

    The disk work runs in a thread (pyoxigraph releases the GIL) while the change is checked in memory
    against the store as it was (stigraph.validation.incremental).
    """
    before = gens.open_read_only(store_path)
    fresh_names = {r.name for r in fresh}
    kept = [r for r in records if r.name not in fresh_names]
    # Deleting a quad from RocksDB costs about three times loading one: when the change drops more than a
    # third of what stays, loading what stays into an empty generation is the cheaper way to the same graph.
    rebuild = sum(r.statements for r in dropped) * DELETE_COST > sum(r.statements for r in kept)
    if rebuild:
        say("loading the inputs that stay into a new generation")
        db = ox.Store(str(generation))
    else:
        say("checkpointing the current generation")
        before.backup(str(generation))
        db = ox.Store(str(generation))
    _failpoint("checkpoint")
    dropped_graphs = [g for r in dropped for g in r.graphs]
    reshare = any(r.shared for r in dropped)

    def disk() -> None:
        if rebuild:
            _load(db, store_path, kept, say, lenient=True)  # validated when they were added
        for graph in [] if rebuild else dropped_graphs:
            db.remove_graph(ox.NamedNode(graph))
        # Lenient when the same files are parsed strictly for the check meanwhile.
        _load(db, store_path, fresh, say, lenient=validate)
        _count_direct(db, fresh)
        if reshare and not rebuild:
            db.remove_graph(ox.NamedNode(str(SOURCES_GRAPH)))
        _load_shared(db, store_path, records if reshare or rebuild else fresh)

    large = _change_size(store_path, fresh) + sum(r.statements for r in dropped) > LARGE_CHANGE
    shared = records if reshare else fresh
    dropped_graphs_check = dropped_graphs + ([str(SOURCES_GRAPH)] if reshare else [])
    before_quads = sum(r.statements for r in kept) + sum(r.statements for r in dropped)

    longest: dict[str, tuple[int, str]] = {}

    def check():
        if large:
            say("validating the change against the SHACL shapes (a large change: a part at a time)")
            return _check_large(store_path, before, fresh, shared, dropped_graphs_check, before_quads, say, longest)
        say("validating the change against the SHACL shapes")
        return check_change(_change_files(store_path, fresh, shared), before, dropped_graphs_check,
                            before_quads=before_quads, longest_literals=longest)

    report = beside(disk, check if validate else None)
    _failpoint("load")
    _hold_literal_limit(db, fresh, longest)
    if validate:
        _refuse(report)
    return db


def _change_size(store_path: Path, records: list[InputRecord]) -> int:
    """Quads a change adds: counted by our readers, estimated from the file size for files loaded as given."""
    return sum(r.statements or sum((store_path / f.path).stat().st_size // 100 for f in r.files) for r in records)


def _change_files(store_path: Path, fresh: list[InputRecord], shared: list[InputRecord]) -> list[ChangeFile]:
    """The files a change loads, as the check reads them: each named as the user knows it."""
    files = [ChangeFile(store_path / f.path, LOAD_FORMATS[f.format], f.to_graph, _base_iri(r, f), _where(r))
             for r in fresh for f in r.files]
    return files + [ChangeFile(store_path / r.shared, ox.RdfFormat.N_QUADS) for r in shared if r.shared]


def _check_large(store_path: Path, before: ox.Store, fresh: list[InputRecord], shared: list[InputRecord],
                 dropped_graphs: list[str], before_quads: int, say: Say, longest: dict[str, tuple[int, str]]):
    """The shapes checked on a large change a part at a time (stigraph.validation.chunked): bounded memory."""
    from stigraph.validation.chunked import check_large_change

    dropped_predicates = [row[0].value for row in before.query(
        internal_query("dropped-predicates", ("g",), [(g,) for g in dropped_graphs]))] if dropped_graphs else []
    return check_large_change(_change_files(store_path, fresh, shared), before, dropped_graphs,
                              touched_subjects(before, dropped_graphs), dropped_predicates,
                              _change_size(store_path, fresh), before_quads, say, longest)


def _refuse(report) -> None:
    if not report.conforms:
        shown = "; ".join(v.line() for v in report.violations[:3])
        more = f" (and {len(report.violations) - 3} more; run `stigraph validate`)" if len(report.violations) > 3 else ""
        raise UserError(f"the new graph violates the SHACL shapes, store unchanged: {shown}{more}")
