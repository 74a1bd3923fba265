"""Work that runs beside the main thread during an update: the disk load beside the check, and the load of
stigraph's own N-Quads files beside the reading of the inputs (pyoxigraph releases the GIL while it loads)."""
from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from stigraph.builder.inputs import InputSpec
from stigraph.errors import UserError


def beside(disk: Callable[[], None] | None, check: Callable[[], object] | None):
    """Run `disk` in a thread (pyoxigraph releases the GIL while it loads) and `check` here meanwhile; re-raise
    the thread's failure here. Returns what `check` returned."""
    if disk is None:
        return check() if check else None
    failure: list[BaseException] = []

    def run() -> None:
        try:
            disk()
        except BaseException as exc:  # re-raised in the calling thread after join
            failure.append(exc)

    worker = threading.Thread(target=run, name="stigraph-update-load")
    worker.start()
    try:
        result = check() if check else None
    finally:
        worker.join()
    if failure:
        raise failure[0]
    return result


class Preload:
    """stigraph's own N-Quads files of a full build (`InputSpec.nquads`), bulk-loaded into the new generation
    while the inputs are read: such a file is loaded as it is, so its load need not wait for the reading
    (a scan of its lines for graphs and shared statements: 0.9 s at 1M quads). Started only once the reading
    forks no more children; a failed read waits for the load under way, then the generation is removed."""

    def __init__(self, generation: Path, specs: list[InputSpec], lenient: bool) -> None:
        self.generation, self.names, self.lenient = generation, {s.name for s in specs}, lenient
        self._files = [(s.sources[0] if s.sources else s.name, path) for s in specs for path in s.nquads]
        self.db: ox.Store | None = None
        self._thread: threading.Thread | None = None
        self._failure: list[BaseException] = []

    def store(self) -> ox.Store:
        """The new generation's store (opened now if the reading never called `start`)."""
        if self.db is None:
            self.start()
        return self.db

    def start(self) -> None:
        self.db = ox.Store(str(self.generation))

        def run() -> None:
            try:
                for where, path in self._files:
                    try:
                        self.db.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS, lenient=self.lenient)
                    except SyntaxError as exc:
                        raise UserError(f"{where}: not valid RDF: {str(exc).splitlines()[0]}") from None
            except BaseException as exc:  # re-raised by join()
                self._failure.append(exc)

        self._thread = threading.Thread(target=run, name="stigraph-preload")
        self._thread.start()

    def join(self) -> None:
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._failure:
            raise self._failure[0]

    def close(self) -> None:
        """Wait for any load under way (RocksDB cannot be removed under it) and let go of the store."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        self.db = None
