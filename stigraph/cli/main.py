"""The `stigraph` command line: thin click wrappers over the library.

Exit codes: 0 ok, 1 user error (one line on stderr naming file/line/what to do), 2 internal error.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from stigraph import api
from stigraph.cli.options import (
    echo_update, format_option, no_derived_option, progress_echo, registry_option, store_option,
)


class StigraphGroup(click.Group):
    """A click group that turns stigraph's errors into one line and an exit code."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):  # type: ignore[override]
        """Like click's main, but a usage error (bad option, bad choice) is a user error: exit 1."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as exc:
            exc.show()
            sys.exit(1)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("aborted", err=True)
            sys.exit(1)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except api.UserError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)
        except BrokenPipeError:
            sys.exit(0)
        except Exception as exc:
            if os.environ.get("STIGRAPH_DEBUG"):
                raise
            click.echo(f"internal error: {type(exc).__name__}: {exc} (set STIGRAPH_DEBUG=1 for a traceback)", err=True)
            sys.exit(2)


@click.group(cls=StigraphGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="stigraph")
def cli() -> None:
    """stigraph: a knowledge graph of Japan's STI programs, agencies, funds and policies.

    \b
    Start with:
      stigraph build                 # build the bundled graph into the store
      stigraph show JST              # one entity with its relations and sources
      stigraph query 'SELECT ...'    # SPARQL over the graph
    """


@cli.command("build")
@store_option
@registry_option
@no_derived_option
@click.option("--docs", "docs", multiple=True, type=click.Path(path_type=Path),
              help="Also extract facts from these documents (text or PDF; repeatable), one input each.")
@click.option("--full", is_flag=True, help="Rebuild a fresh generation from every input instead of updating the current one.")
@click.option("--compact", is_flag=True,
              help="Compact the new generation before it answers: queries ~25% faster on a large graph, the build slower.")
@format_option("table", "json")
def build_command(store: Path | None, registry: tuple[Path, ...], no_derived: bool | None, docs: tuple[Path, ...],
                  full: bool, compact: bool, fmt: str) -> None:
    """Build the graph, or bring it up to date with its inputs (atomically: a failure keeps the previous graph).

    A first build loads the ontology, the bundled registry and the facts extracted from the seeds. Later
    builds re-read only the inputs whose source changed (`stigraph inputs` lists them); documents,
    imports and findings stay until `stigraph remove` takes them away.

    \b
    Example:
      stigraph build
      stigraph build --store ./my-store --registry my_registry/
      stigraph build --docs budget_request_2025.pdf --docs strategy_2024.txt
      stigraph build --full --compact
    """
    summary = api.build(store, registry=list(registry) or None, include_derived=False if no_derived else None,
                        docs=list(docs) or None, full=full, progress=progress_echo, compact=compact)
    if fmt == "json":
        click.echo(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2))
        return
    echo_update(summary, "built")
    if summary.build is not None:
        click.echo("entities:  " + ", ".join(f"{k} {v}" for k, v in summary.build.entities.items()))
        click.echo("relations: " + ", ".join(f"{k} {v}" for k, v in summary.build.relations.items()))
        click.echo(f"budget entries: {summary.build.budget_entries}")


@cli.command("export")
@store_option
@click.option("--format", "fmt", required=True, type=click.Choice(api.EXPORT_FORMATS), help="Output format.")
@click.option("-o", "--output", "output", required=True, help="Output file, or - for stdout.")
@click.option("--graph", "graph_name", default=None, help="Export one named graph only (e.g. registry/001_jst).")
def export_command(store: Path | None, fmt: str, output: str, graph_name: str | None) -> None:
    """Export the whole graph (RDF or graph-tool formats).

    \b
    Example:
      stigraph export --format ttl -o stigraph.ttl
      stigraph export --format graphml -o stigraph.graphml     # Gephi, Cytoscape
      stigraph export --format nt -o - | wc -l
    """
    written = api.export(fmt, output, graph_name=graph_name, store=store)
    for path in written:
        click.echo(f"wrote {path}", err=True)


@cli.command("show")
@store_option
@click.argument("entity")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def show_command(store: Path | None, entity: str, fmt: str) -> None:
    """Show one entity by id, label or abbreviation: labels, class, relations, budgets, sources.

    \b
    Example:
      stigraph show jst
      stigraph show 未来共創推進事業 --format json
    """
    info = api.entity(entity, store=store)
    if fmt == "json":
        click.echo(json.dumps(info.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(api.format_entity(info))


# Command modules beside this one; each defines COMMANDS, a list of click commands.
COMMAND_MODULES = ("inputs_cmd", "extract_cmd", "view_cmd", "analyze_cmd", "serve_cmd", "interop_cmd", "validate_cmd")


def _register_command_modules() -> None:
    """Add the commands of every command module that is present."""
    import importlib

    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"stigraph.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"stigraph.cli.{name}":
                continue
            raise
        for command in getattr(module, "COMMANDS", []):
            cli.add_command(command)


_register_command_modules()


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="stigraph")


if __name__ == "__main__":  # pragma: no cover
    main()
