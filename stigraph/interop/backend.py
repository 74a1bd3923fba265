"""The oxigraph children behind `stigraph serve`: one `oxigraph serve-read-only` per store generation.

Each child listens on a free loopback port and is started with PR_SET_PDEATHSIG (Linux), so it is
killed when the thread that started it ends, even when `stigraph serve` itself is killed with -9.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from stigraph.errors import StoreError, UserError

OXIGRAPH_HINT = "install the Oxigraph server with `pip install oxigraph==0.5.13` (same version as pyoxigraph)"


def oxigraph_binary() -> str:
    """Path of the `oxigraph` CLI (beside the running Python first, then on PATH); UserError if absent.

    >>> Path(oxigraph_binary()).name  # doctest: +SKIP
    'oxigraph'
    """
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("oxigraph")
    if not found:
        raise UserError(f"no `oxigraph` command found; {OXIGRAPH_HINT}")
    return found


def oxigraph_command(generation: Path, port: int, timeout_s: float) -> list[str]:
    """The command line of one read-only oxigraph child serving `generation` on 127.0.0.1:`port`.

    >>> oxigraph_command(Path("/s/gen-1"), 9000, 30)[1:3]
    ['serve-read-only', '--location']
    """
    # The relay cuts a query at `timeout_s` and answers 503 itself; the child's own timeout comes
    # later, so its "cancelled" text never lands inside a result a client receives.
    return [oxigraph_binary(), "serve-read-only", "--location", str(generation), "--bind", f"127.0.0.1:{port}",
            "--union-default-graph", "--timeout-s", str(max(1, math.ceil(timeout_s)) + 2)]


def _parent_death_signal() -> Callable[[], None] | None:
    """A preexec_fn that makes the child get SIGKILL when the thread that started it dies (Linux), or None.

    libc's prctl is looked up here, in the parent: the forked child only calls it.
    """
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    parent = os.getpid()
    pr_set_pdeathsig = 1

    def arm() -> None:
        prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before prctl ran
            os.kill(os.getpid(), signal.SIGKILL)
    return arm


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Backend:
    """One oxigraph child serving one store generation."""

    generation: Path
    port: int
    process: subprocess.Popen
    log: IO[bytes]
    connections: int = 0  # requests in flight on this child
    retired_at: float | None = None
    runaway: bool = False  # a query gave no answer within the timeout here: replace this child, then stop it

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def last_error(self) -> str:
        """The last line the child wrote to stderr."""
        self.log.seek(0)
        lines = self.log.read().decode("utf-8", "replace").strip().splitlines()
        return lines[-1] if lines else "no output"


def start_backend(generation: Path, timeout_s: float, ready_within: float = 30.0) -> Backend:
    """Start an oxigraph child on a free loopback port and wait until it answers; StoreError if it cannot."""
    port = _free_port()
    # stderr goes to a file, never to a pipe we stop reading: Rust's eprintln! aborts the whole
    # server on a broken stderr (measured: SIGABRT after the first query timeout).
    log = tempfile.TemporaryFile()
    # PR_SET_PDEATHSIG fires when the starting *thread* ends: Endpoint starts children from one
    # thread that lives as long as the endpoint.
    process = subprocess.Popen(oxigraph_command(generation, port, timeout_s), stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=log, preexec_fn=_parent_death_signal())
    backend = Backend(generation, port, process, log)
    deadline = time.monotonic() + ready_within
    probe = f"http://127.0.0.1:{port}/query?query=ASK%7B%7D"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            error = backend.last_error()
            log.close()
            raise StoreError(f"{generation}: the oxigraph server did not start ({error})")
        try:
            with urllib.request.urlopen(probe, timeout=2) as response:
                if response.status == 200:
                    return backend
        except OSError:
            time.sleep(0.05)
    backend.stop()
    raise StoreError(f"{generation}: the oxigraph server did not answer within {ready_within:.0f} s")
