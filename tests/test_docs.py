"""The documentation cannot rot: the tour runs, the README's commands run, the CLI reference is fresh."""
from __future__ import annotations

import importlib.util
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from stigraph.cli.main import cli

from .conftest import SEEDS, needs_seeds

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def load_tour():
    spec = importlib.util.spec_from_file_location("tour", REPO / "docs" / "tour.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


@pytest.fixture(scope="module")
def tour_result(tmp_path_factory: pytest.TempPathFactory) -> dict:
    base = tmp_path_factory.mktemp("tour")
    return load_tour().tour(base / "store", base)


@needs_seeds
def test_tour_answers_as_documented(tour_result: dict) -> None:
    assert tour_result["jst_programs"] >= 60
    assert tour_result["history_rows"] >= 2
    assert "https://w3id.org/stigraph/id/university-fund" in tour_result["jst_funds"]
    assert tour_result["mext_agencies"] >= 5
    assert tour_result["plan_targets"] == 6
    assert {"jst", "csti"} <= set(tour_result["moonshot_direct"])
    assert tour_result["top_overlap"] == ("stated", "mext-fy2021-health-medical-rd", "research-misconduct-response")
    assert tour_result["top_ministry_pair"] == ("cao-sti", "mext", 200)
    assert Path(tour_result["view"]).stat().st_size > 100_000


def test_cli_reference_is_fresh() -> None:
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "gen_cli_reference.py"), "--check"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_every_command_is_documented() -> None:
    reference = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    for name, command in cli.commands.items():
        assert f"## stigraph {name}\n" in reference
        assert f"stigraph {name}" in README, f"README does not show `stigraph {name}`"
        for sub in getattr(command, "commands", {}):
            assert f"## stigraph {name} {sub}\n" in reference


def test_readme_test_command_is_what_ci_runs() -> None:
    assert "python3 -m pytest -ra" in README
    assert "python3 -m pytest -ra" in (REPO / ".ci" / "run").read_text(encoding="utf-8")


def readme_commands() -> list[str]:
    """`stigraph ...` lines of the README's bash blocks that run offline on the bundled graph."""
    blocks = re.findall(r"```bash\n(.*?)```", README, re.S)
    lines = [line.split("#")[0].strip() for block in blocks for line in block.splitlines()]
    skip = ("stigraph serve", "stigraph push", "stigraph build --docs budget_request", "stigraph import my_data")
    return [line for line in lines if line.startswith("stigraph ") and not line.startswith(skip)]


@needs_seeds
@pytest.mark.parametrize("line", readme_commands())
def test_readme_command_runs(line: str, tour_result: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Path(tour_result["view"]).parent / "store"
    monkeypatch.chdir(tmp_path)
    args = shlex.split(line.replace("../shared/seeds", str(SEEDS)))[1:]
    if args and args[0] == "build":
        return  # the tour built the store the same way
    result = CliRunner().invoke(cli, [*args, "--store", str(store)] if args[0] not in ("extract",) else args)
    assert result.exit_code == 0, f"{line}\n{result.output}"
    assert result.output.strip() or list(tmp_path.iterdir())


def test_every_command_goes_through_the_public_api() -> None:
    """No logic only reachable from the CLI: each command's body calls `stigraph.api`."""
    import inspect

    import click

    def commands(group: click.Group):
        for command in group.commands.values():
            if isinstance(command, click.Group):
                yield from commands(command)
            else:
                yield command

    offenders = [c.name for c in commands(cli) if "api." not in inspect.getsource(c.callback)]
    assert offenders == []


def test_what_you_get_shows_what_a_build_gives(tmp_path) -> None:
    """The counts in the README's first example are those of a fresh build of the bundled data."""
    from stigraph import api

    built = api.build(tmp_path / "store").build
    block = README.split("## What you get", 1)[1].split("```", 2)[1]
    assert "entities:  " + ", ".join(f"{k} {v}" for k, v in built.entities.items()) in block
    assert "relations: " + ", ".join(f"{k} {v}" for k, v in built.relations.items()) in block
    assert f"budget entries: {built.budget_entries}" in block
    assert f"{built.quads:,} quads in {built.graphs} named graphs" in block
