"""Crash safety: an update killed with SIGKILL at any point leaves the previous graph answering exactly;
the next command cleans up what was left and names it; builds don't overlap."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from stigraph.builder.update import FAILPOINT_ENV
from stigraph.sparql.graph import StiGraph

from .conftest import FIXTURES

SMALL = FIXTURES / "registry_small"
COUNT = "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e stig:curatedId ?id }"
ALL = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
PHASES_BEFORE_SWAP = ["read", "checkpoint", "load", "flush", "manifest"]


def stigraph(*args: str, failpoint: str | None = None) -> subprocess.Popen:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    if failpoint:
        env[FAILPOINT_ENV] = failpoint
    return subprocess.Popen([sys.executable, "-m", "stigraph", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)


def run_ok(*args: str) -> str:
    process = stigraph(*args)
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    return err


def kill_at(process: subprocess.Popen, phase: str) -> None:
    """Wait until the process reports it holds at `phase` (bounded), then SIGKILL it."""
    assert process.stderr is not None
    deadline = time.monotonic() + 120
    for line in process.stderr:
        if line.strip() == f"failpoint {phase}":
            break
        assert time.monotonic() < deadline, f"never reached {phase}"
    else:
        pytest.fail(f"the process ended before failpoint {phase}")
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)


def state(store: Path) -> tuple[str, int, int]:
    graph = StiGraph.open(store)
    return os.readlink(store / "current"), graph.select(COUNT)[0]["n"], graph.select(ALL)[0]["n"]


@pytest.fixture()
def small_store(tmp_path: Path) -> Path:
    store = tmp_path / "store"
    run_ok("build", "--store", str(store), "--registry", str(SMALL), "--no-derived")
    return store


@pytest.fixture()
def big_nt(tmp_path: Path) -> Path:
    path = tmp_path / "big.nt"
    path.write_text("".join(f'<http://example.org/s{i}> <http://example.org/p> "{i}" .\n' for i in range(50_000)))
    return path


@pytest.mark.slow
@pytest.mark.parametrize("phase", PHASES_BEFORE_SWAP)
def test_import_killed_before_the_swap_leaves_the_previous_graph_exactly(small_store, big_nt, phase):
    before = state(small_store)
    kill_at(stigraph("import", str(big_nt), "--store", str(small_store), failpoint=phase), phase)
    assert state(small_store) == before
    # The next command names and removes what the killed one left, and succeeds.
    err = run_ok("import", str(big_nt), "--store", str(small_store))
    if phase != "read":
        assert "left unfinished by an interrupted build or update" in err
    assert [p.name for p in small_store.iterdir() if p.name.startswith("gen-") and p.is_dir()] == \
        [os.readlink(small_store / "current")]
    assert not [p for p in (small_store / "inputs").iterdir() if p.name.startswith(".tmp-")]
    assert state(small_store)[2] == before[2] + 50_000


@pytest.mark.slow
def test_import_killed_after_the_swap_has_the_whole_new_graph(small_store, big_nt):
    before = state(small_store)
    kill_at(stigraph("import", str(big_nt), "--store", str(small_store), failpoint="swap"), "swap")
    after = state(small_store)
    assert after[0] != before[0] and after[2] == before[2] + 50_000
    run_ok("inputs", "--store", str(small_store))
    run_ok("remove", "import/big", "--store", str(small_store))
    assert state(small_store)[1:] == before[1:]
    assert len([p for p in small_store.iterdir() if p.name.startswith("gen-") and p.is_dir()]) == 1


@pytest.mark.slow
@pytest.mark.parametrize("phase", ["checkpoint", "load", "manifest"])
def test_remove_killed_before_the_swap_keeps_the_input(small_store, big_nt, phase):
    run_ok("import", str(big_nt), "--store", str(small_store))
    before = state(small_store)
    kill_at(stigraph("remove", "import/big", "--store", str(small_store), failpoint=phase), phase)
    assert state(small_store) == before
    assert "import/big" in run_ok_out("inputs", "--store", str(small_store))


def run_ok_out(*args: str) -> str:
    process = stigraph(*args)
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    return out


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.3, 0.8, 1.5, 2.5])
def test_full_build_killed_at_random_points_keeps_a_whole_graph(small_store: Path, delay: float) -> None:
    before = state(small_store)
    process = stigraph("build", "--full", "--store", str(small_store))
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    after = state(small_store)
    assert after[1:] == before[1:]  # a full rebuild of the same inputs: the same graph, old or new generation
    run_ok("build", "--store", str(small_store))
    assert len([p for p in small_store.iterdir() if p.name.startswith("gen-") and p.is_dir()]) == 1


@pytest.mark.slow
def test_second_concurrent_build_fails_clearly(small_store: Path, big_nt: Path) -> None:
    first = stigraph("import", str(big_nt), "--store", str(small_store), failpoint="load")
    assert first.stderr is not None
    for line in first.stderr:
        if line.strip() == "failpoint load":
            break
    second = stigraph("build", "--store", str(small_store))
    _, second_err = second.communicate(timeout=120)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=60)
    assert second.returncode == 1
    assert "another build is running" in second_err
    assert "Traceback" not in second_err
