"""`stigraph validate`: SHACL validation of the built graph."""
from __future__ import annotations

import json
from pathlib import Path

import click

from stigraph import api
from stigraph.cli.options import store_option


@click.command("validate")
@store_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--warnings/--no-warnings", default=True, show_default=True, help="Also list warnings.")
def validate_command(store: Path | None, fmt: str, warnings: bool) -> None:
    """Check the built graph against the SHACL shapes (stigraph/ontology/shapes.ttl).

    Exits 1 when there are violations. Each line names the entity, the property and the source lines.

    \b
    Example:
      stigraph validate
      stigraph validate --format json > report.json
    """
    report = api.validate(store=store)
    if fmt == "json":
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        for item in report.violations + (report.warnings if warnings else []):
            click.echo(item.line())
        click.echo(f"{'conforms' if report.conforms else 'does not conform'}: {len(report.violations)} violations, "
                   f"{len(report.warnings)} warnings, {report.triples:,} triples checked")
    if not report.conforms:
        raise SystemExit(1)


COMMANDS = [validate_command]
