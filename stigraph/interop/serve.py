"""`stigraph serve`: the store over the SPARQL 1.1 Protocol, answered by Oxigraph's own server.

The SPARQL side is `oxigraph serve-read-only` (PyPI package `oxigraph`, pinned to the same
version as pyoxigraph so both read the same on-disk format): GET, form POST and direct POST,
JSON/XML/CSV/TSV results, Turtle/N-Triples/RDF-XML for CONSTRUCT, 400 on a bad query, 406 on an
unsupported Accept, 403 on any update, and a YASGUI query page at `/`. It runs with
`--union-default-graph`, because stigraph keeps every fact in a named graph.

What stigraph adds is a gate and the swap. The public port is held by a relay that reads each
request (`stigraph.interop.http_gate`): it refuses what would harm the engine or reach beyond it
(CONNECT and other methods, SERVICE unless allow-listed, over-deep or over-long queries) with a
4xx, forwards the rest to one oxigraph child on a loopback port, holds the answer until it is
complete and cuts queries at the timeout with a 503 (never a 200 with a broken body). A build writes
a new generation folder and turns the store's `current` link to it: a child for the new generation
is started and made ready, new requests go to it, and the old child is stopped once its requests
are done (or after a grace period). Queries keep being answered during a build, and new requests
see the new graph within about `poll_seconds` of the swap.

Children die with the relay: each is started with PR_SET_PDEATHSIG (Linux), so even `kill -9`
of `stigraph serve` leaves no oxigraph serving an old generation.
"""
from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from stigraph import limits
from stigraph.errors import StoreError, UserError
from stigraph.interop import http_gate as gate
from stigraph.interop.backend import Backend, oxigraph_binary, start_backend
from stigraph.store import generations as store_mod

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
READ_TIMEOUT = 30.0  # seconds for a client to send a whole request
IDLE_TIMEOUT = 60.0  # seconds a keep-alive connection may wait for its next request


@dataclass
class Endpoint:
    """A running `stigraph serve`: the relay, the current backend, and retired ones still draining."""

    store_path: Path
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    timeout_s: float = 30.0
    poll_seconds: float = 1.0
    grace_seconds: float = 60.0
    log: Callable[[str], None] = field(default=lambda _msg: None)
    allow_service: tuple[str, ...] = ()
    backend: Backend | None = None
    retired: list[Backend] = field(default_factory=list)
    swaps: int = 0
    refused: int = 0
    _connections: set = field(default_factory=set)
    _spawner: ThreadPoolExecutor | None = None

    @property
    def url(self) -> str:
        """The SPARQL query endpoint URL (the query page is at the root)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/query"

    def _start_current(self) -> Backend:
        # A build may swap (and delete the generation we just resolved) while we start: retry.
        for attempt in range(3):
            generation = store_mod.current_generation(self.store_path)
            try:
                return start_backend(generation, self.timeout_s)
            except StoreError:
                if attempt == 2 or store_mod.current_generation(self.store_path) == generation:
                    raise
        raise AssertionError("unreachable")

    async def _relay(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        """Serve one client connection: read requests one after another, gate them, answer each."""
        task = asyncio.current_task()
        self._connections.add(task)

        def send_continue() -> None:
            client_writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")

        try:
            first = True
            while True:
                try:
                    # An idle keep-alive connection is closed after a while; a started request must finish in time.
                    request = await asyncio.wait_for(gate.read_request(client_reader, send_continue),
                                                     timeout=READ_TIMEOUT if first else IDLE_TIMEOUT)
                except (asyncio.TimeoutError, asyncio.IncompleteReadError, ConnectionError):
                    break
                except gate.HttpError as exc:
                    self.refused += 1
                    client_writer.write(gate.error_response(exc.status, exc.message, False, exc.headers))
                    await client_writer.drain()
                    break
                if request is None:
                    break
                first = False
                keep_alive = request.keep_alive
                try:
                    gate.check_request(request, self.allow_service)
                except gate.HttpError as exc:
                    self.refused += 1
                    keep_alive = keep_alive and not exc.close
                    client_writer.write(gate.error_response(exc.status, exc.message, keep_alive, exc.headers))
                else:
                    await self._answer(request, client_writer, keep_alive)
                await client_writer.drain()
                if not keep_alive:
                    break
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            self._connections.discard(task)
            with contextlib.suppress(Exception):
                client_writer.close()

    async def _answer(self, request: gate.Request, client_writer: asyncio.StreamWriter, keep_alive: bool) -> None:
        """Forward a gated request to the current child and pass its answer on once it is complete."""
        backend = self.backend
        if backend is None:
            client_writer.write(gate.error_response(503, "the query engine is starting; try again", keep_alive))
            return
        backend.connections += 1
        answered = {"any": False}
        writer = None
        response = None
        try:
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", backend.port)
                writer.write(gate.backend_request(request, backend.port))
                await writer.drain()
                response = await asyncio.wait_for(
                    gate.read_response(reader, request.method == "HEAD", lambda: answered.update(any=True)),
                    timeout=self.timeout_s)
            except asyncio.TimeoutError:
                if not answered["any"]:
                    # Oxigraph's own timeout does not stop an aggregate that has not sent a byte
                    # (measured: a COUNT over a cross product ran on past 30 s): replace the child.
                    backend.runaway = True
                    self.log(f"warning: a query gave no answer in {self.timeout_s:g} s; replacing the oxigraph server")
                client_writer.write(gate.error_response(
                    503, f"query cut off after the {self.timeout_s:g} s timeout; narrow it or add a LIMIT", keep_alive))
                return
            except gate.ResultTooLarge:
                client_writer.write(gate.error_response(
                    503, f"the result is larger than the endpoint holds; add a LIMIT "
                         f"({limits.describe('max_result_bytes')})", keep_alive))
                return
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, gate.HttpError):
                client_writer.write(gate.error_response(
                    502, "the query engine stopped while answering; it is being restarted, try again", keep_alive))
                return
            content_type = response.header("content-type") or ""
            if response.status == 200 and response.chunked and not gate.result_is_complete(content_type, response.tail()):
                cancelled = b"cancelled" in response.tail()
                client_writer.write(gate.error_response(
                    503 if cancelled else 500,
                    f"query cut off after the {self.timeout_s:g} s timeout; narrow it or add a LIMIT" if cancelled
                    else "the query failed while its results were being written", keep_alive))
                return
            client_writer.write(gate.response_head(response.status, response.reason, response.headers,
                                                   response.length, keep_alive))
            response.body.seek(0)
            while data := response.body.read(65536):
                client_writer.write(data)
                await client_writer.drain()
        finally:
            backend.connections -= 1
            if response is not None:
                response.body.close()
            if writer is not None:
                with contextlib.suppress(Exception):
                    writer.close()

    async def _watch(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(self.poll_seconds)
            self._stop_drained()
            try:
                generation = store_mod.current_generation(self.store_path)
            except StoreError:
                continue
            current = self.backend
            if (current is not None and generation == current.generation and current.process.poll() is None
                    and not current.runaway):
                continue
            if current is not None and current.process.poll() is not None:
                self.log(f"warning: the oxigraph server stopped ({current.last_error()}); restarting it")
            try:
                fresh = await loop.run_in_executor(self._spawner, self._start_current)
            except StoreError as exc:
                self.log(f"warning: keeping the previous graph: {exc}")
                continue
            old, self.backend = self.backend, fresh
            if old is None or old.generation != fresh.generation:
                self.swaps += 1
                self.log(f"serving new build {fresh.generation.name}")
            if old is not None:
                old.retired_at = time.monotonic()
                self.retired.append(old)

    def _stop_drained(self) -> None:
        now = time.monotonic()
        for old in list(self.retired):
            grace = min(self.grace_seconds, self.timeout_s) if old.runaway else self.grace_seconds
            if old.connections == 0 or now - (old.retired_at or now) > grace:
                old.stop()
                self.retired.remove(old)

    async def run(self, started: threading.Event | None = None, stop: asyncio.Event | None = None) -> None:
        """Serve until `stop` is set (or the task is cancelled)."""
        self._spawner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="stigraph-serve-spawner")
        self.backend = await asyncio.get_running_loop().run_in_executor(self._spawner, self._start_current)
        try:
            server = await asyncio.start_server(self._relay, self.host, self.port, reuse_address=True,
                                                limit=gate.max_request_bytes() + 1024)
        except BaseException:
            self.shutdown()
            raise
        self.port = server.sockets[0].getsockname()[1]
        watcher = asyncio.create_task(self._watch())
        if started:
            started.set()
        try:
            if stop is None:
                await asyncio.Event().wait()
            else:
                await stop.wait()
        finally:
            watcher.cancel()
            server.close()
            for task in list(self._connections):
                task.cancel()
            await asyncio.gather(watcher, *self._connections, return_exceptions=True)
            self.shutdown()

    def shutdown(self) -> None:
        """Stop every oxigraph child this endpoint started."""
        for backend in [self.backend, *self.retired]:
            if backend is not None:
                backend.stop()
        self.retired.clear()
        if self._spawner is not None:
            self._spawner.shutdown(wait=False)


def exposure_warning(host: str) -> str | None:
    """The warning printed when serving beyond loopback, or None on loopback.

    >>> exposure_warning("127.0.0.1") is None
    True
    """
    if host in LOOPBACK:
        return None
    return (f"warning: serving on {host}: anyone who can reach this machine can run (read-only) queries; "
            "use the default 127.0.0.1 unless you mean it")


def serve(store_path: str | Path | None = None, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
          timeout_s: float = 30.0, poll_seconds: float = 1.0, log: Callable[[str], None] = print,
          allow_service: Iterable[str] = ()) -> None:
    """Serve the store read-only over the SPARQL 1.1 Protocol until interrupted (Ctrl-C).

    SERVICE is refused (HTTP 400) unless its target starts with one of the `allow_service` prefixes.

    >>> serve(port=7878)  # doctest: +SKIP
    """
    endpoint = Endpoint(store_mod.resolve_store_path(store_path), host, port, timeout_s, poll_seconds, log=log,
                        allow_service=tuple(allow_service))
    store_mod.current_generation(endpoint.store_path)  # a clear error before anything starts
    oxigraph_binary()
    started = threading.Event()

    async def main() -> None:
        stop = asyncio.Event()
        for signum in (signal.SIGTERM, signal.SIGHUP):
            # A service manager's stop must reach the oxigraph children too, not orphan them.
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                asyncio.get_running_loop().add_signal_handler(signum, stop.set)
        task = asyncio.create_task(endpoint.run(started, stop))
        while not started.is_set() and not task.done():
            await asyncio.sleep(0.05)
        if started.is_set():
            log(f"SPARQL endpoint {endpoint.url} (query page http://{host}:{endpoint.port}/), "
                f"store {endpoint.store_path}; Ctrl-C stops")
        await task

    try:
        asyncio.run(main())
    except OSError as exc:
        endpoint.shutdown()
        raise UserError(f"cannot listen on {host}:{port} ({exc.strerror or exc}); pick another --port") from None
    except KeyboardInterrupt:
        endpoint.shutdown()


@contextlib.contextmanager
def serving(store_path: str | Path, host: str = DEFAULT_HOST, port: int = 0, timeout_s: float = 30.0,
            poll_seconds: float = 0.2, allow_service: Iterable[str] = ()) -> Iterator[Endpoint]:
    """Run an endpoint in a background thread for the duration of a `with` block (tests, notebooks).

    >>> with serving("/path/to/store") as endpoint:  # doctest: +SKIP
    ...     print(endpoint.url)
    http://127.0.0.1:40123/query
    """
    endpoint = Endpoint(Path(store_path), host, port, timeout_s, poll_seconds, allow_service=tuple(allow_service))
    started = threading.Event()
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    errors: list[BaseException] = []

    def run() -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(endpoint.run(started, stop))
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            errors.append(exc)
            started.set()
        finally:
            loop.close()

    thread = threading.Thread(target=run, name="stigraph-serve", daemon=True)
    thread.start()
    started.wait(60)
    if errors:
        raise errors[0]
    try:
        yield endpoint
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(30)
        endpoint.shutdown()
