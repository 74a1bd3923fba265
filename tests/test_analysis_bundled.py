"""The acceptance questions on the bundled graph (skipped while the bundled registry does not load)."""
from __future__ import annotations

import pytest

from stigraph.errors import UserError
from stigraph.graph.analysis import chokepoints, deps, ministries, overlaps
from stigraph.builder.inputs import collect_quads
from stigraph.sparql.graph import StiGraph
from stigraph.graph.projection import to_networkx


@pytest.fixture(scope="module")
def bundled():
    try:
        return to_networkx(StiGraph.from_nquads(collect_quads()))
    except UserError as exc:
        pytest.skip(f"the bundled registry does not load yet: {exc}")


def test_up_from_moonshot_reaches_the_cabinet_office_csti_side_and_jst(bundled):
    reached = set(deps(bundled, "moonshot", "up").reached())
    assert "jst" in reached
    assert {"csti", "cao"} & reached, "Moonshot should depend on CSTI / the Cabinet Office"


def test_down_from_jst_lists_its_units_and_programs(bundled):
    depth_one = {s.node: s.predicate for s in deps(bundled, "jst", "down", depth=1).steps if not s.repeat}
    units = {u for u, v, k in bundled.in_edges("jst", keys=True)
             if k == "subOrganizationOf" and bundled.nodes[u]["class"] == "Unit"}
    programs = {u for u, v, k in bundled.in_edges("jst", keys=True)
                if k == "administeredBy" and bundled.nodes[u]["class"] == "Program"}
    assert units and programs
    assert {u: depth_one.get(u) for u in units} == dict.fromkeys(units, "subOrganizationOf")
    assert {p: depth_one.get(p) for p in programs} == dict.fromkeys(programs, "administeredBy")


def test_down_from_the_university_fund_reaches_what_it_pays_for(bundled):
    paid = {u for u, _, k in bundled.in_edges("university-fund", keys=True) if k == "fundedBy"}
    assert paid, "no program is fundedBy university-fund in the bundled registry"
    assert paid <= set(deps(bundled, "university-fund", "down").reached())


def test_overlaps_report_the_research_integrity_work_of_jsps_jst_and_amed(bundled):
    result = overlaps(bundled)
    joint = {(o.a, o.b) for o in result.overlaps if o.kind == "shared-program"
             and any(e["id"] == "research-integrity-promotion" for e in o.evidence)}
    assert {("amed", "jsps"), ("jsps", "jst"), ("amed", "jst")} <= joint


def test_overlaps_report_the_stated_partial_overlap_of_the_fy2021_budget_chapter(bundled):
    stated = [o for o in overlaps(bundled, kinds=("stated",)).overlaps
              if any("000_e5eefd47d6133f4f.txt" in e["source"] for e in o.evidence)]
    assert stated, "the 一部重複 note of 000_e5eefd47d6133f4f.txt should be a stated overlap"


def test_chokepoints_and_ministries_run_on_the_bundled_graph(bundled):
    assert chokepoints(bundled, top=5).chokepoints
    result = ministries(bundled)
    assert result.measures_total > 100 and result.pairs
