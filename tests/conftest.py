"""Shared fixtures: where the seeds are, small registries, and an isolated store per test."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = Path(os.environ.get("STIGRAPH_SEEDS", REPO.parent / "shared" / "seeds"))
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def seeds_available() -> bool:
    return (SEEDS / "003_1fe72c798f52d037.txt").exists()


needs_seeds = pytest.mark.skipif(not seeds_available(), reason="../shared/seeds not present")


@pytest.fixture()
def store_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty store location; STIGRAPH_STORE points at it so the CLI uses it too."""
    path = tmp_path / "store"
    monkeypatch.setenv("STIGRAPH_STORE", str(path))
    return path
