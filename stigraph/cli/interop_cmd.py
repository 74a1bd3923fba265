"""`stigraph push`, `stigraph import`, and the `stigraph query` that also runs named queries.

`query_command` here replaces the one in main.py (same string / -f behaviour, plus `--list`,
`NAME --param KEY=VALUE` and `--show`); it is not in COMMANDS so the two never clash.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from stigraph.cli.options import store_option


def _bar(total: int, label: str, threshold: int = 1_000_000):
    """A progress bar on stderr for big jobs; a no-op context for small ones."""
    if total < threshold:
        return _NoBar()
    return click.progressbar(length=total, label=label, file=sys.stderr)


class _NoBar:
    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None

    def update(self, _n: int) -> None:
        return None


@click.command("query")
@store_option
@click.argument("sparql", required=False)
@click.option("-f", "--file", "file", type=click.Path(path_type=Path), help="Read the query from a .rq file.")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
              help="Bind a parameter of a named query (repeatable; repeat a key for several values).")
@click.option("--list", "list_queries", is_flag=True, help="List the named queries and their parameters.")
@click.option("--show", is_flag=True, help="Print the named query with its parameters bound instead of running it.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table", show_default=True,
              help="Output for SELECT/ASK; CONSTRUCT and DESCRIBE always print Turtle.")
def query_command(store: Path | None, sparql: str | None, file: Path | None, params: tuple[str, ...],
                  list_queries: bool, show: bool, fmt: str) -> None:
    """Run a SPARQL query, or a named query of the library, over all named graphs.

    \b
    Example:
      stigraph query --list
      stigraph query programs-of-agency --param agency=jst
      stigraph query budget-history -p entity=kakenhi --format csv
      stigraph query 'SELECT ?p WHERE { ?p stig:administeredBy id:jst }'
      stigraph query -f my.rq --format json
    """
    from stigraph import api

    if list_queries:
        click.echo(api.list_queries(fmt="json" if fmt == "json" else "table"))
        return
    if sparql and file is None and api.is_query_name(sparql):
        click.echo(api.query_named(sparql, api.parse_params(params), fmt=fmt, store=store, show=show), nl=False)
        click.echo()
        return
    if params or show:
        raise api.QueryError("--param and --show go with a named query: stigraph query NAME --param KEY=VALUE "
                         "(see stigraph query --list)")
    click.echo(api.query_text(sparql=sparql, file=file, fmt=fmt, store=store), nl=False)
    click.echo()


@click.command("push")
@store_option
@click.option("--endpoint", required=True, metavar="URL",
              help="The store's SPARQL Update URL (or Graph Store URL with --protocol gsp).")
@click.option("--graph", "graph_iri", default=None, metavar="IRI",
              help="Put everything into this one graph (default: keep stigraph's named graphs).")
@click.option("--auth", envvar="STIGRAPH_PUSH_AUTH", default=None, metavar="USER:PASSWORD",
              help="Basic or Digest credentials (or set STIGRAPH_PUSH_AUTH).")
@click.option("--protocol", type=click.Choice(["update", "gsp"]), default="update", show_default=True,
              help="update: SPARQL Update in batches; gsp: one Graph Store Protocol PUT per graph.")
@click.option("--batch-size", default=2000, show_default=True, type=click.IntRange(1),
              help="Triples per INSERT DATA (Virtuoso fails near 5,000).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def push_command(store: Path | None, endpoint: str, graph_iri: str | None, auth: str | None, protocol: str,
                 batch_size: int, fmt: str) -> None:
    """Load the graph into a SPARQL 1.1 store; pushing again replaces, never duplicates.

    \b
    Example:
      stigraph push --endpoint http://127.0.0.1:7878/update                      # oxigraph serve
      stigraph push --endpoint http://localhost:8890/sparql-auth --auth dba:PASS  # Virtuoso
      stigraph push --endpoint http://localhost:3030/ds/data --protocol gsp       # Fuseki
    """
    from stigraph import api

    graph = api.open(store)
    total = len(graph.store)
    with _bar(total, "pushing", threshold=50_000) as bar:
        done = [0]

        def advance(sent: int, _total: int) -> None:
            bar.update(sent - done[0])
            done[0] = sent

        summary = api.push(endpoint, graph_iri=graph_iri, auth=auth, protocol=protocol, batch_size=batch_size,
                           store=graph, progress=advance)
    if fmt == "json":
        click.echo(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(f"pushed {summary.triples:,} triples in {len(summary.graphs)} graph(s) to {endpoint} "
               f"({summary.requests} requests, {summary.seconds:.2f} s)")


@click.command("import")
@store_option
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--graph", default=None, metavar="IRI|NAME",
              help="Named graph for all FILES (default: one input and graph per file, .../graph/import/<file name>).")
def import_command(store: Path | None, files: tuple[Path, ...], graph: str | None) -> None:
    """Add your own RDF (ttl, nt, nq, trig, jsonld, rdf) or CSV, or review-sheet (RS) data, to the store.

    Each file becomes one input of the store (`stigraph inputs`) in its own named graph; importing the
    same file again replaces it; `stigraph remove NAME` takes it away. The other inputs are not reloaded.
    CSV takes the nodes or edges layout of `stigraph export --format csv` (see docs/interop.md).

    \b
    Example:
      stigraph import my_programs.ttl
      stigraph import nodes.csv edges.csv --graph my-network
      stigraph import RS_2025_*.zip
    """
    from stigraph import api
    from stigraph.cli.options import echo_update, progress_echo

    echo_update(api.import_files(list(files), graph, store, progress=progress_echo), "imported into")


COMMANDS = [query_command, push_command, import_command]
