"""SHACL checks of a change too large to hold in memory at once (a year of review-sheet data: 2M+ quads).

The change's files are split by subject (a hash of the subject term) into parts of about `CHUNK_QUADS`
quads, so that each node's own statements land in one part; every rdf:type statement of the change also goes
into a compact index, so that a part can see the classes of nodes it points at in other parts. Each
part is then checked as `stigraph.validation.incremental.check_change` checks a small change: read into
the checker's tables, with its context from the store as it was. Memory follows the part, not the
change; reading files is cheaper than reading the change back from RocksDB (about 9 µs a quad there).
"""
from __future__ import annotations

import bisect
import tempfile
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from stigraph.validation.incremental import ChangeFile, check_facts, shape_checker, shape_predicates
from stigraph.validation.report import ValidationReport
from stigraph.validation.shacl_fast import RDF_TYPE

__all__ = ["CHUNK_QUADS", "ChangeFile", "check_large_change"]

CHUNK_QUADS = 250_000
"""About how many quads of the change are checked together."""
_TYPE_TOKEN = f"<{RDF_TYPE}>".encode()
_MASK = (1 << 64) - 1


def check_large_change(files: list[ChangeFile], before: ox.Store, dropped_graphs: Iterable[str] = (),
                       dropped_subjects: Iterable[ox.NamedNode] = (), dropped_predicates: Iterable[str] = (),
                       quads_hint: int = 0, before_quads: int | None = None,
                       progress: Callable[[str], None] | None = None,
                       longest_literals: dict[str, tuple[int, str]] | None = None) -> ValidationReport:
    """The shapes' results for the subjects of `files` and `dropped_subjects`, as they will be after the change.

    `before` is the store as it is now, `dropped_graphs` the graphs the change removes; `quads_hint` (the
    change's size, if known) sets how many parts the files are split into. A user's file that does not
    parse raises a UserError naming the file and its line. `longest_literals`, if given, receives for each
    user's file (by label) the longest literal it states: (characters, subject).
    """
    dropped = set(dropped_graphs)
    parts = max(1, -(-quads_hint // CHUNK_QUADS))
    with tempfile.TemporaryDirectory(prefix="stigraph-check-") as scratch:
        split = _Split(Path(scratch), parts, longest_literals if longest_literals is not None else {})
        for file in files:
            split.add(file)
        split.close()
        used = {token[1:-1].decode() for token in split.predicates} | set(dropped_predicates)
        if not used & shape_predicates():
            return ValidationReport(conforms=True, violations=[], warnings=[], triples=split.quads)
        by_part: dict[int, set[ox.NamedNode]] = {}
        for node in dropped_subjects:
            by_part.setdefault(_part_of(f"<{node.value}>".encode(), parts), set()).add(node)
        reports = []
        for index in range(parts):
            if progress and parts > 1:
                progress(f"checking part {index + 1} of {parts} of the change")
            reports.append(_check_part(split, index, before, by_part.get(index, set()), dropped, before_quads))
    return ValidationReport(conforms=all(r.conforms for r in reports),
                            violations=[v for r in reports for v in r.violations],
                            warnings=[w for r in reports for w in r.warnings], triples=split.quads)


def _part_of(subject: bytes, parts: int) -> int:
    return zlib.crc32(subject) % parts


class _Split:
    """The change's statements as N-Quads parts by subject, and its rdf:type statements in a compact index."""

    def __init__(self, folder: Path, parts: int, longest_literals: dict[str, tuple[int, str]]) -> None:
        self.folder, self.parts, self.longest_literals = folder, parts, longest_literals
        self.outputs = [open(folder / f"part-{i}.nq", "wb") for i in range(parts)]  # noqa: SIM115 - closed in close()
        self.types = _TypeIndex()
        self.predicates: set[bytes] = set()     # as written: <iri>
        self.as_lines: list[ChangeFile] = []    # files split line by line, unparsed until a part is read
        self.quads = 0

    def add(self, file: ChangeFile) -> None:
        if file.format == ox.RdfFormat.N_QUADS and file.to_graph is None:
            self._add_lines(file.path)  # stigraph's own N-Quads: one statement per line, parsed when a part loads
            self.as_lines.append(file)
            return
        # A user's file: parsed here (strictly, so errors name its own lines), written out as N-Quads lines.
        normalized = self.folder / "normalized.nq"
        graph = ox.NamedNode(file.to_graph) if file.to_graph else None
        label = file.label or str(file.path)
        self.longest_literals[label] = (0, "")
        with open(normalized, "wb") as out:
            ox.serialize(self._noting_literals(file.quads(), graph, label), out, ox.RdfFormat.N_QUADS)
        self._add_lines(normalized)
        normalized.unlink()

    def _noting_literals(self, quads: Iterable, graph: ox.NamedNode | None, label: str) -> Iterator[ox.Quad]:
        longest = (0, "")
        for quad in quads:
            if type(quad.object) is ox.Literal and len(quad.object.value) > longest[0]:
                longest = (len(quad.object.value), quad.subject.value)
            yield ox.Quad(quad.subject, quad.predicate, quad.object, graph) if graph else quad
        self.longest_literals[label] = longest

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


def _check_part(split: _Split, index: int, before: ox.Store, also: set[ox.NamedNode], dropped: set[str],
                before_quads: int | None) -> ValidationReport:
    facts = shape_checker().facts()
    try:
        facts.add(ox.parse(path=str(split.folder / f"part-{index}.nq"), format=ox.RdfFormat.N_QUADS))
    except SyntaxError:
        # A part mixes lines of several files: name the broken file and its line by parsing them in turn.
        for file in split.as_lines:
            for _ in file.quads():
                pass
        raise

    # Nodes this part points at may be typed by the change in another part.
    return check_facts(facts, before, dropped, also, before_quads, more_types=split.types.classes_of)
