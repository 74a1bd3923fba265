"""Crash safety: a build killed with SIGKILL leaves the previous graph answering; builds don't overlap."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from stigraph.sparql.graph import StiGraph

from .conftest import FIXTURES

SMALL = FIXTURES / "registry_small"
COUNT = "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e stig:curatedId ?id }"


def stigraph(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "stigraph", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONHASHSEED": "0"})


@pytest.fixture()
def small_store(tmp_path: Path) -> Path:
    store = tmp_path / "store"
    process = stigraph("build", "--store", str(store), "--registry", str(SMALL), "--no-derived")
    assert process.wait(timeout=120) == 0, process.stderr.read()
    return store


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.3, 0.8, 1.5, 2.5, 4.0])
def test_build_killed_at_random_points_keeps_previous_graph(small_store: Path, delay: float) -> None:
    before = StiGraph.open(small_store).select(COUNT)[0]["n"]
    target = os.readlink(small_store / "current")
    # The bundled registry takes seconds to build: long enough to be killed mid-way.
    process = stigraph("build", "--store", str(small_store))
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    graph = StiGraph.open(small_store)
    after = graph.select(COUNT)[0]["n"]
    if os.readlink(small_store / "current") == target:
        assert after == before  # killed before the swap: exactly the old graph
    else:
        assert after > before  # the swap happened before the kill: the whole new graph answers
    assert graph.select("SELECT ?c WHERE { id:jst a ?c }")
    # The next build cleans any half-written generation and succeeds.
    rebuild = stigraph("build", "--store", str(small_store), "--registry", str(SMALL), "--no-derived")
    assert rebuild.wait(timeout=120) == 0, rebuild.stderr.read()
    generations = [p for p in small_store.iterdir() if p.name.startswith("gen-")]
    assert len(generations) == 1
    assert StiGraph.open(small_store).select(COUNT)[0]["n"] == before


@pytest.mark.slow
def test_killed_before_swap_leaves_old_graph_exactly(small_store: Path) -> None:
    before = StiGraph.open(small_store).select(COUNT)[0]["n"]
    target = os.readlink(small_store / "current")
    process = stigraph("build", "--store", str(small_store))
    time.sleep(0.5)  # still reading the registry: long before any swap
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    assert os.readlink(small_store / "current") == target
    assert StiGraph.open(small_store).select(COUNT)[0]["n"] == before


@pytest.mark.slow
def test_second_concurrent_build_fails_clearly(small_store: Path) -> None:
    first = stigraph("build", "--store", str(small_store))
    time.sleep(0.3)
    second = stigraph("build", "--store", str(small_store), "--registry", str(SMALL), "--no-derived")
    second_code = second.wait(timeout=120)
    second_err = second.stderr.read()
    first_code = first.wait(timeout=300)
    assert first_code == 0, first.stderr.read()
    assert second_code == 1
    assert "another build is running" in second_err
    assert "Traceback" not in second_err
