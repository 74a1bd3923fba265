"""The inputs manifest: what a store generation was built from.

Each generation folder `gen-…` has a manifest `gen-….json` beside it, written before the generation is
swapped in, so the manifest that `current` leads to always describes exactly the graph that answers.
An input is one thing a user (or the bundled data) added: the ontology, a registry, a document, an
imported file, a dataset part (one review-sheet year), an analysis' findings. It owns named graphs, and
its quads are kept in the store's content-addressed cache (`inputs/`), so any generation can be rebuilt
without the original files.
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from stigraph.errors import StoreError

MANIFEST_FORMAT = 1
CACHE_DIR = "inputs"
INPUT_KINDS = ("ontology", "registry", "derived", "document", "import", "dataset", "findings")


@dataclass
class LoadFile:
    """One cached file of an input and how to load it (N-Quads of our own, or the user's RDF as given)."""

    path: str                        # relative to the store folder: inputs/<name>-<digest>.<ext>
    format: str = "nq"               # a key of stigraph.builder.inputs.LOAD_FORMATS
    to_graph: str | None = None      # for triple formats: the graph the triples go to


@dataclass
class InputRecord:
    """One input of the store, as the manifest keeps it."""

    name: str                        # unique: "registry", "doc/my_request", "import/mine", "rs/2025" …
    kind: str                        # one of INPUT_KINDS
    graphs: list[str]                # the named graphs it owns (removed with it)
    fingerprint: str                 # sha256 of what it was read from, with the reading options
    files: list[LoadFile]            # its own quads
    shared: str | None = None        # its share of the shared graph/sources (N-Quads), if any
    sources: list[str] = field(default_factory=list)   # absolute paths it was read from (may be gone later)
    options: dict = field(default_factory=dict)       # how it was read (extraction kind, tokenizer …)
    statements: int = 0              # quads written for it
    added: str = ""
    updated: str = ""
    notes: list[str] = field(default_factory=list)     # what the reader reported (rows left out …)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Manifest:
    """The inputs of one generation, in the order they were added."""

    inputs: list[InputRecord] = field(default_factory=list)
    updated: str = ""

    def get(self, name: str) -> InputRecord | None:
        return next((i for i in self.inputs if i.name == name), None)

    def names(self) -> list[str]:
        return [i.name for i in self.inputs]

    def as_dict(self) -> dict:
        return {"format": MANIFEST_FORMAT, "updated": self.updated, "inputs": [i.as_dict() for i in self.inputs]}


def now() -> str:
    """The current UTC time as an ISO string (second precision)."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def manifest_path(generation: Path) -> Path:
    """The manifest file that describes a generation folder."""
    return generation.with_name(generation.name + ".json")


def read_manifest(generation: Path) -> Manifest | None:
    """The manifest of a generation; None for a generation built before manifests existed.

    >>> read_manifest(Path("/nonexistent/gen-1")) is None
    True
    """
    path = manifest_path(generation)
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != MANIFEST_FORMAT:
            raise ValueError(f"unknown manifest format {data.get('format')!r}")
        inputs = []
        for raw in data["inputs"]:
            raw = dict(raw)
            raw["files"] = [LoadFile(**f) for f in raw.get("files", [])]
            inputs.append(InputRecord(**raw))
        return Manifest(inputs=inputs, updated=data.get("updated", ""))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise StoreError(f"{path}: unreadable inputs manifest ({exc}); rebuild with `stigraph build --full`") from None


def write_manifest(generation: Path, manifest: Manifest) -> Path:
    """Write a generation's manifest atomically (temp file, fsync, rename)."""
    path = manifest_path(generation)
    tmp = path.with_name(f".{path.name}.tmp")
    manifest.updated = now()
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(manifest.as_dict(), handle, ensure_ascii=False, indent=1)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    return path


def referenced_files(manifest: Manifest) -> set[str]:
    """The cache files (relative paths) a manifest needs."""
    out: set[str] = set()
    for record in manifest.inputs:
        out.update(f.path for f in record.files)
        if record.shared:
            out.add(record.shared)
    return out
