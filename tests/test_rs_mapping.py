"""RS review sheets, the graph: budgets, payees and flows, organizations, program links, provenance, deps.

Every number is read back through the named queries the CLI runs (`stigraph query rs-...`), on the
made-up fixture sheets of tests/fixtures/rs (sheet years 2026 and 2027, plus a folder of hazards).
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from stigraph.graph.analysis import deps
from stigraph.ontology.vocabulary import RS_CLASSES, shapes_path
from stigraph.sparql.library import select_named
from stigraph.validation.shacl import validate_store_fast
from tests.fixtures.rs.helpers import HAZARDS, SHEET_2026, SHEET_2027, rs_graph

ID = "https://w3id.org/stigraph/id/"
STIG = "https://w3id.org/stigraph/ontology#"


@pytest.fixture(scope="module")
def one_year():
    return rs_graph(SHEET_2026)


@pytest.fixture(scope="module")
def two_years():
    return rs_graph(SHEET_2026, SHEET_2027)[0]


@pytest.fixture(scope="module")
def hazards():
    return rs_graph(HAZARDS)


def budget(graph, project: str, fiscal_year: int) -> dict[str, Decimal]:
    rows = select_named(graph, "rs-project-budget", {"project": f"rs/project/{project}", "fiscal_year": str(fiscal_year)})
    return {r["kind"].rsplit("#", 1)[1]: r["amount"] for r in rows}


def payees(graph, project: str) -> set[tuple[str, str, str, Decimal]]:
    rows = select_named(graph, "rs-project-payees", {"project": f"rs/project/{project}"})
    return {(r["block"], r["flow_kind"].rsplit("#", 1)[1], r["payee_name"], r["amount"]) for r in rows}


# -- budgets ---------------------------------------------------------------------------------------

def test_budget_figures_come_from_summary_rows_per_fiscal_year(one_year):
    graph, _ = one_year
    assert budget(graph, "9001", 2025) == {"Initial": Decimal("1200000000"), "Supplementary": Decimal("300000000"),
                                           "CurrentBudget": Decimal("1500000000"), "Executed": Decimal("1450000000")}
    # The account row (一般会計) repeats the summary's amounts: it is not added to them.
    assert budget(graph, "9001", 2026) == {"Initial": Decimal("1250000000"), "Supplementary": Decimal(0),
                                           "CurrentBudget": Decimal("1250000000"), "Request": Decimal("1250000000")}
    assert budget(graph, "9001", 2027) == {"Request": Decimal("1300000000")}
    # FY2024 is the reviewed year of the 2025 sheet, not of this one: not read from the 2026 sheet.
    assert budget(graph, "9001", 2024) == {}


def test_amounts_with_thousands_separators_and_reductions(one_year):
    graph, _ = one_year
    figures = budget(graph, "9002", 2025)
    assert figures["Initial"] == Decimal("3000000000") and figures["Supplementary"] == Decimal("-50000000")


def test_a_new_project_has_only_its_own_year_and_no_executed_zero(one_year):
    graph, _ = one_year
    assert budget(graph, "9006", 2026) == {"Initial": Decimal("60000000"), "Supplementary": Decimal(0),
                                           "CurrentBudget": Decimal("60000000")}


def test_ministry_totals_never_mix_sheet_years(one_year, two_years):
    totals = {r["ministry_name"]: r["total_yen"] for r in select_named(
        one_year[0], "rs-ministry-totals", {"fiscal_year": "2025", "kind": "initial"})}
    assert totals == {"文部科学省": Decimal("9200000000"), "内閣府": Decimal("800000000"), "未来技術庁": Decimal("40000000")}
    # With the 2027 sheet loaded too, FY2026 is stated twice (provisional in 2026, final in 2027): counted once.
    fy2026 = select_named(two_years, "rs-ministry-totals", {"fiscal_year": "2026", "kind": "initial"})
    assert {(r["ministry"], r["total_yen"]) for r in fy2026} == {(f"{ID}mext", Decimal("1250000000")),
                                                                  (f"{ID}jma", Decimal("60000000"))}
    assert budget(two_years, "9001", 2026)["Supplementary"] == Decimal("100000000")  # the final figure wins
    assert budget(two_years, "9001", 2026)["Executed"] == Decimal("1300000000")
    assert budget(two_years, "9001", 2027)["Request"] == Decimal("1400000000")


def test_projects_of_a_ministry_by_budget(one_year):
    rows = select_named(one_year[0], "rs-projects-by-budget", {"ministry": "mext", "fiscal_year": "2025", "kind": "initial"})
    assert [(r["project_id"], r["amount"]) for r in rows] == [
        ("9004", Decimal("5000000000")), ("9002", Decimal("3000000000")), ("9001", Decimal("1200000000"))]


def test_underspent_projects(one_year):
    rows = select_named(one_year[0], "rs-underspent-projects", {"fiscal_year": "2025"})
    assert [(r["project_id"], r["rate"]) for r in rows] == [("9003", Decimal("0.3"))]


# -- payees and money flows --------------------------------------------------------------------------

def test_direct_and_passed_on_payees_of_a_project(one_year):
    graph, _ = one_year
    assert payees(graph, "9001") == {
        ("A", "DirectFlow", "国立研究開発法人科学技術振興機構", Decimal("1000000000")),
        ("B", "DirectFlow", "株式会社試験計測", Decimal("250000000")),
        ("B", "DirectFlow", "その他", Decimal("10000000")),
        ("C", "PassedOnFlow", "国立大学法人試験大学", Decimal("200000000"))}
    # A total row without contract rows gives the amount; passed on by AMED, so not direct.
    assert ("B", "PassedOnFlow", "国立大学法人試験医科大学", Decimal("800000000")) in payees(graph, "9002")


def test_payments_to_jst_and_the_rows_they_stand_on(one_year):
    graph, _ = one_year
    rows = select_named(graph, "rs-payments-to", {"payee": "jst", "fiscal_year": "2025"})
    assert [(r["project_id"], r["flow_kind"].rsplit("#")[1], r["amount_yen"]) for r in rows] == [
        ("9001", "DirectFlow", Decimal("1000000000"))]
    (jst,) = [r for r in select_named(graph, "rs-project-payees", {"project": "rs/project/9001"})
              if r["payee"] == f"{ID}jst"]
    assert jst["rows"] == "3-5" and jst["file"] == "5-1_RS_2026_支出先_支出情報.csv"
    assert jst["corporate_number"] == "4030005012570"


def test_jst_carries_its_corporate_number_with_a_source(one_year):
    graph, _ = one_year
    rows = graph.select("SELECT ?n ?citation WHERE { id:jst stig:corporateNumber ?n ; stig:corporateNumberSource ?l . "
                        "?l dcterms:bibliographicCitation ?citation }")
    assert rows[0]["n"] == "4030005012570" and "法人番号" in rows[0]["citation"]


def test_direct_vs_passed_on_money_of_an_agency(one_year):
    graph, _ = one_year
    amed = select_named(graph, "rs-direct-vs-passed-on", {"payee": "amed"})
    assert {(r["flow_kind"].rsplit("#")[1], r["total_yen"]) for r in amed} == {("DirectFlow", Decimal("2900000000"))}
    university = graph.select("SELECT ?payee WHERE { ?p stig:payeeName '国立大学法人試験医科大学' ; stig:payee ?payee }")
    rows = select_named(graph, "rs-direct-vs-passed-on", {"payee": university[0]["payee"]})
    assert {(r["flow_kind"].rsplit("#")[1], r["total_yen"]) for r in rows} == {("PassedOnFlow", Decimal("800000000"))}


def test_top_payees_of_a_ministry_leave_passed_on_money_out(one_year, two_years):
    rows = select_named(one_year[0], "rs-top-payees-of-ministry", {"ministry": "mext"})
    assert [(r["payee_name"], r["total_yen"]) for r in rows] == [
        ("独立行政法人日本学術振興会", Decimal("5000000000")), ("国立研究開発法人日本医療研究開発機構", Decimal("2900000000")),
        ("国立研究開発法人科学技術振興機構", Decimal("1000000000")), ("株式会社試験計測", Decimal("250000000")),
        ("その他", Decimal("10000000"))]
    by_year = select_named(two_years, "rs-payments-to", {"payee": "jst"})
    assert [(r["fiscal_year"], r["project_id"], r["amount_yen"]) for r in by_year] == [
        ("2026", "9001", Decimal("1100000000")), ("2025", "9001", Decimal("1000000000"))]
    over_years = select_named(two_years, "rs-top-payees-of-ministry", {"ministry": "mext"})
    jst = [r for r in over_years if r["payee"] == f"{ID}jst"][0]
    assert jst["total_yen"] == Decimal("2100000000") and jst["years"] == 2
    in_year = select_named(two_years, "rs-top-payees-of-ministry-in-year", {"ministry": "mext", "fiscal_year": "2026"})
    assert [(r["payee"], r["total_yen"]) for r in in_year] == [(f"{ID}jst", Decimal("1100000000"))]


def test_direct_totals_equal_the_sums_of_the_direct_payments(two_years, hazards):
    for graph in (two_years, hazards[0]):
        payments = graph.select(
            "SELECT ?m ?payee ?y (SUM(?a) AS ?sum) WHERE { ?p a stig:Payment ; stig:flowKind stig:DirectFlow ; "
            "stig:sheet/stig:ministry ?m ; stig:payee ?payee ; stig:fiscalYear ?y ; stig:amount ?a } GROUP BY ?m ?payee ?y")
        totals = graph.select("SELECT ?m ?payee ?y ?sum WHERE { ?t a stig:DirectPaymentTotal ; stig:ministry ?m ; "
                              "stig:payee ?payee ; stig:fiscalYear ?y ; stig:amount ?sum }")
        key = lambda r: (r["m"], r["payee"], r["y"], r["sum"])  # noqa: E731
        assert payments and sorted(map(key, payments)) == sorted(map(key, totals))


def test_payees_are_registry_agencies_by_number_or_long_name_else_by_number_or_name(one_year):
    graph, _ = one_year
    rows = {r["name"]: r for r in graph.select(
        "SELECT ?name ?payee ?byname WHERE { ?p stig:payeeName ?name ; stig:payee ?payee . "
        "OPTIONAL { ?p stig:payeeByName ?byname } }")}
    assert rows["国立研究開発法人宇宙航空研究開発機構"]["payee"] == f"{ID}jaxa"
    nedo = rows["国立研究開発法人新エネルギー・産業技術総合開発機構"]  # no 法人番号 in the row: matched by name, flagged
    assert nedo["payee"] == f"{ID}nedo" and nedo["byname"] is True
    assert rows["株式会社試験計測"]["payee"] == f"{ID}corp/7990000000101"
    assert rows["株式会社試験調査"]["payee"].startswith(f"{ID}rs/payee/") and rows["株式会社試験調査"]["byname"] is True
    flagged = graph.select("SELECT ?o WHERE { ?o stig:identifiedByName true }")
    assert {r["o"] for r in flagged} >= {rows["株式会社試験調査"]["payee"]}


# -- organizations -------------------------------------------------------------------------------------

def test_ministries_map_to_the_registry_and_unknown_ones_are_kept_and_reported(one_year):
    graph, reports = one_year
    sheets = {r["id"]: r for r in graph.select(
        "SELECT ?id ?ministry ?unit WHERE { ?s stig:reviewOf/dcterms:identifier ?id ; stig:ministry ?ministry . "
        "OPTIONAL { ?s stig:responsibleUnit ?unit } }")}
    assert sheets["9001"]["ministry"] == f"{ID}mext"
    assert sheets["9006"]["ministry"] == f"{ID}jma"  # 国土交通省気象庁: the agency, not the ministry
    assert sheets["9005"]["unit"] == f"{ID}cao-sti"  # a bureau the registry knows
    assert sheets["9003"]["ministry"].startswith(f"{ID}rs/org/")
    assert [name for name, _ in reports[0].new_organizations] == ["未来技術庁"]
    chain = graph.select("SELECT ?parent WHERE { ?unit skos:prefLabel '基礎研究推進課'@ja ; org:subOrganizationOf ?b . "
                         "?b skos:prefLabel '研究振興局'@ja ; org:subOrganizationOf ?parent }")
    assert chain == [{"parent": f"{ID}mext"}]


def test_sheet_facts_of_the_overview_table(one_year):
    graph, _ = one_year
    rows = graph.select("SELECT ?start ?end ?method WHERE { ?s stig:reviewOf/dcterms:identifier '9002' ; "
                        "stig:periodStart ?start ; stig:periodEnd ?end ; stig:implementationMethod ?method }")
    assert {r["method"] for r in rows} == {"補助", "交付"}
    assert {(str(r["start"]), str(r["end"])) for r in rows} == {("2021", "2030")}  # 令和3年度 -> 2021


# -- links to curated programs -----------------------------------------------------------------------

def test_projects_link_to_curated_programs_with_method_and_score(one_year):
    rows = select_named(one_year[0], "rs-program-matches")
    links = {(r["project_id"], r["program"].rsplit("/", 1)[1]): (r["method"], r["score"]) for r in rows}
    assert links[("9004", "kakenhi")] == ("exact-label", Decimal("1.00"))
    method, score = links[("9005", "sip")]
    assert method == "label-in-name" and Decimal("0.6") < score < Decimal("1")
    assert not any(project == "9003" for project, _ in links)
    kind = one_year[0].select("SELECT DISTINCT ?k WHERE { ?f stig:analysis 'rs-program-match' ; stig:source ?l . "
                              "?l stig:provenanceKind ?k }")
    assert kind == [{"k": f"{STIG}Inferred"}]


def test_deps_down_from_jst_lists_the_projects_that_fund_it(one_year, two_years):
    result = deps(one_year[0], "jst", "down", depth=1)
    assert "rs/project/9001" in result.reached()
    up = deps(two_years, "rs/project/9001", "up", depth=1)
    assert {"jst", "mext"} <= set(up.reached())
    steps = [s for s in result.steps if s.node == "rs/project/9001"]
    assert steps[0].predicate == "pays" and "5-1_RS_2026_支出先_支出情報.csv" in steps[0].source


# -- hazards beyond the published sample ---------------------------------------------------------------

def test_hazard_rows_are_left_out_or_kept_by_rule(hazards):
    graph, (report,) = hazards
    assert payees(graph, "9101") == {
        ("A", "DirectFlow", "株式会社試験重複", Decimal("100")),    # duplicate contract row dropped: 60 + 40 = total
        ("B", "DirectFlow", "その他", Decimal("30")),
        ("B", "DirectFlow", "株式会社零円", Decimal("0")),        # named with 0, its money inside その他
        ("C", "DirectFlow", "株式会社未接続", Decimal("50")),      # missing from 5-2: direct, flagged
        ("E", "PassedOnFlow", "株式会社番号誤り", Decimal("70"))}  # reference links (cycle E->A) change nothing
    left_out = {(file.split("_")[0], row): reason for file, row, reason in report.left_out}
    assert left_out[("5-1", 6)] == "exact duplicate of row 5"
    assert left_out[("5-1", 7)] == "empty row"
    assert left_out[("5-1", 11)] == "payee '株式会社名称のみ' named without any amount"
    assert "abc" in left_out[("5-1", 17)] and ("5-1", 16) in left_out
    assert left_out[("1-1", 3)].startswith("a second row for project 9101")
    assert left_out[("1-1", 6)] == "事業年度 2025, not this input's 2026"
    assert left_out[("2-1", 3)].startswith("a second summary row for project 9101, FY2025")
    assert left_out[("5-2", 5)] == "exact duplicate of the link at row 4"
    assert "indirect cost" in left_out[("5-2", 8)]
    assert any("1234567890123" in w and "keyed by its name" in w for w in report.warnings)
    assert any("block C is missing from 5-2" in w for w in report.warnings)
    linked = graph.select("SELECT ?b WHERE { ?b stig:linkMissing true ; stig:blockCode 'C' }")
    assert len(linked) == 1
    assert budget(graph, "9101", 2025)["Initial"] == Decimal("1234567")


def test_every_record_has_a_row_source_and_the_shapes_hold(one_year, hazards):
    for graph in (one_year[0], hazards[0]):
        from_rows = [c for c in RS_CLASSES if c not in ("DirectPaymentTotal", "ReviewSheetYear")]  # sums; the input
        missing = graph.select(
            "SELECT ?x WHERE { VALUES ?c { " + " ".join(f"stig:{c}" for c in from_rows) + " } ?x a ?c . "
            "FILTER NOT EXISTS { ?x stig:source/stig:row ?row } }")
        assert missing == []
        entries = graph.select("SELECT ?e WHERE { ?e stig:sheetYear ?y ; a stig:BudgetEntry . "
                               "FILTER NOT EXISTS { ?e stig:source/stig:row ?row } }")
        assert entries == []
        report = validate_store_fast(graph.store, shapes_path())
        assert report.conforms, [v.line() for v in report.violations[:5]]


def test_no_query_repeats_a_row_when_several_sheet_years_are_loaded(two_years):
    """Project-level triples repeat in every sheet year's graph; the queries must never join on them."""
    from stigraph.sparql.library import list_queries

    cases = {"rs-projects-by-budget": {"ministry": "mext", "fiscal_year": "2026", "kind": "initial"},
             "rs-project-budget": {"project": "rs/project/9001"}, "rs-project-payees": {"project": "rs/project/9001"},
             "rs-payments-to": {"payee": "jst"}, "rs-direct-vs-passed-on": {"payee": "jst"},
             "rs-top-payees-of-ministry": {"ministry": "mext"}, "rs-underspent-projects": {},
             "rs-top-payees-of-ministry-in-year": {"ministry": "mext", "fiscal_year": "2026"},
             "rs-ministry-totals": {}, "rs-program-matches": {}, "rs-sheet-years": {}}
    assert set(cases) == {q.name for q in list_queries() if q.name.startswith("rs-")}
    for name, params in cases.items():
        rows = [tuple(sorted(r.items())) for r in select_named(two_years, name, params)]
        assert rows and len(rows) == len(set(rows)), name
