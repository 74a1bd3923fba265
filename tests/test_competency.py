"""The competency questions (tests/competency/*.rq) answered by the bundled graph.

Each .rq file starts with `# Question:` and `# Expect-...:` lines:
  Expect-rows: N          exactly N rows
  Expect-min-rows: N      at least N rows
  Expect-row: a=x, b=y    some row has these values (IRIs written with prefixes, numbers as digits)
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from stigraph.builder.inputs import collect_quads
from stigraph.sparql.graph import StiGraph
from stigraph.sparql.run import execute, shorten

import pyoxigraph as ox

COMPETENCY = Path(__file__).resolve().parent / "competency"
QUESTIONS = sorted(COMPETENCY.glob("*.rq"))


@pytest.fixture(scope="module")
def bundled() -> StiGraph:
    return StiGraph.from_nquads(collect_quads())


def expectations(text: str) -> list[tuple[str, str]]:
    return [(m[1].lower(), m[2].strip()) for m in re.finditer(r"^#\s*Expect-([\w-]+):\s*(.+)$", text, re.M)]


def cell(term) -> str:
    if term is None:
        return ""
    return shorten(term.value) if isinstance(term, ox.NamedNode) else term.value


def test_there_are_at_least_thirty_questions() -> None:
    assert len(QUESTIONS) >= 30
    for path in QUESTIONS:
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# Question:"), path.name
        assert expectations(text), f"{path.name} has no Expect- lines"


@pytest.mark.parametrize("path", QUESTIONS, ids=[p.stem for p in QUESTIONS])
def test_competency_question(bundled: StiGraph, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    result = execute(bundled.store, text)
    names = [v.value for v in result.variables]
    rows = [{n: cell(sol[n]) for n in names} for sol in result]
    for kind, value in expectations(text):
        if kind == "rows":
            assert len(rows) == int(value), f"{len(rows)} rows: {rows}"
        elif kind == "min-rows":
            assert len(rows) >= int(value), f"only {len(rows)} rows: {rows}"
        elif kind == "row":
            wanted = dict(part.strip().split("=", 1) for part in value.split(","))
            assert any(all(row.get(k) == v for k, v in wanted.items()) for row in rows), f"no row {wanted} in {rows}"
        else:
            raise AssertionError(f"unknown expectation {kind!r} in {path.name}")
