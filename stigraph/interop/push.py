"""Push the graph into any SPARQL 1.1 store: SPARQL Update in batches, or the Graph Store Protocol.

A push is idempotent: every target graph is replaced, never appended to. With the update protocol
the first request of a graph is `DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> { ... } }` and
later batches add to it; with the Graph Store Protocol each graph is one `PUT`, which replaces it
atomically on the server. Blank nodes are scoped per request, so with the update protocol every
triple that mentions a blank node goes in one batch (the Graph Store Protocol sends a graph at once).

HTTP goes through requests with Basic or Digest authentication, whichever the store asks for
(Virtuoso's `/sparql-auth` asks for Digest; most other stores use Basic). Every request has a
timeout (`timeout`, default 60 s, for connecting and for each wait on the store), and no message
ever shows a password: `user:password@` in a URL and the `auth` password are masked (`redact`).
"""
from __future__ import annotations

import re
import time
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from stigraph.errors import UserError
from stigraph.sparql.graph import StiGraph

PROTOCOLS = ("update", "gsp")
# Virtuoso 7.2's SPARQL parser runs out of memory near 5,000 triples in one INSERT DATA (measured):
# 2,000 leaves a margin and costs nothing measurable on Oxigraph or Virtuoso.
DEFAULT_BATCH = 2000
DEFAULT_TIMEOUT = 60.0
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/?#@\s]*@")


@dataclass
class PushSummary:
    """What a push sent: target graphs, triples, HTTP requests and time."""

    endpoint: str
    protocol: str
    graphs: list[str] = field(default_factory=list)
    triples: int = 0
    requests: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return {"endpoint": self.endpoint, "protocol": self.protocol, "graphs": self.graphs,
                "triples": self.triples, "requests": self.requests, "seconds": round(self.seconds, 3)}


def parse_auth(auth: str | tuple[str, str] | None) -> tuple[str, str] | None:
    """`"user:password"` -> ("user", "password"); the password may contain colons.

    >>> parse_auth("dba:s3:cret")
    ('dba', 's3:cret')
    """
    if auth is None or isinstance(auth, tuple):
        return auth
    user, sep, password = auth.partition(":")
    if not sep or not user:
        raise UserError("--auth must be USER:PASSWORD")
    return user, password


def redact(text: str, auth: tuple[str, str] | None = None) -> str:
    """`text` with credentials masked: the `user:password@` of any URL, and the password of `auth`.

    >>> redact("http://dba:s3cret@localhost:8890/sparql: cannot connect", ("dba", "s3cret"))
    'http://***@localhost:8890/sparql: cannot connect'
    """
    text = _USERINFO.sub(r"\1***@", text)
    if auth and auth[1]:
        text = text.replace(auth[1], "***")
    return text


def _session(endpoint: str, auth: tuple[str, str] | None, timeout: float):
    """A requests session that authenticates every request from its first byte.

    The scheme (Basic or Digest) is read from the store's challenge to a small probe. With Digest, the
    probe also primes the nonce, so a large body is never sent once just to earn a 401: Virtuoso resets
    the connection instead of answering when that happens (measured on a 4 MB Graph Store PUT).
    """
    import requests
    from requests.auth import HTTPBasicAuth, HTTPDigestAuth

    session = requests.Session()
    if not auth:
        return session
    challenge = _probe(session, endpoint, timeout).headers.get("WWW-Authenticate", "")
    if challenge.lower().startswith("digest"):
        session.auth = HTTPDigestAuth(*auth)
        _probe(session, endpoint, timeout)
    else:
        session.auth = HTTPBasicAuth(*auth)
    return session


def _probe(session, endpoint: str, timeout: float):
    import requests

    try:
        return session.get(endpoint, timeout=timeout)
    except requests.Timeout:
        raise UserError(f"{endpoint}: no answer within {timeout:g} s (timeout); is the store running?") from None
    except requests.RequestException as exc:
        raise UserError(f"{endpoint}: cannot connect ({_reason(exc)}); is the store running?") from None


def _reason(exc: BaseException) -> str:
    text = str(exc)
    match = re.search(r"\[Errno -?\d+\] ([^'\")]+)", text)
    return match[1] if match else text.splitlines()[0][:120]


def _send(session, method: str, url: str, body: bytes, content_type: str, timeout: float) -> None:
    import requests

    try:
        response = session.request(method, url, data=body, headers={"Content-Type": content_type}, timeout=timeout)
    except requests.Timeout:
        raise UserError(f"{url}: no answer within {timeout:g} s (timeout); the store may be down, or "
                        "try a smaller --batch-size or a larger --timeout") from None
    except requests.RequestException as exc:
        raise UserError(f"{url}: cannot connect ({_reason(exc)}); is the store running?") from None
    if response.status_code < 400:
        return
    code = response.status_code
    detail = response.content.decode("utf-8", "replace").strip().splitlines()
    hint = {401: "; give --auth USER:PASSWORD (or check it)",
            403: "; the store refuses updates (check --auth and grants)",
            404: "; check the URL (Oxigraph: /update or /store; Virtuoso: /sparql or /sparql-graph-crud; "
                 "Fuseki: /DATASET/update or /DATASET/data)",
            405: "; this URL does not take updates", 415: "; try the other --protocol"}.get(code, "")
    first = next((line for line in detail if line.strip() and not line.startswith("<")), "")
    if "memory exhausted" in first or code == 413:
        hint = "; the store cannot take batches this big: try a smaller --batch-size"
    raise UserError(f"{url}: HTTP {code} {response.reason}{': ' + first[:200] if first else ''}{hint}")


def _ntriples(triples: Iterable[ox.Triple]) -> bytes:
    return ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES) or b""


def _has_blank(triple: ox.Triple) -> bool:
    return isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode)


def _batches(triples: list[ox.Triple], size: int) -> Iterator[list[ox.Triple]]:
    """Triples in batches of `size`; every triple with a blank node in one last batch (labels are per request)."""
    plain = [t for t in triples if not _has_blank(t)]
    blank = [t for t in triples if _has_blank(t)]
    for start in range(0, len(plain), size):
        yield plain[start:start + size]
    if blank:
        yield blank


def source_graphs(graph: StiGraph, target: str | None = None) -> list[tuple[str | None, list[ox.Triple]]]:
    """(target graph IRI, triples) pairs: each named graph as it is, or everything (deduplicated) in `target`.

    A graph IRI of None means the store's default graph.
    """
    db = graph.store
    if target:
        ox.NamedNode(target)  # ValueError early for a bad IRI
        union = {ox.Triple(q.subject, q.predicate, q.object) for q in db.quads_for_pattern(None, None, None, None)}
        return [(target, sorted(union, key=str))]
    out: list[tuple[str | None, list[ox.Triple]]] = []
    names = sorted(db.named_graphs(), key=lambda g: g.value)
    for name in names:
        out.append((name.value, [ox.Triple(q.subject, q.predicate, q.object)
                                 for q in db.quads_for_pattern(None, None, None, name)]))
    default = [ox.Triple(q.subject, q.predicate, q.object)
               for q in db.quads_for_pattern(None, None, None, ox.DefaultGraph())]
    if default:
        out.append((None, default))
    return out


def push(graph: StiGraph, endpoint: str, graph_iri: str | None = None, auth: str | tuple[str, str] | None = None,
         protocol: str = "update", batch_size: int = DEFAULT_BATCH, timeout: float = DEFAULT_TIMEOUT,
         progress: Callable[[int, int], None] | None = None) -> PushSummary:
    """Load the graph into a SPARQL 1.1 store, replacing the target graphs (idempotent).

    `endpoint` is the store's SPARQL Update URL (protocol "update") or Graph Store Protocol URL
    (protocol "gsp"). Named graphs are kept unless `graph_iri` puts everything into one graph.
    `timeout` bounds each wait on the store (seconds). Errors never show credentials.

    >>> push(StiGraph.open(), "http://127.0.0.1:7878/update")  # doctest: +SKIP
    PushSummary(endpoint='http://127.0.0.1:7878/update', protocol='update', graphs=[...], triples=..., ...)
    """
    credentials = None
    try:
        credentials = parse_auth(auth)
        return _push(graph, endpoint, graph_iri, credentials, protocol, batch_size, timeout, progress)
    except UserError as exc:
        raise UserError(redact(str(exc), credentials)) from None
    except Exception as exc:  # an internal error is still one, but its text may hold the URL or password
        raise RuntimeError(redact(f"{type(exc).__name__}: {exc}", credentials)) from None


def _push(graph: StiGraph, endpoint: str, graph_iri: str | None, auth: tuple[str, str] | None, protocol: str,
          batch_size: int, timeout: float, progress: Callable[[int, int], None] | None) -> PushSummary:
    if protocol not in PROTOCOLS:
        raise UserError(f"unknown protocol {protocol!r}; use one of {', '.join(PROTOCOLS)}")
    try:
        parts = urllib.parse.urlparse(endpoint)
        parts.port  # noqa: B018 - a bad port raises here
    except ValueError as exc:
        raise UserError(f"{endpoint}: not a valid URL ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UserError(f"{endpoint}: give the store's http(s) URL, e.g. http://127.0.0.1:7878/update")
    if batch_size < 1:
        raise UserError("--batch-size must be at least 1")
    if not timeout > 0:
        raise UserError("--timeout must be a positive number of seconds")
    try:
        targets = source_graphs(graph, graph_iri)
    except ValueError as exc:
        raise UserError(f"--graph {graph_iri!r} is not an IRI ({exc})") from None
    session = _session(endpoint, auth, timeout)
    summary = PushSummary(endpoint=redact(endpoint, auth), protocol=protocol)
    total = sum(len(t) for _, t in targets)
    started = time.perf_counter()
    for name, triples in targets:
        if protocol == "gsp":
            query = urllib.parse.urlencode({"graph": name}) if name else "default"
            url = f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"
            # N-Triples is a subset of Turtle; text/turtle is the type every Graph Store accepts.
            _send(session, "PUT", url, _ntriples(triples), "text/turtle", timeout)
            summary.requests += 1
            summary.triples += len(triples)
        else:
            iri = str(ox.NamedNode(name)) if name else ""
            open_graph, close_graph = (f"GRAPH {iri} {{\n", "}\n") if name else ("", "")
            drop = f"DROP SILENT GRAPH {iri} ;\n" if name else "DROP SILENT DEFAULT ;\n"
            batches = list(_batches(triples, batch_size)) or [[]]
            for index, batch in enumerate(batches):
                body = (drop if index == 0 else "").encode() + b"INSERT DATA {\n" + open_graph.encode() + \
                    _ntriples(batch) + close_graph.encode() + b"}\n"
                _send(session, "POST", endpoint, body, "application/sparql-update", timeout)
                summary.requests += 1
                summary.triples += len(batch)
                if progress:
                    progress(summary.triples, total)
        if progress:
            progress(summary.triples, total)
        summary.graphs.append(name or "(default graph)")
    summary.seconds = time.perf_counter() - started
    return summary
