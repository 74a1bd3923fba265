"""The bundled derived N-Quads equal a fresh extraction of the seeds (when ../shared/seeds is present)."""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = Path(os.environ.get("STIGRAPH_SEEDS", Path(__file__).parents[1].parent / "shared" / "seeds"))
DERIVED = REPO / "stigraph" / "data" / "derived"


def _script():
    spec = importlib.util.spec_from_file_location("regenerate_derived", REPO / "scripts" / "regenerate_derived.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_derived_files_carry_no_prose():
    from stigraph.ontology.vocabulary import STIG

    for path in DERIVED.glob("*.nq"):
        text = path.read_text(encoding="utf-8")
        assert "。" not in text, f"{path.name}: sentence text in derived data"
        assert str(STIG.Extracted) in text


@pytest.mark.seeds
@pytest.mark.skipif(not (SEEDS / "003_1fe72c798f52d037.txt").exists(), reason="seeds not present")
@pytest.mark.parametrize("name", [
    "000_e5eefd47d6133f4f.txt", "001_96db8058257dcf4c.txt", "002_4269acff071cedf2.txt",
    "003_1fe72c798f52d037.txt", "004_2059a86a64d69f4e.txt",
])
def test_bundled_derived_equals_fresh_extraction(name):
    bundled = DERIVED / f"{Path(name).stem}.nq"
    assert bundled.exists(), f"{bundled} missing: run scripts/regenerate_derived.py"
    assert bundled.read_text(encoding="utf-8") == _script().nquads(SEEDS / name), \
        f"{bundled.name} is stale: run scripts/regenerate_derived.py"
