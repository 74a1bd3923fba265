"""`stigraph serve`: the store as a read-only SPARQL 1.1 endpoint (Oxigraph's server behind a swap relay)."""
from __future__ import annotations

from pathlib import Path

import click

from stigraph.cli.options import store_option
from stigraph import api


@click.command("serve")
@store_option
@click.option("--host", default=api.SERVE_DEFAULT_HOST, show_default=True,
              help="Interface to listen on; 0.0.0.0 exposes the endpoint to the network.")
@click.option("--port", default=api.SERVE_DEFAULT_PORT, show_default=True, type=click.IntRange(0, 65535))
@click.option("--timeout", "timeout_s", default=30.0, show_default=True, type=click.FloatRange(1, 3600),
              help="Seconds a query may run before the server gives up on it (answered 503).")
@click.option("--allow-service", "allow_service", multiple=True, metavar="URL-PREFIX",
              help="Let SERVICE call endpoints whose URL starts with this prefix (repeatable); "
                   "without it SERVICE is refused with HTTP 400.")
def serve_command(store: Path | None, host: str, port: int, timeout_s: float, allow_service: tuple[str, ...]) -> None:
    """Serve the graph read-only over the SPARQL 1.1 Protocol, with a query page at /.

    Queries see all named graphs (union default graph); updates are refused, and so are
    SERVICE (unless --allow-service), CONNECT and queries nested deeper than
    STIGRAPH_MAX_QUERY_DEPTH. A new `stigraph build` is picked up automatically,
    without dropping connections.

    \b
    Example:
      stigraph serve                     # http://127.0.0.1:7878/query, page at http://127.0.0.1:7878/
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 3' \\
           http://127.0.0.1:7878/query
    """
    warning = api.serve_exposure_warning(host)
    if warning:
        click.echo(warning, err=True)

    api.serve(store, host=host, port=port, timeout_s=timeout_s, log=lambda msg: click.echo(msg, err=True),
              allow_service=list(allow_service))


COMMANDS = [serve_command]
