"""Published datasets -> store inputs: one `DatasetPart` per input (e.g. one RS sheet year).

A dataset reader recognises its files by their content (a CSV's header row, not its file name),
splits them into parts that the store keeps as separate inputs, and streams each part's N-Quads
into a sink. Readers are registered in `READERS`; today there is one, the RS review sheets
(`stigraph.loaders.datasets.rs`).

>>> dataset_parts([Path("notes.ttl")]) is None
True
"""
from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

Sink = Callable[[str], object]


@dataclass
class DatasetReport:
    """What writing one part found: rows read, rows left out (file:row + reason), new organizations, warnings.

    >>> r = DatasetReport("rs/2025")
    >>> r.leave_out("5-1.csv", 7, "amount '12x' is not a number")
    >>> r.lines()[-1]
    "5-1.csv:7: left out: amount '12x' is not a number"
    """

    part: str
    rows_read: Counter = field(default_factory=Counter)
    left_out: list[tuple[str, int, str]] = field(default_factory=list)
    new_organizations: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    quads: int = 0

    def leave_out(self, file: str, row: int, reason: str) -> None:
        """Record a row that was not used, with the reason; never raises."""
        self.left_out.append((file, row, reason))

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def new_organization(self, name: str, where: str) -> None:
        self.new_organizations.append((name, where))

    def lines(self, limit: int | None = None) -> list[str]:
        """One line per finding, for people: a summary line, then new organizations, warnings, left-out rows.

        `limit` caps the left-out and warning lines (the summary line still counts them all).
        """
        read = ", ".join(f"{table} {count}" for table, count in sorted(self.rows_read.items()))
        out = [f"{self.part}: read {sum(self.rows_read.values())} rows ({read}); {self.quads} quads; "
               f"{len(self.left_out)} rows left out; {len(self.new_organizations)} new organizations; "
               f"{len(self.warnings)} warnings"]
        out += [f"{where}: unknown organization {name!r} kept as a new organization" for name, where
                in self.new_organizations]
        out += [f"warning: {w}" for w in self.warnings[:limit]]
        out += [f"{file}:{row}: left out: {reason}" for file, row, reason in sorted(self.left_out)[:limit]]
        hidden = max(0, len(self.warnings) - (limit or len(self.warnings))) + \
            max(0, len(self.left_out) - (limit or len(self.left_out)))
        if hidden:
            out.append(f"... and {hidden} more lines")
        return out


@dataclass
class DatasetPart:
    """One input of the store read from a dataset, e.g. one RS sheet year.

    `write(sink)` streams the part's N-Quads lines into `sink` and returns its report; pass
    `strict=True` to raise `DatasetError` at the first row that would be left out instead.
    """

    name: str
    graph: str
    sources: list[Path]
    fingerprint: str
    write: Callable[..., DatasetReport]


def fingerprint(paths: list[Path], *extra: str) -> str:
    """sha256 over the files' bytes (in the given order) and extra strings (reader version, reference digest)."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode("utf-8") + b"\0")
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    for text in extra:
        digest.update(b"\0" + text.encode("utf-8"))
    return digest.hexdigest()


def dataset_parts(paths: list[Path]) -> list[DatasetPart] | None:
    """The store inputs the given files make, or None when no file belongs to a known dataset.

    ZIP files and folders are always taken as datasets (DatasetError if they are not readable);
    a CSV is taken when its header row is a known dataset table, and left to other readers otherwise.

    >>> dataset_parts([Path("my_programs.csv")]) is None  # doctest: +SKIP
    True
    """
    for reader in READERS:
        parts = reader(list(paths))
        if parts is not None:
            return parts
    return None


def _rs_parts(paths: list[Path]) -> list[DatasetPart] | None:
    if not any(p.is_dir() or p.suffix.lower() in (".zip", ".csv") for p in paths):
        return None  # RS data comes as ZIPs, CSVs or folders of them: RDF files skip importing the reader
    from stigraph.loaders.datasets.rs import rs_parts

    return rs_parts(paths)


READERS: list[Callable[[list[Path]], list[DatasetPart] | None]] = [_rs_parts]
"""Dataset readers, tried in order; each returns None for files it does not recognise."""

__all__ = ["DatasetPart", "DatasetReport", "dataset_parts", "fingerprint", "READERS", "Sink"]
