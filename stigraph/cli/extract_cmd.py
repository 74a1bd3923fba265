"""`stigraph extract FILE...`: show what the document extractors find, without touching any store."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from stigraph import api

PROGRESS_MIN_FILES = 2


@click.command("extract")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--kind", type=click.Choice(api.EXTRACT_KINDS), default="all", show_default=True,
              help="What to extract: budget lines, strategy measures, entity mentions, or all.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True,
              help="table for people, csv/json for programs.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of standard output (UTF-8).")
@click.option("--tokenizer", type=click.Choice(["rules", "sudachi"]), default="rules", show_default=True,
              help="Where a mention may start and end: character-class rules, or SudachiPy tokens ([ja] extra).")
def extract_command(files: tuple[Path, ...], kind: str, fmt: str, output: Path | None, tokenizer: str) -> None:
    """Extract budget entries, strategy measures and entity mentions from documents.

    FILE may be UTF-8 or CP932/Shift_JIS text or a PDF. Nothing is written to the store.

    \b
    Example:
      stigraph extract ../shared/seeds/000_e5eefd47d6133f4f.txt --kind budget
      stigraph extract strategy.pdf --kind measures --format json -o measures.json
      stigraph extract report.txt --kind mentions --tokenizer sudachi
    """
    results: list = []
    try:
        if len(files) >= PROGRESS_MIN_FILES:
            with click.progressbar(files, label="extracting", file=sys.stderr) as bar:
                for path in bar:
                    results.append(api.extract(path, kind=kind, tokenizer=tokenizer))
        else:
            for path in files:
                results.append(_extract_one(path, kind, tokenizer))
    except api.UserError as exc:
        raise click.ClickException(str(exc)) from None
    text = api.extraction_report(results, fmt)
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


def _extract_one(path: Path, kind: str, tokenizer: str = "rules"):
    """One file; a PDF with many pages gets a page progress bar on stderr."""
    if path.suffix.lower() != ".pdf":
        return api.extract(path, kind=kind, tokenizer=tokenizer)
    state: dict = {}

    def progress(done: int, total: int) -> None:
        if total < 10:
            return
        if "bar" not in state:
            state["bar"] = click.progressbar(length=total, label="reading pages", file=sys.stderr)
            state["bar"].__enter__()
        state["bar"].update(1)

    try:
        return api.extract(path, kind=kind, progress=progress, tokenizer=tokenizer)
    finally:
        if "bar" in state:
            state["bar"].__exit__(None, None, None)


COMMANDS = [extract_command]
