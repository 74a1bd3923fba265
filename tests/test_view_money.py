"""Money views: one figure per entity, year and kind; flow rows that never double count; escaped, offline pages."""
from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from click.testing import CliRunner

from stigraph.views.compose import projection
from stigraph.views.money import budget_view, flows_view
from stigraph.views.money.figures import entity_figures
from stigraph.views.money.flows import OTHERS, SELF, FlowRow, flow_picture, flow_rows
from tests.browser.viewkit import REGISTRY, XSS_LABELS, cli_group, external_references, fixture_graph, loading_attributes


@pytest.fixture(scope="module")
def graph():
    return fixture_graph()


@pytest.fixture(scope="module")
def nxg(graph):
    return projection(graph)


@pytest.fixture(scope="module")
def rows(graph):
    return flow_rows(graph)


def _chart(html: str) -> dict:
    return json.loads(re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', html, re.S).group(1))


def test_one_figure_per_entity_year_and_kind(graph):
    figures = entity_figures(graph)
    keys = [(f.entity, f.fiscal_year, f.kind) for found in figures.values() for f in found]
    assert len(keys) == len(set(keys))
    mirai = {(f.fiscal_year, f.kind): f.amount for f in figures["mirai-kyoso"]}
    # The draft figure and the previous year's figure printed beside it stay two kinds in two years.
    assert mirai == {(2020, "initial"): Decimal("3005000000"), (2021, "draft"): Decimal("3105000000")}


def test_figures_follow_the_shared_budget_rule():
    """The entity's figure sums its own entries; a breakdown item inside one is listed, not added; 内数 is flagged."""
    from stigraph.sparql.budget import BudgetBook
    from stigraph.sparql.budget import Figure as Entry

    book = BudgetBook([Entry("e/a", "x", 2024, 2024, "initial", Decimal(500)),
                       Entry("e/b", "x", 2024, 2024, "initial", Decimal(300)),
                       Entry("e/a1", "x", 2024, 2024, "initial", Decimal(200), ("e/a",)),
                       Entry("e/r", "x", 2025, 2025, "request", Decimal(900), included_in=True)])
    initial, request = entity_figures(book)["x"]
    assert (initial.kind, initial.amount, [p.entry for p in initial.parts]) == ("initial", 800, ["e/a1"])
    assert (request.kind, request.included) == ("request", True)


def test_flows_of_a_ministry_count_each_line_once(rows, nxg, graph):
    from stigraph.sparql.budget import BudgetBook

    picture = flow_picture(rows, nxg, "mext", 2022, book=BudgetBook.from_graph(graph))
    stage1 = [r for r in picture.rows if r.stage == 1]
    lines = [r.target for r in stage1]
    assert len(lines) == len(set(lines))
    # medical-ai is run by AMED, under both MEXT and MHLW: one joint payer, never two full copies.
    assert [r.source for r in stage1 if r.target == "medical-ai"] == ["joint:mext+mhlw"]
    # Moonshot goal 1 is part of Moonshot, which has a figure of the same year and kind: left out.
    assert "moonshot-goal-1" not in lines and "moonshot" in lines and picture.contained == 1
    # A program MEXT runs itself ends in 「runs it itself」; what flows out of a line equals what flows in.
    assert ("mext-direct-program", SELF + "mext") in {(r.source, r.target) for r in picture.rows}
    for line in lines:
        into = sum(r.amount for r in stage1 if r.target == line)
        out = sum(r.amount for r in picture.rows if r.stage == 2 and r.source == line)
        assert into == out
    assert sum(r.amount for r in stage1) == Decimal("16000000000") + Decimal("3800000000") + Decimal(
        "800000000") + Decimal("500000000")


def test_one_picture_is_one_year_and_one_kind(rows, nxg):
    picture = flow_picture(rows, nxg, "mext")
    assert {(r.year, r.kind) for r in picture.rows} == {(picture.year, picture.kind)}
    assert (2021, "initial") in picture.available and (2022, "initial") in picture.available


def test_others_band_sums_the_smallest_lines():
    rows = [FlowRow("m", f"p{i}", Decimal(10 * (i + 1)), 2024, "initial", 1) for i in range(5)]
    rows += [FlowRow(f"p{i}", "agency", Decimal(10 * (i + 1)), 2024, "initial", 2) for i in range(5)]
    import networkx as nx

    picture = flow_picture(rows, nx.MultiDiGraph(), "m", top=3)
    into_others = [r for r in picture.rows if r.target == OTHERS]
    assert [int(r.amount) for r in into_others] == [30] and picture.others == 2
    assert [int(r.amount) for r in picture.rows if r.source == OTHERS] == [30]


def test_flows_errors_name_what_is_there(rows, nxg):
    from stigraph.errors import UserError

    with pytest.raises(UserError, match="years with figures: 2020, 2021, 2022"):
        flow_picture(rows, nxg, "mext", 1999)
    with pytest.raises(UserError, match="no budget flow through 'csti'"):
        flow_picture(rows, nxg, "csti")


def test_budget_page_draws_the_entity_and_its_parts_offline_and_escaped(graph):
    result = budget_view(graph, "moonshot")
    chart = _chart(result.html)
    names = [trace["name"] for trace in chart["figure"]["data"]]
    assert len(names) == 2 and "(this entity)" in names[0] and "(part)" in names[1]
    assert chart["figure"]["data"][0]["y"] == [160.0]                  # 億円
    assert "16,000,000,000円" in chart["figure"]["data"][0]["customdata"][0][1]   # exact yen in the tooltip
    _offline_and_escaped(result.html)


def test_flows_page_labels_every_node_with_its_amount_and_escapes_labels(graph):
    result = flows_view(graph, "mext", year=2021)
    sankey = _chart(result.html)["figure"]["data"][0]
    labels = sankey["node"]["label"]
    assert all(label.endswith("億円") for label in labels) and len(sankey["link"]["value"]) == result.edges == 6
    assert any(label.startswith("&lt;img src=x onerror=") for label in labels)  # entities, not markup
    assert XSS_LABELS[0].replace("(1)", "(2)") in "".join(d[1] for d in sankey["node"]["customdata"])  # plain copy
    _offline_and_escaped(result.html)


def _offline_and_escaped(html: str) -> None:
    library_start = html.index("<script>") + len("<script>")
    library_end = html.index("</script>", library_start)
    page = html[:library_start] + html[library_end:]                   # everything but the inlined plotly.js
    assert external_references(page) == [] and loading_attributes(html) == []
    assert re.findall(r"https?://", page) == []
    for payload in ("<img src=x onerror=alert(2)>", '"><svg onload=alert(2)>'):
        assert payload not in html
    assert html.lower().count("</script") == 3


def test_cli_writes_budget_and_flows_and_refuses_mixed_options(tmp_path):
    from stigraph.builder.operations import build

    store = tmp_path / "store"
    build(store, registry=[REGISTRY], include_derived=False)
    runner = CliRunner()
    out = tmp_path / "flows.html"
    result = runner.invoke(cli_group(), ["view", "--store", str(store), "--flows", "MEXT", "--year", "2022", "-o", str(out)])
    assert result.exit_code == 0 and "8 flows between" in result.output and out.exists()
    result = runner.invoke(cli_group(), ["view", "--store", str(store), "--budget", "moonshot", "-o", str(tmp_path / "b.html")])
    assert result.exit_code == 0 and "budget chart of 2 series" in result.output
    for args, message in ((["--budget", "moonshot", "--focus", "jst"], "take no --focus"),
                          (["--flows", "mext", "--year", "2021", "--year", "2022"], "give --year once"),
                          (["--kind", "initial"], "--kind goes with --flows"),
                          (["--flows", "mext", "--year", "1990"], "years with figures")):
        result = runner.invoke(cli_group(), ["view", "--store", str(store), *args, "-o", str(tmp_path / "x.html")])
        assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output
        assert len(result.output.strip().splitlines()) == 1


# --- review-sheet payments ------------------------------------------------------------------------

def _rs_flows(folders):
    from tests.fixtures.rs.helpers import rs_graph

    rs, _reports = rs_graph(*folders)
    return flows_view(rs, "mext", kind="executed"), rs


def test_review_sheet_payments_flow_to_labelled_payees_each_once():
    from tests.fixtures.rs.helpers import SHEET_2026, SHEET_2027

    page, _graph = _rs_flows([SHEET_2026, SHEET_2027])
    sankey = _chart(page.html)["figure"]["data"][0]
    labels = sankey["node"]["label"]
    assert page.edges >= 2 and all(label.endswith("億円") for label in labels)
    # Payees are drawn under their names, never their internal ids; each payee is one node.
    assert not any("rs/payee/" in label or "corp/" in label for label in labels)
    assert len(labels) == len(set(labels))
    _offline_and_escaped(page.html)


def test_the_flows_of_the_review_sheet_sample_show_at_least_ten_labelled_flows():
    from tests.fixtures.rs.helpers import SAMPLE

    if not SAMPLE.is_dir():
        pytest.skip("../shared/rs-sample is not beside the checkout")
    page, _graph = _rs_flows([SAMPLE])
    labels = _chart(page.html)["figure"]["data"][0]["node"]["label"]
    assert page.edges >= 10
    assert not any("rs/payee/" in label or "corp/" in label for label in labels)
    for name in ("科学研究費助成事業", "JSPS", "その他の支出先"):
        assert any(label.startswith(name) for label in labels), name
