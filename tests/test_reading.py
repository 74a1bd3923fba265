"""Several inputs are read in forked children, two at a time: same records as one after another; errors named."""
from __future__ import annotations

import pytest

from stigraph.builder import reading
from stigraph.builder.inputs import InputSpec
from stigraph.errors import UserError

G = "https://w3id.org/stigraph/graph/import/r"


def spec(number: int, fail: Exception | None = None) -> InputSpec:
    def write(sink):
        if fail:
            raise fail
        for i in range(number + 1):
            sink(f"<urn:s{number}> <urn:p> \"{i}\" <{G}{number}> .\n")
        return [f"wrote {number + 1}"]
    return InputSpec(f"import/r{number}", "import", f"fp{number}", write=write)


def test_children_read_what_one_process_reads(tmp_path):
    specs = [spec(n) for n in range(5)]
    together = reading.read_inputs(specs, tmp_path / "a", print)
    alone = [reading.read_inputs([s], tmp_path / "b", print)[0] for s in specs]
    assert [r.name for r in together] == [s.name for s in specs]
    assert [(r.statements, r.graphs, r.notes) for r in together] == [(r.statements, r.graphs, r.notes) for r in alone]
    assert [r.statements for r in together] == [1, 2, 3, 4, 5]


def test_a_users_error_in_a_child_is_the_users_error(tmp_path):
    with pytest.raises(UserError, match="row 7 is not a number"):
        reading.read_inputs([spec(1), spec(2, UserError("row 7 is not a number")), spec(3)], tmp_path, print)


def test_another_failure_in_a_child_names_the_input(tmp_path):
    with pytest.raises(RuntimeError, match="reading import/r2: ValueError: broken"):
        reading.read_inputs([spec(1), spec(2, ValueError("broken"))], tmp_path, print)


def test_the_forked_callback_comes_after_the_last_fork(tmp_path, monkeypatch):
    """Threads may start in `forked`: by then every child exists (a fork never copies a running loader's locks)."""
    import os

    forks_then: list[int] = []
    started = []
    real_start = reading.mp.get_context("fork").Process.start

    def counting_start(process):
        started.append(process.name)
        return real_start(process)

    monkeypatch.setattr(reading.mp.get_context("fork").Process, "start", counting_start)
    reading.read_inputs([spec(n) for n in range(5)], tmp_path, print, forked=lambda: forks_then.append(len(started)))
    assert forks_then == [5] and os.getpid()


def test_a_full_build_whose_own_nquads_break_leaves_no_generation(tmp_path):
    """The N-Quads of a full build load while the inputs are read; a broken one is refused, nothing left behind."""
    from stigraph.builder import inputs
    from stigraph.builder.update import update

    broken = tmp_path / "broken.nq"
    broken.write_text(f"<urn:a> <urn:p> <urn:o> <{G}x> .\n<urn:a> <urn:p> \"open <{G}x> .\n")
    store = tmp_path / "store"
    with pytest.raises(UserError, match=r"broken\.nq: not valid RDF: .*line 2"):
        update(store, add=[inputs.ontology_input(), inputs.nquads_input("mine", "dataset", [broken])], full=True)
    assert not [p for p in store.iterdir() if p.name.startswith("gen-")] if store.exists() else True


def test_a_compacted_build_holds_what_an_uncompacted_one_holds(tmp_path):
    from stigraph.builder.operations import build

    plain = build(tmp_path / "plain", include_derived=False).build
    compacted = build(tmp_path / "compacted", include_derived=False, compact=True).build
    assert (compacted.quads, compacted.graphs, compacted.entities) == (plain.quads, plain.graphs, plain.entities)
