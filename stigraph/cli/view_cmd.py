"""`stigraph view`: interactive, self-contained HTML network views (whole, filtered, ego, analyses)."""
from __future__ import annotations

from pathlib import Path

import click

from stigraph import api
from stigraph.cli.options import store_option


@click.command("view")
@store_option
@click.option("-o", "--output", "output", default="stigraph.html", show_default=True, type=click.Path(path_type=Path),
              help="HTML file to write (UTF-8, opens offline), or - for stdout.")
@click.option("--title", default="stigraph", show_default=True, help="Page title.")
@click.option("--focus", default=None, metavar="ENTITY", help="Show the ego network of ENTITY (id, label or abbreviation).")
@click.option("--depth", default=1, show_default=True, type=click.IntRange(0, 10),
              help="Relations around --focus (the second step does not pass through themes or hubs).")
@click.option("--limit", default=40, show_default=True, type=click.IntRange(0, None),
              help="--focus: neighbours shown, the most relevant first; the rest fold into count nodes that expand "
                   "on click (0: every neighbour, nothing folded).")
@click.option("--analysis", "analysis", type=click.Choice(api.VIEW_ANALYSES), default=None,
              help="An analysis view: deps ENTITY | overlaps | ministries | chokepoints.")
@click.argument("entity", required=False)
@click.option("--budget", "budget", default=None, metavar="ENTITY",
              help="A chart of ENTITY's budget figures by fiscal year and kind (with its parts).")
@click.option("--flows", "flows", default=None, metavar="ENTITY",
              help="A Sankey of the money through ENTITY: ministry -> budget line -> body that runs it "
                   "(--year FY picks the fiscal year, --kind the budget kind).")
@click.option("--kind", "kind", default=None,
              type=click.Choice(api.BUDGET_KINDS), help="--flows: the budget kind (default: the best covered).")
@click.option("--direction", type=click.Choice(["up", "down"]), default="up", show_default=True,
              help="deps: what ENTITY depends on (up) or what depends on it (down).")
@click.option("--class", "classes", multiple=True, metavar="CLASS", help="Keep nodes of this class (repeatable).")
@click.option("--theme", "themes", multiple=True, metavar="THEME", help="Keep entities with this theme id and their neighbours (repeatable).")
@click.option("--year", "years", multiple=True, type=int, metavar="FY", help="Keep entities active in this fiscal year (repeatable).")
@click.option("--org", "orgs", multiple=True, metavar="ORG", help="Keep this organization's portfolio (repeatable).")
@click.option("--size", "size_by", type=click.Choice(["auto", "budget", "degree"]), default="auto", show_default=True,
              help="Node size: latest-year budget or number of relations (auto: budget when a quarter of nodes have one).")
@click.option("--lang", type=click.Choice(["ja", "en"]), default="ja", show_default=True, help="Node label language.")
@click.option("--max-nodes", type=click.IntRange(1, None), default=2000, show_default=True,
              help="Above this many nodes the view shows a summary.")
@click.option("--summary", type=click.Choice(["community", "class"]), default="community", show_default=True,
              help="How large graphs are summarised.")
def view_command(store: Path | None, output: Path, title: str, focus: str | None, depth: int, limit: int, analysis: str | None,
                 entity: str | None, budget: str | None, flows: str | None, kind: str | None, direction: str, classes: tuple[str, ...], themes: tuple[str, ...], years: tuple[int, ...],
                 orgs: tuple[str, ...], size_by: str, lang: str, max_nodes: int, summary: str) -> None:
    """Write an interactive HTML network of the graph (self-contained, opens offline).

    \b
    Example:
      stigraph view -o graph.html
      stigraph view --focus JST --depth 2 -o jst.html
      stigraph view --class Program --theme ai --year 2021 -o ai-programs.html
      stigraph view --analysis deps moonshot -o moonshot-deps.html
      stigraph view --analysis deps JST --direction down -o jst-dependents.html
      stigraph view --analysis overlaps -o overlaps.html
      stigraph view --budget kakenhi -o kakenhi-budget.html
      stigraph view --flows mext --year 2024 -o mext-flows.html
    """
    to_stdout = str(output) == "-"
    if not to_stdout:
        api.check_output(output)
    if budget or flows:
        _check_money_options(budget, flows, focus, analysis, entity, classes, themes, years, orgs, kind)
        chosen_title = title if title != "stigraph" else None
        if budget:
            result = api.view_budget(budget, store, chosen_title)
        else:
            result = api.view_flows(flows, years[0] if years else None, kind, store, chosen_title)
        if to_stdout:
            click.echo(result.html, nl=False)
            return
        result.write(output)
        what = f"{result.edges} flows between {result.nodes} nodes" if flows else f"budget chart of {result.nodes} series"
        click.echo(f"wrote {output}: {what} ({result.notes[0].split('. ')[0]})")
        return
    if kind:
        raise api.UserError("--kind goes with --flows")
    result = api.view(title, store, analysis=analysis, entity=entity, direction=direction, focus=focus, depth=depth,
                      limit=limit or None,
                      classes=classes, themes=themes, years=years, orgs=orgs, size_by=size_by, lang=lang,
                      max_nodes=max_nodes, summary=summary)
    if to_stdout:
        click.echo(result.html, nl=False)
        return
    result.write(output)
    click.echo(f"wrote {output}: {result.nodes} nodes, {result.edges} edges" + (f" ({result.note})" if result.note else ""))


def _check_money_options(budget, flows, focus, analysis, entity, classes, themes, years, orgs, kind) -> None:
    """--budget and --flows stand alone (--flows takes one --year and --kind)."""
    if budget and flows:
        raise api.UserError("choose one of --budget and --flows")
    if focus or analysis or entity or classes or themes or orgs:
        raise api.UserError("--budget/--flows take no --focus, --analysis, --class, --theme or --org")
    if budget and (years or kind):
        raise api.UserError("--budget shows every year and kind; --year and --kind go with --flows")
    if len(years) > 1:
        raise api.UserError("--flows shows one fiscal year: give --year once")


COMMANDS = [view_command]
