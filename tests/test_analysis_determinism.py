"""Same graph, same answer: results do not depend on Python's string hashing (set and dict order)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCRIPT = """
import json, sys
from pathlib import Path
from stigraph.graph.analysis import chokepoints, deps, derived_quads, landscape, ministries, overlaps
from stigraph.builder.inputs import collect_quads
from stigraph.sparql.graph import StiGraph
g = StiGraph.from_nquads(collect_quads([Path(sys.argv[1])], include_derived=False))
results = [deps(g, "jst", "down"), chokepoints(g, top=30), overlaps(g, min_score=0.0), ministries(g), landscape(g)]
print(json.dumps([r.as_dict() for r in results], ensure_ascii=False, sort_keys=False))
print(b"".join(derived_quads(r) for r in results).decode("utf-8"))
"""


@pytest.mark.slow
def test_results_are_identical_under_different_hash_seeds():
    fixture = REPO / "tests" / "fixtures" / "registry_analysis"
    outputs = []
    for seed in ("1", "2", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", SCRIPT, str(fixture)], cwd=REPO, env=env,
                              capture_output=True, text=True, timeout=300, check=True)
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] == outputs[2]
