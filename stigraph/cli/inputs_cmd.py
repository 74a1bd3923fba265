"""`stigraph inputs` and `stigraph remove`: what the store was built from, and taking an input away."""
from __future__ import annotations

import json
from pathlib import Path

import click

from stigraph import api
from stigraph.cli.options import echo_update, format_option, progress_echo, store_option


@click.command("inputs")
@store_option
@format_option("table", "json")
def inputs_command(store: Path | None, fmt: str) -> None:
    """List the inputs the store was built from: registry, documents, imports, datasets, findings.

    \b
    Example:
      stigraph inputs
      stigraph inputs --format json
    """
    records = api.inputs(store)
    if fmt == "json":
        click.echo(json.dumps([r.as_dict() for r in records], ensure_ascii=False, indent=2))
    else:
        click.echo(api.format_inputs(records))


@click.command("remove")
@store_option
@click.argument("names", nargs=-1, required=True)
def remove_command(store: Path | None, names: tuple[str, ...]) -> None:
    """Remove inputs (by the names `stigraph inputs` shows) and every graph they own; the rest stays.

    \b
    Example:
      stigraph remove import/my-data
      stigraph remove doc/budget_request_2025 findings/overlaps
    """
    echo_update(api.remove(list(names), store, progress=progress_echo), "removed from")


COMMANDS = [inputs_command, remove_command]
