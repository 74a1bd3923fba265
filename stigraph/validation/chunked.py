"""SHACL checks of a change too large to hold in memory at once (a year of review-sheet data: 2M+ quads).

The change's files are split by subject (a hash of the subject term) into parts of about `CHUNK_QUADS`
quads, so that each node's own statements land in one part; every rdf:type statement of the change also goes
into a compact index, so that a part can see the classes of nodes it points at in other parts. Each
part is then checked as `stigraph.validation.incremental.check_change` checks a small change: in memory,
with its context from the store as it was. Memory follows the part, not the change; reading files is
cheaper than reading the change back from RocksDB (about 9 µs a quad there).
"""
from __future__ import annotations

import bisect
import tempfile
import zlib
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from stigraph.errors import UserError
from stigraph.ontology.vocabulary import shapes_path
from stigraph.sparql.internal import internal_query
from stigraph.validation.incremental import CONTEXT_GRAPH, add_context, shape_predicates
from stigraph.validation.report import ValidationReport
from stigraph.validation.shacl_fast import RDF_TYPE, ShapeChecker, report_of

CHUNK_QUADS = 250_000
"""About how many quads of the change are checked together."""
_TYPE_TOKEN = f"<{RDF_TYPE}>".encode()
_MASK = (1 << 64) - 1


@dataclass
class ChangeFile:
    """One file the change loads: N-Quads written by stigraph, or a user's RDF file loaded into `to_graph`."""

    path: Path
    format: ox.RdfFormat
    to_graph: str | None = None
    base_iri: str | None = None
    label: str = ""                 # how errors name the file (the user's own path)


def check_large_change(files: list[ChangeFile], before: ox.Store, dropped_graphs: Iterable[str] = (),
                       dropped_subjects: Iterable[ox.NamedNode] = (), dropped_predicates: Iterable[str] = (),
                       quads_hint: int = 0, before_quads: int | None = None,
                       progress: Callable[[str], None] | None = None) -> ValidationReport:
    """The shapes' results for the subjects of `files` and `dropped_subjects`, as they will be after the change.

    `before` is the store as it is now, `dropped_graphs` the graphs the change removes; `quads_hint` (the
    change's size, if known) sets how many parts the files are split into. A user's file that does not
    parse raises a UserError naming the file and its line.
    """
    dropped = set(dropped_graphs)
    parts = max(1, -(-quads_hint // CHUNK_QUADS))
    with tempfile.TemporaryDirectory(prefix="stigraph-check-") as scratch:
        split = _Split(Path(scratch), parts)
        for file in files:
            split.add(file)
        split.close()
        used = {token[1:-1].decode() for token in split.predicates} | set(dropped_predicates)
        if not used & shape_predicates():
            return ValidationReport(conforms=True, violations=[], warnings=[], triples=split.quads)
        by_part: dict[int, set[ox.NamedNode]] = {}
        for node in dropped_subjects:
            by_part.setdefault(_part_of(f"<{node.value}>".encode(), parts), set()).add(node)
        checker, reports = ShapeChecker(shapes_path()), []
        for index in range(parts):
            if progress and parts > 1:
                progress(f"checking part {index + 1} of {parts} of the change")
            reports.append(_check_part(split, index, checker, before, by_part.get(index, set()), dropped,
                                       before_quads))
    return ValidationReport(conforms=all(r.conforms for r in reports),
                            violations=[v for r in reports for v in r.violations],
                            warnings=[w for r in reports for w in r.warnings], triples=split.quads)


def _part_of(subject: bytes, parts: int) -> int:
    return zlib.crc32(subject) % parts


class _Split:
    """The change's statements as N-Quads parts by subject, and its rdf:type statements in a compact index."""

    def __init__(self, folder: Path, parts: int) -> None:
        self.folder, self.parts = folder, parts
        self.outputs = [open(folder / f"part-{i}.nq", "wb") for i in range(parts)]  # noqa: SIM115 - closed in close()
        self.types = _TypeIndex()
        self.predicates: set[bytes] = set()     # as written: <iri>
        self.quads = 0

    def add(self, file: ChangeFile) -> None:
        if file.format == ox.RdfFormat.N_QUADS and file.to_graph is None:
            self._add_lines(file.path)  # stigraph's own N-Quads: one statement per line, parsed when a part loads
            return
        # A user's file: parsed here (strictly, so errors name its own lines), written out as N-Quads lines.
        normalized = self.folder / "normalized.nq"
        graph = ox.NamedNode(file.to_graph) if file.to_graph else None
        quads = ox.parse(path=str(file.path), format=file.format, base_iri=file.base_iri)
        try:
            with open(normalized, "wb") as out:
                ox.serialize((ox.Quad(q.subject, q.predicate, q.object, graph) if graph else q for q in quads),
                             out, ox.RdfFormat.N_QUADS)
        except SyntaxError as exc:
            raise UserError(f"{file.label or file.path}: not valid RDF: {str(exc).splitlines()[0]}") from None
        self._add_lines(normalized)
        normalized.unlink()

    def _add_lines(self, path: Path) -> None:
        with open(path, "rb") as source:
            for line in source:
                terms = line.split(None, 2)
                if len(terms) < 3 or terms[0].startswith(b"#"):
                    continue
                self.outputs[_part_of(terms[0], self.parts)].write(line)
                self.predicates.add(terms[1])
                self.quads += 1
                if terms[1] == _TYPE_TOKEN and terms[2].startswith(b"<"):
                    self.types.add(terms[0], terms[2].split(None, 1)[0])

    def close(self) -> None:
        for output in self.outputs:
            output.close()
        self.types.freeze()


class _TypeIndex:
    """The classes the change gives its nodes, in little memory (a sheet year types 320,000 nodes, ten years
    3.2 million): a sorted array of 64-bit hashes of the subjects beside an array of class numbers.

    Two subjects with the same hash would share their classes; at 2^64 hashes that is about one chance in
    a million for ten sheet years, and it could only hide a missing class, never invent a violation.
    """

    def __init__(self) -> None:
        self.classes: list[str] = []
        self._numbers: dict[bytes, int] = {}
        self._pairs: list[int] = []          # while adding: hash << 16 | class number
        self._hashes, self._kinds = array("Q"), array("H")

    def add(self, subject: bytes, cls: bytes) -> None:
        number = self._numbers.get(cls)
        if number is None:
            number = self._numbers[cls] = len(self.classes)
            self.classes.append(cls[1:-1].decode())
        self._pairs.append((hash(subject) & _MASK) << 16 | number)

    def freeze(self) -> None:
        self._pairs.sort()
        self._hashes = array("Q", (pair >> 16 for pair in self._pairs))
        self._kinds = array("H", (pair & 0xFFFF for pair in self._pairs))
        self._pairs = []

    def classes_of(self, node: ox.NamedNode) -> list[str]:
        key = hash(f"<{node.value}>".encode()) & _MASK
        found, index = [], bisect.bisect_left(self._hashes, key)
        while index < len(self._hashes) and self._hashes[index] == key:
            found.append(self.classes[self._kinds[index]])
            index += 1
        return found


def _check_part(split: _Split, index: int, checker: ShapeChecker, before: ox.Store, also: set[ox.NamedNode],
                dropped: set[str], before_quads: int | None) -> ValidationReport:
    part = ox.Store()
    part.load(path=str(split.folder / f"part-{index}.nq"), format=ox.RdfFormat.N_QUADS)
    nodes = {row[0] for row in part.query(internal_query("graph-subjects"))} | also
    rdf_type = ox.NamedNode(RDF_TYPE)
    # Classes of the nodes this part points at that the change itself types (in this part or another).
    objects = {row[0] for row in part.query(internal_query("graph-iri-objects"))}
    part.extend(ox.Quad(node, rdf_type, ox.NamedNode(cls), CONTEXT_GRAPH)
                for node in objects for cls in split.types.classes_of(node))
    add_context(part, before, nodes, dropped, before_quads)
    keys = {n.value for n in nodes}
    return report_of([f for f in checker.findings(part) if f.focus in keys], part, len(part))
