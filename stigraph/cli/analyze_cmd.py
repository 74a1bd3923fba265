"""`stigraph deps` and `stigraph analyze ...`: thin wrappers over stigraph.graph.analysis."""
from __future__ import annotations

import json
from pathlib import Path

import click

from stigraph import api
from stigraph.cli.options import progress_echo, store_option

output_option = click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path), default=None,
                             help="Write to this file instead of stdout (UTF-8).")
write_back_option = click.option("--write-back", is_flag=True,
                                 help="Also keep the result in the store as inferred findings (input findings/<analysis>, "
                                      "graph derived/<analysis>); the other inputs stay as they are.")


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text)
    else:
        output.write_text(text + "\n", encoding="utf-8")
        click.echo(f"wrote {output}", err=True)


def _finish(result, fmt: str, output: Path | None, do_write_back: bool, store: Path | None) -> None:
    _emit(json.dumps(result.as_dict(), ensure_ascii=False, indent=2) if fmt == "json" else api.format_result(result), output)
    if do_write_back:
        summary = api.write_back([result], store=store, progress=progress_echo)
        click.echo(f"wrote the findings back: {', '.join(summary.added + summary.replaced) or 'unchanged'}", err=True)


@click.command("deps")
@store_option
@click.argument("entity")
@click.option("--direction", type=click.Choice(["up", "down"]), default="up", show_default=True,
              help="up: what ENTITY depends on; down: what depends on ENTITY.")
@click.option("--depth", type=click.IntRange(min=1), default=None, help="Stop after this many steps (default: no limit).")
@click.option("--format", "fmt", type=click.Choice(["tree", "json"]), default="tree", show_default=True)
@output_option
@write_back_option
def deps_command(store, entity, direction, depth, fmt, output, write_back) -> None:
    """Dependencies of an entity (id, label or abbreviation), each step with its predicate and source line.

    \b
    Example:
      stigraph deps moonshot                      # agency, council, fund, policies it rests on
      stigraph deps jst --direction down --depth 2
      stigraph deps 大学ファンド --direction down --format json
    """
    result = api.deps(entity, direction, depth, store=store)
    _finish(result, fmt, output, write_back, store)


@click.group("analyze")
def analyze_group() -> None:
    """Analyses of the graph: choke points, overlaps, ministries, landscape.

    \b
    Example:
      stigraph analyze overlaps --min-score 0.5
      stigraph analyze chokepoints --format json
    """


@analyze_group.command("chokepoints")
@store_option
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@output_option
@write_back_option
def chokepoints_command(store, top, fmt, output, write_back) -> None:
    """Organizations, funds and policies whose loss would cut the most programs from all their
    administrators, funders or policy bases (dominators), with the programs they would cut.

    \b
    Example:
      stigraph analyze chokepoints --top 10
    """
    result = api.chokepoints(top=top, store=store)
    _finish(result, fmt, output, write_back, store)


@analyze_group.command("overlaps")
@store_option
@click.option("--min-score", type=click.FloatRange(0, 1), default=0.4, show_default=True,
              help="Lowest score of the look-alike (similar) pairs; stated, re-listed and shared ones are always shown.")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(api.OVERLAP_KINDS), help="Only these kinds (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@output_option
@write_back_option
def overlaps_command(store, min_score, kinds, fmt, output, write_back) -> None:
    """Overlapping efforts: stated overlaps (一部重複, 再掲), re-listed measures, programs run jointly by
    different bodies, and look-alike programs of different bodies; each pair says why.

    \b
    Example:
      stigraph analyze overlaps
      stigraph analyze overlaps --kind similar --min-score 0.6 --format json
    """
    result = api.overlaps(min_score=min_score, kinds=tuple(kinds) or None, store=store)
    _finish(result, fmt, output, write_back, store)


@analyze_group.command("ministries")
@store_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@output_option
@write_back_option
def ministries_command(store, fmt, output, write_back) -> None:
    """Co-responsibility of ministries over the strategy's measures: shares, pairs with their themes,
    and measures naming a program run under another ministry.

    \b
    Example:
      stigraph analyze ministries --format json -o ministries.json
    """
    result = api.ministries(store=store)
    _finish(result, fmt, output, write_back, store)


@analyze_group.command("landscape")
@store_option
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True, help="Entities per class.")
@click.option("--seed", type=int, default=42, show_default=True, help="Seed of Louvain and sampled betweenness.")
@click.option("--betweenness-samples", type=click.IntRange(min=1), default=None,
              help="Estimate betweenness from this many sampled nodes (default: exact on small graphs only).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@output_option
@write_back_option
def landscape_command(store, top, seed, betweenness_samples, fmt, output, write_back) -> None:
    """Central entities per class (degree, PageRank, betweenness), Louvain communities with their themes
    and organizations, and budget roll-ups by organization, theme and fiscal year.

    \b
    Example:
      stigraph analyze landscape --top 5
    """
    result = api.landscape(top=top, seed=seed, betweenness_samples=betweenness_samples, store=store)
    _finish(result, fmt, output, write_back, store)


COMMANDS = [deps_command, analyze_group]
