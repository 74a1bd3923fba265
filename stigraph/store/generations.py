"""The on-disk store: a folder of immutable Oxigraph generations and a `current` symlink.

A build writes a new generation folder and swaps `current` to it with one atomic rename, so a
reader (a query, `stigraph serve`) always sees either the old graph or the new one, never half of
one, and a build that fails or is killed leaves the previous graph answering.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from stigraph.errors import StoreError

CURRENT = "current"
LOCK = ".build.lock"
GENERATION_PREFIX = "gen-"
STORE_ENV = "STIGRAPH_STORE"


def default_store_path() -> Path:
    """Where the store lives unless `--store` or `STIGRAPH_STORE` says otherwise.

    `$STIGRAPH_STORE`, else `$XDG_DATA_HOME/stigraph/store`, else `~/.local/share/stigraph/store`.

    >>> default_store_path().name
    'store'
    """
    env = os.environ.get(STORE_ENV)
    if env:
        return Path(env).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "stigraph" / "store"


def resolve_store_path(path: str | Path | None) -> Path:
    """The store folder for an explicit path or the default."""
    return Path(path).expanduser() if path else default_store_path()


def current_generation(store_path: Path) -> Path:
    """The generation folder the store's `current` link points at; StoreError if there is none."""
    link = store_path / CURRENT
    if not link.exists():
        raise StoreError(f"{store_path}: no graph built here yet; run `stigraph build` (or pass --store DIR)")
    return link.resolve()


def open_read_only(store_path: Path) -> ox.Store:
    """Open the current generation read-only; many readers may do this at once."""
    generation = current_generation(store_path)
    try:
        return ox.Store.read_only(str(generation))
    except (OSError, RuntimeError) as exc:  # RocksDB reports corruption as RuntimeError
        raise StoreError(f"{generation}: cannot open the store ({exc}); rebuild with `stigraph build`") from None


@contextmanager
def build_lock(store_path: Path, wait: bool = False) -> Iterator[None]:
    """Hold the store's build lock; a second build fails at once (or waits, with wait=True)."""
    try:
        store_path.mkdir(parents=True, exist_ok=True)
        handle = open(store_path / LOCK, "a+")
    except OSError as exc:
        raise StoreError(f"{store_path}: cannot create the store folder ({exc.strerror})") from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise StoreError(f"{store_path}: another build is running on this store; wait for it to finish") from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def new_generation_path(store_path: Path) -> Path:
    """A fresh, not yet existing generation folder name (time and pid make it unique)."""
    return store_path / f"{GENERATION_PREFIX}{time.time_ns()}-{os.getpid()}"


def swap_current(store_path: Path, generation: Path) -> None:
    """Point `current` at `generation` atomically (symlink + rename, then fsync of the folder)."""
    tmp_link = store_path / f".{CURRENT}.{os.getpid()}"
    if tmp_link.is_symlink() or tmp_link.exists():
        tmp_link.unlink()
    os.symlink(generation.name, tmp_link)
    fd = os.open(store_path, os.O_RDONLY)
    try:
        os.replace(tmp_link, store_path / CURRENT)
        os.fsync(fd)
    finally:
        os.close(fd)


def _made_at(name: str) -> int:
    """The creation time (ns) in a generation's name gen-<time_ns>-<pid>; 0 if it does not parse."""
    try:
        return int(name[len(GENERATION_PREFIX):].split("-")[0])
    except ValueError:
        return 0


def manifest_file(generation: Path) -> Path:
    """The inputs manifest written beside a generation folder (see stigraph.store.manifest)."""
    return generation.with_name(generation.name + ".json")


def store_exists_or_creatable(store_path: Path) -> bool:
    """True when the store folder exists or its parent does (a typo in --store must not make folders)."""
    return store_path.is_dir() or store_path.parent.is_dir()


def clean(store_path: Path, keep: set[str] | None = None) -> list[str]:
    """Remove what no manifest needs: old or half-made generations, their manifests, temporary and unused
    cache files (`keep`: the cache files the current manifest needs; None = leave the cache alone but
    for temporary files). Returns one line per thing removed, naming it. Call with the build lock held.
    """
    messages: list[str] = []
    link = store_path / CURRENT
    current = link.resolve().name if link.exists() else None
    names = {p.name.removesuffix(".json") for p in store_path.glob(f"{GENERATION_PREFIX}*")} - {current}
    for name in sorted(names):
        if current is not None and _made_at(name) > _made_at(current):
            messages.append(f"removed {name}, left unfinished by an interrupted build or update")
        shutil.rmtree(store_path / name, ignore_errors=True)
        (store_path / f"{name}.json").unlink(missing_ok=True)
    for tmp in store_path.glob(f".{CURRENT}.*"):
        tmp.unlink(missing_ok=True)
    cache = store_path / "inputs"
    if cache.is_dir():
        for path in sorted(cache.iterdir()):
            if path.name.startswith(".tmp-"):
                path.unlink(missing_ok=True)
                messages.append(f"removed inputs/{path.name}, left by an interrupted update")
            elif keep is not None and f"inputs/{path.name}" not in keep:
                path.unlink(missing_ok=True)
    return messages
