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
              help="Seconds a query may run before the server gives up on it.")
def serve_command(store: Path | None, host: str, port: int, timeout_s: float) -> None:
    """Serve the graph read-only over the SPARQL 1.1 Protocol, with a query page at /.

    Queries see all named graphs (union default graph); updates are refused. A new
    `stigraph build` is picked up automatically, without dropping connections.

    \b
    Example:
      stigraph serve                     # http://127.0.0.1:7878/query, page at http://127.0.0.1:7878/
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 3' \\
           http://127.0.0.1:7878/query
    """
    warning = api.serve_exposure_warning(host)
    if warning:
        click.echo(warning, err=True)

    api.serve(store, host=host, port=port, timeout_s=timeout_s, log=lambda msg: click.echo(msg, err=True))


COMMANDS = [serve_command]
