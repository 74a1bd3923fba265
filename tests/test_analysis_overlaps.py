"""Overlaps: stated, re-listed, jointly run and look-alike pairs, each with its reason."""
from __future__ import annotations

import itertools
import math
import random
from functools import lru_cache
from pathlib import Path

import networkx as nx
import pytest

from stigraph.errors import UserError
from stigraph.graph.analysis import overlaps
from stigraph.graph.analysis.overlaps import format_overlaps
from stigraph.graph.analysis.similarity import FeatureSpace, label_terms, similar_pairs
from stigraph.builder.inputs import collect_quads
from stigraph.sparql.graph import StiGraph
from stigraph.graph.projection import to_networkx

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "registry_analysis"


@lru_cache(maxsize=1)
def fixture_graph() -> nx.MultiDiGraph:
    return to_networkx(StiGraph.from_nquads(collect_quads([FIXTURE], include_derived=False)))


def pairs(result, kind):
    return {(o.a, o.b): o for o in result.overlaps if o.kind == kind}


def test_stated_overlap_carries_its_source_line():
    stated = pairs(overlaps(fixture_graph()), "stated")
    assert list(stated) == [("mext-health-rd", "research-misconduct-response")]
    overlap = stated[("mext-health-rd", "research-misconduct-response")]
    assert overlap.score == 1.0
    assert overlap.evidence == [{"type": "stated", "subject": "research-misconduct-response", "predicate": "overlapsWith",
                                 "object": "mext-health-rd", "source": "000_e5eefd47d6133f4f.txt:24"}]
    assert "000_e5eefd47d6133f4f.txt:24" in overlap.reason


def test_relisted_measures_by_stated_overlap_and_by_identical_text():
    relisted = pairs(overlaps(fixture_graph()), "relisted")
    assert set(relisted) == {("measure-0001", "measure-0007"), ("measure-0002", "measure-0006")}
    assert "003_1fe72c798f52d037.txt:1300" in relisted[("measure-0001", "measure-0007")].reason
    assert relisted[("measure-0002", "measure-0006")].evidence == [{"type": "same label", "label": "研究公正の確保"}]


def test_research_integrity_work_shared_by_jsps_jst_and_amed():
    shared = pairs(overlaps(fixture_graph()), "shared-program")
    assert set(shared) == {("amed", "jsps"), ("jsps", "jst"), ("amed", "jst")}
    for overlap in shared.values():
        [program] = overlap.evidence
        assert program["id"] == "research-integrity-promotion"
        assert program["themes"] == ["研究公正・研究セキュリティ"]
        assert all("participatesIn research-integrity-promotion (000_e5eefd47d6133f4f.txt:21)" in h for h in program["how"])
    assert shared[("jsps", "jst")].score == 0.5       # 1 shared of JSPS's 2 programs
    assert shared[("amed", "jst")].score == 0.3333    # 1 of AMED's 3


def test_look_alike_programs_of_different_bodies_with_their_evidence():
    similar = pairs(overlaps(fixture_graph()), "similar")
    startup = similar[("jst-startup-program", "nedo-startup-program")]
    assert startup.score == pytest.approx(0.8504, abs=1e-4)
    assert [e["type"] for e in startup.evidence] == ["naming measure", "theme", "policy basis"]
    assert startup.reason.endswith("run by jst vs nedo")
    assert (startup.a_runners, startup.b_runners) == (["jst"], ["nedo"])
    integrity = {pair for pair in similar if "integrity" in pair[0] + pair[1] or "ethics" in pair[0] + pair[1]}
    assert ("jsps-ethics-elearning", "jst-integrity-portal") in integrity
    assert ("amed-integrity-models", "jst-integrity-portal") in integrity


def test_pairs_of_the_same_body_sub_programs_and_single_weak_features_are_not_similar():
    similar = pairs(overlaps(fixture_graph(), min_score=0.0), "similar")
    assert ("crds-program", "ristex-program") not in similar        # both JST units: same body
    assert ("moonshot", "moonshot-goal-7") not in similar            # parent and sub-program
    assert ("mext-health-rd", "moonshot-goal-7") not in similar      # one shared theme only
    assert all(o.score >= 0.0 for o in similar.values())


def test_min_score_filters_only_the_similar_pairs():
    strict = overlaps(fixture_graph(), min_score=0.8)
    assert strict.counts == {"stated": 1, "relisted": 2, "shared-program": 3, "similar": 2}
    assert all(o.score >= 0.8 for o in strict.overlaps if o.kind == "similar")


def test_kinds_can_be_selected():
    result = overlaps(fixture_graph(), kinds=("stated",))
    assert result.counts == {"stated": 1} and [o.kind for o in result.overlaps] == ["stated"]


def test_output_is_sorted_and_deterministic():
    result = overlaps(fixture_graph())
    keys = [(("stated", "relisted", "shared-program", "similar").index(o.kind), -o.score, o.a, o.b) for o in result.overlaps]
    assert keys == sorted(keys)
    assert result.as_dict() == overlaps(fixture_graph()).as_dict()
    assert all(o.a < o.b for o in result.overlaps)


def test_table_output_names_every_pair_and_the_totals():
    text = format_overlaps(overlaps(fixture_graph()))
    assert "(stated 1, relisted 2, shared-program 3, similar 7; min score 0.4)" in text
    assert "jst-startup-program" in text


@pytest.mark.parametrize("kwargs, message", [
    ({"min_score": 1.5}, "between 0 and 1"), ({"hub_cap": 1}, "hub_cap"), ({"kinds": ("nope",)}, "unknown overlap kind"),
])
def test_bad_parameters_are_user_errors(kwargs, message):
    with pytest.raises(UserError, match=message):
        overlaps(fixture_graph(), **kwargs)


def test_label_terms():
    assert label_terms("研究公正ポータル") == {"公正", "ポータル"}
    assert label_terms("Beyond 5G研究開発促進事業") == {"beyond", "5g", "促進"}
    assert label_terms("") == set()


def _random_space(seed: int, programs: int = 60, features: int = 25) -> FeatureSpace:
    rng = random.Random(seed)
    kinds = ["theme", "basis", "measure", "term"]
    feats = [(kinds[i % 4], f"f{i}") for i in range(features)]
    weights = []
    for _ in range(programs):
        chosen = rng.sample(range(features), rng.randint(1, 6))
        weights.append({f: round(rng.uniform(0.2, 3.0), 3) for f in sorted(chosen)})
    df = [sum(1 for w in weights if f in w) for f in range(features)]
    return FeatureSpace(programs=[f"p{i}" for i in range(programs)], features=feats, weights=weights,
                        totals=[math.fsum(w.values()) for w in weights], document_frequency=df)


def _brute_force(space: FeatureSpace, min_score: float) -> set[tuple[int, int]]:
    found = set()
    for a, b in itertools.combinations(range(len(space.programs)), 2):
        wa, wb = space.weights[a], space.weights[b]
        common = wa.keys() & wb.keys()
        shared = math.fsum(min(wa[f], wb[f]) for f in common)
        union = space.totals[a] + space.totals[b] - shared
        if shared > 0 and shared / union >= min_score:
            found.add((a, b))
    return found


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("min_score", [0.0, 0.3, 0.5, 0.8])
def test_prefix_and_positional_filters_lose_no_pair(seed, min_score):
    space = _random_space(seed)
    found = {(a, b) for a, b, _, _ in similar_pairs(space, min_score, hub_cap=10_000)}
    assert found == _brute_force(space, min_score)


@pytest.mark.parametrize("seed", range(6))
def test_with_hubs_every_reported_pair_shares_a_non_hub_feature_and_none_is_lost(seed):
    space = _random_space(seed, programs=80, features=12)
    hub_cap = 12
    hub = [c > (max(2, int(hub_cap * 0.25)) if kind == "term" else hub_cap)
           for c, (kind, _) in zip(space.document_frequency, space.features, strict=True)]
    expected = {(a, b) for a, b in _brute_force(space, 0.3)
                if any(not hub[f] for f in space.weights[a].keys() & space.weights[b].keys())}
    found = {(a, b) for a, b, _, _ in similar_pairs(space, 0.3, hub_cap=hub_cap)}
    assert found == expected
