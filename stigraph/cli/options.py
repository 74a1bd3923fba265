"""Options shared by every command (kept apart from main.py, which imports the command modules)."""
from __future__ import annotations

from pathlib import Path

import click

STORE_HELP = "Store folder (default: $STIGRAPH_STORE, else ~/.local/share/stigraph/store)."
store_option = click.option("--store", "store", type=click.Path(file_okay=False, path_type=Path),
                            envvar="STIGRAPH_STORE", default=None, help=STORE_HELP)
"""`--store DIR`, also read from STIGRAPH_STORE."""
