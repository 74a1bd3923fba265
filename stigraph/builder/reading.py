"""Read several inputs into the store's cache at once: one forked process per input, two at a time.

Reading an input (a sheet year of review sheets: ~9 s) is Python on one core; an update that adds ten reads
them before the load starts, so the second core would idle. Each child runs `materialize` (it writes only
its own content-addressed cache files, through temporary names the next update removes if it dies) and
sends its record back through a pipe; the parent keeps the order of the inputs.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import pickle
from collections.abc import Callable
from pathlib import Path

from stigraph.builder.inputs import InputSpec, materialize
from stigraph.errors import UserError
from stigraph.store.manifest import InputRecord

WORKERS = 2


def read_inputs(specs: list[InputSpec], store_path: Path, say: Callable[[str], None],
                forked: Callable[[], None] | None = None) -> list[InputRecord]:
    """The records of `specs`, read into the cache; in forked children when there are several and fork exists.

    `forked` is called once no more children will be forked (before reading, when none are): work that
    starts threads meanwhile starts there, never before a fork (a child would inherit their locks).
    """
    if len(specs) < 2 or "fork" not in mp.get_all_start_methods():
        if forked:
            forked()
        return [_read_one(spec, number, len(specs), store_path, say) for number, spec in enumerate(specs, 1)]
    context = mp.get_context("fork")  # the specs' readers are closures: inherited by a fork, never pickled
    records: list[InputRecord | None] = [None] * len(specs)
    running: list[tuple[int, mp.Process, object]] = []
    pending = list(enumerate(specs))
    try:
        while pending or running:
            while pending and len(running) < WORKERS:
                index, spec = pending.pop(0)
                receiver, sender = context.Pipe(duplex=False)
                child = context.Process(target=_child, args=(spec, index + 1, len(specs), store_path, say, sender),
                                        name=f"stigraph-read-{spec.name}")
                child.start()
                sender.close()
                running.append((index, child, receiver))
            if not pending and forked:
                forked()
                forked = None
            index, child, receiver = running.pop(0)
            records[index] = _result(receiver, child, specs[index])
    finally:
        for _, child, _ in running:
            child.kill()
            child.join()
    return [r for r in records if r is not None]


def _read_one(spec: InputSpec, number: int, total: int, store_path: Path, say: Callable[[str], None]) -> InputRecord:
    say(f"reading {spec.name} ({number}/{total})")
    return materialize(spec, store_path, say)


def _child(spec, number, total, store_path, say, sender) -> None:
    try:
        outcome = ("ok", _read_one(spec, number, total, store_path, say))
    except UserError as exc:
        outcome = ("user", str(exc))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises it
        outcome = ("error", f"{type(exc).__name__}: {exc}")
    sender.send_bytes(pickle.dumps(outcome))
    sender.close()
    os._exit(0)  # no atexit handlers or buffers of the parent's state run twice


def _result(receiver, child, spec: InputSpec) -> InputRecord:
    try:
        kind, value = pickle.loads(receiver.recv_bytes())
    except EOFError:
        child.join()
        raise RuntimeError(f"reading {spec.name} stopped (exit code {child.exitcode})") from None
    child.join()
    if kind == "user":
        raise UserError(value)
    if kind == "error":
        raise RuntimeError(f"reading {spec.name}: {value}")
    return value
