"""What users do to a store — build, import, remove, write findings back — each one call of `update`.

`build` brings every input of the manifest up to date with its source (a first build adds the
ontology, the bundled registry and the bundled derived facts); `import_files` and `add_documents` add
inputs; `remove_inputs` takes them away; `add_findings` keeps an analysis' results as an input.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from stigraph.builder import inputs as specs
from stigraph.builder.update import UpdateSummary, current_manifest, update
from stigraph.errors import UserError
from stigraph.store import generations as gens
from stigraph.store.manifest import InputRecord, Manifest

Say = Callable[[str], None]


def registry_paths_of(manifest: Manifest | None) -> list[Path] | None:
    """The registry folders a store was built from; None for the bundled registry."""
    record = manifest.get("registry") if manifest else None
    if record is None or record.options.get("bundled", True):
        return None
    return [Path(p) for p in record.sources]


def refreshed(record: InputRecord, registry_paths: list[Path] | None) -> specs.InputSpec | None:
    """The spec that re-reads an input from its sources, or None when they are gone (the cache stays)."""
    sources = [Path(p) for p in record.sources]
    if record.kind == "ontology":
        return specs.ontology_input()
    if record.kind == "registry":
        if record.options.get("bundled", True):
            return specs.registry_input(None)
        return specs.registry_input(sources) if all(p.exists() for p in sources) else None
    if record.kind == "derived":
        return specs.derived_input()
    if not sources or not all(p.is_file() for p in sources):
        return None
    if record.kind == "document":
        return specs.document_input(sources[0], registry_paths, record.options.get("kind", "all"),
                                    record.options.get("tokenizer", "rules"))
    if record.kind == "import":
        return specs.import_input(sources, record.name, record.graphs[0])
    if record.kind == "dataset":
        return next((s for s in specs.dataset_inputs(sources) if s.name == record.name), None)
    return None  # findings: computed, kept as they were


def build(store: str | Path | None = None, registry: list[Path] | None = None, include_derived: bool | None = None,
          docs: list[Path] | None = None, full: bool = False, progress: Say | None = None,
          wait_for_lock: bool = False, validate: bool = True, compact: bool = False) -> UpdateSummary:
    """Bring the store up to date with its inputs, adding `docs`; a first build adds the bundled data.

    `registry` replaces the store's registry (remembered by later builds and imports); `include_derived`
    True/False adds/removes the bundled derived facts (None: as before; on a new store, added).
    `full=True` builds a fresh generation from every input instead of changing the current one;
    `compact=True` compacts the new generation (faster queries, slower build; see `update`).

    >>> import tempfile
    >>> build(tempfile.mkdtemp()).build.entities["Agency"] > 0
    True
    """
    store_path = gens.resolve_store_path(store)
    manifest = current_manifest(store_path)
    names = manifest.names() if manifest else []
    registry_paths = [Path(p) for p in registry] if registry else registry_paths_of(manifest)
    wanted = [specs.ontology_input(), specs.registry_input(registry_paths)]
    derived = include_derived if include_derived is not None else (not manifest or "derived" in names)
    if derived:
        wanted.append(specs.derived_input())
    registry_changed = bool(registry) and registry_paths != registry_paths_of(manifest)
    for record in manifest.inputs if manifest else []:
        if record.name in ("ontology", "registry", "derived"):
            continue
        spec = refreshed(record, registry_paths)
        if spec is not None and (spec.fingerprint != record.fingerprint or registry_changed):
            wanted.append(spec)
    for doc in docs or []:
        spec = specs.document_input(Path(doc), registry_paths)
        wanted = [w for w in wanted if w.name != spec.name] + [spec]
    remove = ["derived"] if include_derived is False and "derived" in names else []
    return update(store_path, add=wanted, remove=remove, full=full, progress=progress,
                  wait_for_lock=wait_for_lock, validate=validate, compact=compact)


def import_files(paths: list[str | Path], store: str | Path | None = None, graph: str | None = None,
                 progress: Say | None = None) -> UpdateSummary:
    """Add the user's RDF/CSV files (one input per file, or all in `graph`) or dataset files to the store.

    A file already imported from the same path is replaced; another file whose name would give the same
    input name gets a numbered name instead of overwriting it. Review-sheet data (RS) is recognised by its
    header rows and becomes one input per sheet year.
    """
    if not paths:
        raise UserError("give one or more files to import (.ttl, .nt, .nq, .trig, .jsonld, .rdf, .csv, RS .zip)")
    files = [Path(p) for p in paths]
    for path in files:
        if not path.is_file():
            raise UserError(f"{path}: no such file")
    store_path = gens.resolve_store_path(store)
    if not (store_path / gens.CURRENT).exists():
        raise UserError(f"{store_path}: no graph built here yet; run `stigraph build` first")
    manifest = current_manifest(store_path) or Manifest()
    datasets = specs.dataset_inputs(files)
    if datasets:
        return update(store_path, add=datasets, progress=progress)
    added: list[specs.InputSpec] = []
    if graph:
        name, iri = specs.import_name(files[0], graph)
        added.append(specs.import_input(files, name, iri))
    else:
        taken = {r.name: r for r in manifest.inputs}
        for path in files:
            name, iri = specs.import_name(path)
            base, number = name, 1
            while (name in taken and taken[name].sources != [str(path.resolve())]) or any(a.name == name for a in added):
                number += 1
                name, iri = specs.import_name(path, f"{base.removeprefix('import/')}-{number}")
            added.append(specs.import_input([path], name, iri))
    return update(store_path, add=added, progress=progress)


def remove_inputs(names: list[str], store: str | Path | None = None, progress: Say | None = None) -> UpdateSummary:
    """Take inputs (by name, as `list_inputs` shows them) out of the store, with all their graphs."""
    if not names:
        raise UserError("give the name of an input to remove (see `stigraph inputs`)")
    return update(store, remove=names, progress=progress)


def add_findings(findings: dict[str, bytes], store: str | Path | None = None,
                 progress: Say | None = None) -> UpdateSummary:
    """Keep analysis findings (analysis name -> N-Quads) as inputs; each replaces that analysis' earlier ones."""
    return update(store, add=[specs.findings_input(name, data) for name, data in sorted(findings.items())],
                  progress=progress)


def list_inputs(store: str | Path | None = None) -> list[InputRecord]:
    """The inputs of the generation that answers now, in the order they were added."""
    store_path = gens.resolve_store_path(store)
    gens.current_generation(store_path)  # StoreError when nothing is built
    manifest = current_manifest(store_path)
    return manifest.inputs if manifest else []


def format_inputs(records: list[InputRecord]) -> str:
    """A table for people: one input a line with kind, statements, graphs, when added and its sources.

    >>> format_inputs([])
    'no inputs recorded (a store built by stigraph 0.1: run `stigraph build --full`)'
    """
    if not records:
        return "no inputs recorded (a store built by stigraph 0.1: run `stigraph build --full`)"
    rows = [("name", "kind", "statements", "graphs", "added", "from")]
    for r in records:
        source = ", ".join(Path(s).name for s in r.sources[:3]) + (" …" if len(r.sources) > 3 else "")
        if r.options.get("bundled"):
            source = "(bundled)"
        rows.append((r.name, r.kind, f"{r.statements:,}" if r.statements else "-", str(len(r.graphs)),
                     r.added[:19].replace("T", " "), source or "-"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows)
