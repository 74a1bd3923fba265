"""Options shared by several commands, each declared once (kept apart from main.py, which imports the command modules)."""
from __future__ import annotations

from pathlib import Path

import click

STORE_HELP = "Store folder (default: $STIGRAPH_STORE, else ~/.local/share/stigraph/store)."
store_option = click.option("--store", "store", type=click.Path(file_okay=False, path_type=Path),
                            envvar="STIGRAPH_STORE", default=None, help=STORE_HELP)
"""`--store DIR`, also read from STIGRAPH_STORE."""

registry_option = click.option(
    "--registry", "registry", multiple=True, type=click.Path(path_type=Path),
    help="Registry YAML file or folder to use instead of the bundled one (repeatable); the store remembers it.")
"""`--registry PATH`, repeatable."""

no_derived_option = click.option(
    "--no-derived", is_flag=True, default=None,
    help="Leave out the bundled facts extracted from the seed documents (the store remembers it).")
"""`--no-derived`: None when not given, so that a build keeps what the store has."""


def format_option(*choices: str, default: str | None = None, help: str | None = None):  # noqa: A002 - click's name
    """`--format` with these choices (the first is the default unless `default` says otherwise)."""
    return click.option("--format", "fmt", type=click.Choice(list(choices)), default=default or choices[0],
                        show_default=True, help=help)


def progress_echo(message: str) -> None:
    """Progress lines on stderr, so that stdout stays data."""
    click.echo(f"… {message}", err=True)


def echo_update(summary, verb: str = "updated") -> None:
    """One line per input changed, then the store's size (stderr for notes, stdout for the result)."""
    for note in summary.notes:
        click.echo(f"note: {note}", err=True)
    if not summary.changed:
        click.echo("nothing to do: every input is up to date")
        return
    parts = [f"{label} {', '.join(names)}" for label, names in
             (("added", summary.added), ("replaced", summary.replaced), ("removed", summary.removed)) if names]
    build = summary.build
    size = f"{build.quads:,} quads in {build.graphs} named graphs"
    click.echo(f"{verb} {build.store} in {build.seconds:.2f} s{' (full build)' if summary.full else ''}: "
               f"{'; '.join(parts) or 'no input changed'}; {size}")
