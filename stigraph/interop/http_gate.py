"""The HTTP side of `stigraph serve`: read a client's request, decide whether the engine may see it,
and check that a result is whole before it is passed on.

Oxigraph's server aborts on some requests (a `CONNECT` line; a query nested a few thousand levels
deep overflows its stack) and follows SERVICE to any URL. So the relay in front of it reads every
request itself, with bounded line, header and body sizes, and forwards only GET, HEAD and POST in
origin form, rewritten with a fresh `Host`, a `Content-Length` and `Connection: close`. Every
`query` and `update` text, in the URL or in the body, goes through `stigraph.sparql.guard` first.
Refusals are answered here (400, 405, 408, 413, 414, 415, 431), as text/plain, and never reach
the engine.

A result streams out of Oxigraph as it is computed; if the query is cut meanwhile, Oxigraph ends
the stream with its error text after a 200 header ("The SPARQL operation has been cancelled" as a
last CSV row or inside the JSON). The relay therefore holds a result until it is complete (in memory,
spilling to a temporary file past a few MB; `max_result_bytes` bounds it) and checks its end
(`result_is_complete`) before sending a single byte.
"""
from __future__ import annotations

import asyncio
import re
import tempfile
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import IO

from stigraph import limits
from stigraph.errors import QueryError
from stigraph.sparql.guard import check_query

ALLOWED_METHODS = ("GET", "HEAD", "POST")
MAX_HEADER_LINE = 16 * 1024
MAX_HEADERS = 100
SPOOL_IN_MEMORY = 8 * 1024 * 1024
QUERY_MEDIA_TYPES = {"application/sparql-query": "query", "application/sparql-update": "update"}
FORM = "application/x-www-form-urlencoded"
_HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "proxy-authorization", "proxy-authenticate", "te",
               "trailer", "transfer-encoding", "upgrade", "content-length", "host", "expect"}
_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
_REASONS = {400: "Bad Request", 405: "Method Not Allowed", 408: "Request Timeout", 413: "Content Too Large",
            414: "URI Too Long", 415: "Unsupported Media Type", 431: "Request Header Fields Too Large",
            500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
            505: "HTTP Version Not Supported"}


class HttpError(Exception):
    """A request the relay answers itself: HTTP status and a one-line message."""

    def __init__(self, status: int, message: str, headers: Iterable[tuple[str, str]] = (), close: bool = False) -> None:
        super().__init__(message)
        self.status, self.message, self.headers, self.close = status, message, list(headers), close


@dataclass
class Request:
    """One parsed client request."""

    method: str
    target: str
    version: str
    headers: list[tuple[str, str]]
    body: bytes = b""

    def header(self, name: str) -> str | None:
        values = [v for k, v in self.headers if k.lower() == name]
        return values[0] if values else None

    @property
    def keep_alive(self) -> bool:
        tokens = {t.strip().lower() for t in (self.header("connection") or "").split(",")}
        if self.version == "HTTP/1.0":
            return "keep-alive" in tokens
        return "close" not in tokens


def max_request_bytes() -> int:
    """The largest request line or body accepted: a query at its size limit, percent-encoded."""
    return 3 * limits.get("max_query_bytes") + 4096


async def _line(reader: asyncio.StreamReader, limit: int, status: int, what: str) -> bytes:
    try:
        line = await reader.readuntil(b"\n")
    except asyncio.LimitOverrunError:
        raise HttpError(status, f"{what} longer than {limit:,} bytes") from None
    if len(line) > limit:
        raise HttpError(status, f"{what} longer than {limit:,} bytes")
    return line


async def read_request(reader: asyncio.StreamReader, send_continue: Callable[[], None]) -> Request | None:
    """Read one request (None at a clean end of the connection); HttpError for anything malformed.

    The reader must have been created with a buffer limit of at least `max_request_bytes()`.
    """
    try:
        first = await _line(reader, max_request_bytes(), 414, "request line")
    except asyncio.IncompleteReadError as exc:
        if exc.partial.strip():
            raise HttpError(400, "incomplete request line") from None
        return None
    while first in (b"\r\n", b"\n"):  # tolerated before a request (RFC 9112 §2.2)
        first = await _line(reader, max_request_bytes(), 414, "request line")
    parts = first.rstrip(b"\r\n").split(b" ")
    if len(parts) != 3:
        raise HttpError(400, "malformed request line")
    try:
        method, target, version = (p.decode("ascii") for p in parts)
    except UnicodeDecodeError:
        raise HttpError(400, "request line is not ASCII") from None
    if not _TOKEN.match(method):
        raise HttpError(400, "malformed method")
    if version not in ("HTTP/1.1", "HTTP/1.0"):
        raise HttpError(505, f"unsupported protocol {version[:20]!r}; use HTTP/1.1")
    headers: list[tuple[str, str]] = []
    total = 0
    while True:
        line = await _line(reader, MAX_HEADER_LINE, 431, "header line")
        if line in (b"\r\n", b"\n"):
            break
        total += len(line)
        if len(headers) >= MAX_HEADERS or total > 4 * MAX_HEADER_LINE:
            raise HttpError(431, "too many request headers")
        if line[:1] in (b" ", b"\t"):
            raise HttpError(400, "folded header lines are not accepted")
        name, sep, value = line.decode("latin-1").rstrip("\r\n").partition(":")
        if not sep or not _TOKEN.match(name):
            raise HttpError(400, "malformed header line")
        headers.append((name, value.strip()))
    request = Request(method, target, version, headers)
    request.body = await _read_body(reader, request, send_continue)
    return request


async def _read_body(reader: asyncio.StreamReader, request: Request, send_continue: Callable[[], None]) -> bytes:
    names = [k.lower() for k, _ in request.headers]
    for single in ("content-length", "transfer-encoding", "content-type", "host"):
        if names.count(single) > 1:
            raise HttpError(400, f"more than one {single} header")
    length, coding = request.header("content-length"), request.header("transfer-encoding")
    if length is not None and coding is not None:
        raise HttpError(400, "both Content-Length and Transfer-Encoding given")
    if length is None and coding is None:
        return b""
    limit = max_request_bytes()
    if length is not None:
        if not length.isdigit():
            raise HttpError(400, "malformed Content-Length")
        if int(length) > limit:
            raise HttpError(413, f"request body over {limit:,} bytes; {limits.describe('max_query_bytes')}")
        if (request.header("expect") or "").lower() == "100-continue":
            send_continue()
        return await reader.readexactly(int(length))
    if coding.lower() != "chunked":
        raise HttpError(400, f"unsupported Transfer-Encoding {coding[:40]!r}")
    if (request.header("expect") or "").lower() == "100-continue":
        send_continue()
    return await read_chunked(reader, limit, lambda: HttpError(413, f"request body over {limit:,} bytes"))


async def read_chunked(reader: asyncio.StreamReader, limit: int, too_big: Callable[[], Exception],
                       sink: IO[bytes] | None = None) -> bytes:
    """Decode a chunked body (into `sink` when given, else returned); `too_big()` is raised past `limit` bytes."""
    chunks: list[bytes] = []
    total = 0
    while True:
        size_line = (await _line(reader, 1024, 400, "chunk size line")).split(b";")[0].strip()
        try:
            size = int(size_line, 16)
        except ValueError:
            raise HttpError(400, "malformed chunk size") from None
        if size == 0:
            while (await _line(reader, MAX_HEADER_LINE, 400, "trailer line")) not in (b"\r\n", b"\n"):
                pass
            return b"".join(chunks)
        total += size
        if total > limit:
            raise too_big()
        data = await reader.readexactly(size)
        await reader.readexactly(2)
        if sink is None:
            chunks.append(data)
        else:
            sink.write(data)


def query_texts(request: Request) -> list[str]:
    """Every `query` and `update` text of a request: URL parameters, form body or direct POST body.

    >>> query_texts(Request("GET", "/query?query=ASK%7B%7D&x=1", "HTTP/1.1", []))
    ['ASK{}']
    """
    texts: list[str] = []
    _, _, raw_query = request.target.partition("?")
    texts += _form_values(raw_query)
    if request.method != "POST":
        return texts
    media = (request.header("content-type") or "").split(";")[0].strip().lower()
    if media == FORM:
        return texts + _form_values(_text(request.body))
    if media in QUERY_MEDIA_TYPES:
        return texts + [_text(request.body)]
    raise HttpError(415, f"unsupported Content-Type {media[:60]!r}; use {FORM}, application/sparql-query "
                         "or application/sparql-update")


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise HttpError(400, "the request is not UTF-8 text") from None


def _form_values(encoded: str) -> list[str]:
    try:
        pairs = urllib.parse.parse_qsl(encoded, keep_blank_values=True, errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise HttpError(400, "malformed URL-encoded parameters (not UTF-8)") from None
    return [value for key, value in pairs if key in ("query", "update")]


def check_request(request: Request, allow_service: Iterable[str] = ()) -> None:
    """HttpError unless the engine may see `request`: method, target form and every query text."""
    if request.method == "CONNECT":
        raise HttpError(400, "CONNECT is not served: this is a SPARQL endpoint, not a proxy", close=True)
    if request.method not in ALLOWED_METHODS:
        raise HttpError(405, f"{request.method} is not served here; the endpoint is read-only "
                             f"({', '.join(ALLOWED_METHODS)})", [("Allow", ", ".join(ALLOWED_METHODS))], close=True)
    if not request.target.startswith("/"):
        raise HttpError(400, "the request target must be a path (origin form), such as /query?query=...", close=True)
    if request.body and request.method != "POST":
        raise HttpError(400, f"{request.method} takes no body", close=True)
    for text in query_texts(request):
        try:
            check_query(text, allow_service)
        except QueryError as exc:
            raise HttpError(400, str(exc)) from None


def backend_request(request: Request, port: int) -> bytes:
    """The request as sent to the engine: same method, target and end-to-end headers; our own framing."""
    lines = [f"{request.method} {request.target} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in request.headers if k.lower() not in _HOP_BY_HOP]
    if request.body or request.method == "POST":
        lines.append(f"Content-Length: {len(request.body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + request.body


class ResultTooLarge(Exception):
    """The engine's answer is larger than `max_result_bytes`."""


@dataclass
class Response:
    """The engine's answer, held whole: status, headers and the body in a (spooled) file."""

    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: IO[bytes]
    length: int = 0
    chunked: bool = False
    started: bool = field(default=False)

    def header(self, name: str) -> str | None:
        values = [v for k, v in self.headers if k.lower() == name]
        return values[0] if values else None

    def tail(self, size: int = 256) -> bytes:
        self.body.seek(max(0, self.length - size))
        return self.body.read()


async def read_response(reader: asyncio.StreamReader, head_request: bool, on_first_byte: Callable[[], None]) -> Response:
    """Read the engine's whole answer (Connection: close framing, chunked or not) into a spooled file."""
    limit = limits.get("max_result_bytes")
    status_line = await reader.readuntil(b"\n")
    on_first_byte()
    parts = status_line.decode("latin-1").rstrip("\r\n").split(" ", 2)
    if len(parts) < 2 or not parts[1].isdigit():
        raise HttpError(502, "the query engine sent a malformed answer")
    headers: list[tuple[str, str]] = []
    while (line := await reader.readuntil(b"\n")) not in (b"\r\n", b"\n"):
        name, _, value = line.decode("latin-1").rstrip("\r\n").partition(":")
        headers.append((name.strip(), value.strip()))
    body = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)
    response = Response(int(parts[1]), parts[2] if len(parts) > 2 else "", headers, body)
    status = response.status
    if head_request or status in (204, 304) or 100 <= status < 200:
        return response
    too_big = lambda: ResultTooLarge()  # noqa: E731
    if (response.header("transfer-encoding") or "").lower() == "chunked":
        response.chunked = True
        await read_chunked(reader, limit, too_big, sink=body)
    else:
        while data := await reader.read(65536):
            if body.tell() + len(data) > limit:
                raise ResultTooLarge()
            body.write(data)
    response.length = body.tell()
    return response


_TEXT_RESULTS = ("text/csv", "text/tab-separated-values", "text/turtle", "application/n-triples",
                 "application/n-quads", "application/trig")


def result_is_complete(content_type: str, tail: bytes) -> bool:
    """True when a streamed result ends the way its format ends (not with an error message after it).

    >>> result_is_complete("text/csv; charset=utf-8", b"s\\r\\nhttp://x\\r\\nThe SPARQL operation has been cancelled")
    False
    >>> result_is_complete("application/sparql-results+json", b'{"head":{"vars":[]},"results":{"bindings":[]}}')
    True
    """
    media = content_type.split(";")[0].strip().lower()
    end = tail.rstrip()
    if b"operation has been cancelled" in tail[-120:]:
        return False
    if media in _TEXT_RESULTS:
        return not tail or tail.endswith(b"\n")
    if media.endswith("json"):
        return end.endswith((b"}", b"]"))
    if media == "application/sparql-results+xml":
        return end.endswith(b"</sparql>")
    if media.endswith("xml"):
        return end.endswith(b">")
    return True


def response_head(status: int, reason: str, headers: Iterable[tuple[str, str]], length: int, keep_alive: bool) -> bytes:
    """Status line and headers for the client, with our own Content-Length and Connection."""
    lines = [f"HTTP/1.1 {status} {reason or _REASONS.get(status, '')}".rstrip()]
    lines += [f"{k}: {v}" for k, v in headers if k.lower() not in _HOP_BY_HOP]
    lines += [f"Content-Length: {length}", f"Connection: {'keep-alive' if keep_alive else 'close'}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def error_response(status: int, message: str, keep_alive: bool = False,
                   headers: Iterable[tuple[str, str]] = ()) -> bytes:
    """A complete text/plain error answer.

    >>> error_response(400, "bad").split(b"\\r\\n")[0]
    b'HTTP/1.1 400 Bad Request'
    """
    body = (message.rstrip() + "\n").encode("utf-8")
    head = response_head(status, _REASONS.get(status, ""), [("Content-Type", "text/plain; charset=utf-8"),
                                                            ("Server", "stigraph"), *headers], len(body), keep_alive)
    return head + body
