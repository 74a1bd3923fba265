"""Acceptance on ../shared/rs-sample: every number of its expected.json, read back through the named queries.

Skipped when ../shared is absent (the sample is not part of the repository).
"""
from __future__ import annotations

import json
from collections import defaultdict
from decimal import Decimal

import pytest

from stigraph.loaders.datasets import dataset_parts
from stigraph.sparql.library import select_named
from tests.fixtures.rs.helpers import SAMPLE, rs_graph

pytestmark = pytest.mark.skipif(not (SAMPLE / "expected.json").exists(), reason="../shared/rs-sample not present")
ID = "https://w3id.org/stigraph/id/"
AGENCIES = {"jst": "4030005012570", "jsps": "1010005006890", "amed": "9010005023796", "nedo": "2020005008480"}


@pytest.fixture(scope="module")
def expected() -> dict:
    return json.loads((SAMPLE / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def sample():
    return rs_graph(SAMPLE)


def yen(value) -> Decimal | None:
    return None if value is None else Decimal(value)


def test_one_input_for_the_2025_sheets(expected):
    (part,) = dataset_parts([SAMPLE])
    assert part.name == f"rs/{expected['meta']['sheet_year_事業年度']}" and len(part.sources) == 5


def test_project_count(sample, expected):
    graph, (report,) = sample
    assert select_named(graph, "rs-sheet-years") == [
        {"sheet_year": "2025", "projects": expected["meta"]["project_count"], "sheets": expected["meta"]["project_count"]}]
    # The sample's reductions (negative 補正/予備費) are read, not left out.
    assert report.left_out == []


def test_each_projects_fy2024_initial_budget_and_executed_amount(sample, expected):
    graph, _ = sample
    year = expected["meta"]["budget_year_予算年度"]
    wrong = []
    for project in expected["projects"]:
        rows = select_named(graph, "rs-project-budget", {"project": f"rs/project/{project['id']}",
                                                         "fiscal_year": str(year)})
        found = {r["kind"].rsplit("#", 1)[1]: r["amount"] for r in rows}
        got = (found.get("Initial"), found.get("Executed"))
        want = (yen(project["fy2024_initial_budget_yen"]), yen(project["fy2024_executed_yen"]))
        if got != want:
            wrong.append((project["id"], got, want))
    assert wrong == []


def test_direct_payees_and_amounts(sample, expected):
    """expected.json lists the top 10 direct payees by amount, aggregated by name over direct blocks."""
    graph, _ = sample
    wrong = []
    for project in expected["projects"]:
        rows = select_named(graph, "rs-project-payees", {"project": f"rs/project/{project['id']}"})
        direct: dict[str, Decimal] = defaultdict(Decimal)
        blocks: dict[str, set[str]] = defaultdict(set)
        numbers: dict[str, str | None] = {}
        for row in rows:
            if row["flow_kind"].endswith("DirectFlow"):
                direct[row["payee_name"]] += row["amount"]
                blocks[row["payee_name"]].add(row["block"])
                numbers[row["payee_name"]] = row["corporate_number"]
        want = {(r["name_in_csv"], Decimal(r["amount_yen"]), tuple(sorted(r["blocks"])), r["corporate_number"])
                for r in project["recipients"]}
        top = sorted(direct.items(), key=lambda kv: -kv[1])[: len(want)]
        got = {(name, amount, tuple(sorted(blocks[name])), numbers[name]) for name, amount in top}
        if got != want:
            wrong.append((project["id"], sorted(want - got)[:2], sorted(got - want)[:2]))
    assert wrong == []


def test_downstream_money_is_kept_apart_from_direct_totals(sample, expected):
    graph, _ = sample
    wrong = []
    for project in expected["projects"]:
        rows = select_named(graph, "rs-project-payees", {"project": f"rs/project/{project['id']}"})
        passed_on = sorted((r["payee_name"], r["amount"], r["block"]) for r in rows if r["flow_kind"].endswith("PassedOnFlow"))
        want = sorted((r["name_in_csv"], Decimal(r["amount_yen"]), r["block"]) for r in project["downstream_recipients"])
        if passed_on != want:
            wrong.append(project["id"])
    assert wrong == []
    # Direct totals never contain passed-on money: AMED's own payment in 6845 stays what the sheet gives it.
    amed = {(r["project_id"], r["flow_kind"].rsplit("#")[1]): r["amount_yen"]
            for r in select_named(graph, "rs-payments-to", {"payee": "amed", "fiscal_year": "2024"})}
    assert amed[("6845", "DirectFlow")] == Decimal("2561311569")
    assert amed[("6845", "PassedOnFlow")] == Decimal("67395328")


def test_ministry_totals(sample, expected):
    graph, _ = sample
    rows = select_named(graph, "rs-ministry-totals", {"fiscal_year": "2024", "kind": "initial"})
    got = {r["ministry_name"]: r["total_yen"] for r in rows}
    want = {name: Decimal(total) for name, total in expected["ministry_totals_fy2024_initial_budget_yen"].items()}
    assert got == want


def test_agencies_carry_their_corporate_number_and_the_payments_to_them(sample, expected):
    graph, _ = sample
    for agency, number in AGENCIES.items():
        assert graph.select(f"SELECT ?n WHERE {{ id:{agency} stig:corporateNumber ?n }}") == [{"n": number}]
        want = defaultdict(Decimal)
        for project in expected["projects"]:
            for r in project["recipients"]:
                if r["corporate_number"] == number:
                    want[(str(project["id"]), "DirectFlow")] += Decimal(r["amount_yen"])
            for r in project["downstream_recipients"]:
                if r["corporate_number"] == number:
                    want[(str(project["id"]), "PassedOnFlow")] += Decimal(r["amount_yen"])
        rows = select_named(graph, "rs-payments-to", {"payee": agency, "fiscal_year": "2024"})
        got = {(r["project_id"], r["flow_kind"].rsplit("#")[1]): r["amount_yen"] for r in rows}
        assert want and got == dict(want), agency
