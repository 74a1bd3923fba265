"""The recall audit (scripts/recall_audit.py): a fixed sample, a complete hand-read truth, and recall.

The truth file lists, per sampled window, the named entities a reader found and the finder's
candidates judged not to be named entities. These tests keep it honest: the windows must be the ones
the fixed seeds draw, every name must stand in its window, every candidate must be decided, and the
graph must keep every name the samples found (a label removed or renamed fails here).
"""
from __future__ import annotations

import importlib.util
import sys

import pytest

from .conftest import REPO, needs_seeds

pytestmark = [needs_seeds, pytest.mark.seeds]


def _script(name: str):
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules[name] = module
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


audit_script = _script("recall_audit")
finder = _script("recall_audit_finder")


@pytest.fixture(scope="module")
def results():
    truth = audit_script.load_truth()  # exits if a sample lists other windows than the seeds draw
    labels = audit_script.graph_labels()
    glossary = [n for e in audit_script.seed_glossary(audit_script.seeds_dir()) for n in (e.abbr, e.ja) if n]
    return {s["seed"]: audit_script.audit(truth, s, labels, glossary) for s in truth["samples"]}


def test_the_sample_is_fixed_and_samples_never_share_a_window() -> None:
    drawn = [set(audit_script.sample_windows(seed)) for seed in audit_script.SAMPLE_SEEDS]
    assert drawn[-1] == set(audit_script.sample_windows(audit_script.HELD_OUT))
    for i, earlier in enumerate(drawn):
        for later in drawn[i + 1:]:
            assert not earlier & later


def test_every_finder_candidate_is_decided(results) -> None:
    undecided = {(seed, r.file, r.start): r.undecided for seed, rs in results.items() for r in rs if r.undecided}
    assert undecided == {}


@pytest.mark.parametrize("seed", audit_script.SAMPLE_SEEDS)
def test_recall_of_each_sample_stays_above_the_target(results, seed) -> None:
    per_file: dict[str, list[int]] = {}
    for r in results[seed]:
        counts = per_file.setdefault(r.file, [0, 0])
        counts[0] += len(r.present)
        counts[1] += len(r.present) + len(r.missing)
    present, total = sum(c[0] for c in per_file.values()), sum(c[1] for c in per_file.values())
    assert present / total >= 0.95, [m for r in results[seed] for m in r.missing]
    assert all(c[0] / c[1] >= 0.90 for c in per_file.values() if c[1]), per_file


def test_the_finder_does_not_read_the_registry() -> None:
    source = (REPO / "scripts" / "recall_audit_finder.py").read_text(encoding="utf-8")
    assert "registry" not in source.split('"""', 2)[2]  # beyond the module docstring
    found = finder.find_candidates(["本事業では、見本技術振興機構（ＸＹＺ）が", "見本共創推進事業を実施。"])
    assert {"見本技術振興機構", "XYZ", "見本共創推進事業"} <= found
