"""The bad-input catalogue: each malformed input gives exit code 1 with one clear `error:` line, no
traceback, and leaves the store as it was. Table-driven; the closing note lists input -> message."""
from __future__ import annotations

import fcntl
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from stigraph.cli.main import cli

from .conftest import FIXTURES

SMALL = FIXTURES / "registry_small"
SAMPLE = (SMALL / "sample.yaml").read_text(encoding="utf-8")
THEMES = (SMALL / "themes.yaml").read_text(encoding="utf-8")


@dataclass
class Case:
    name: str
    make: Callable[[Path], list[str]]  # writes its inputs under tmp, returns the CLI arguments
    expect: str  # a fragment of the one error line
    code: int = 1


def registry(text: str | bytes, name: str = "sample.yaml") -> Callable[[Path], list[str]]:
    """A registry folder with the themes and one file holding `text`."""
    def make(tmp: Path) -> list[str]:
        folder = tmp / "reg"
        folder.mkdir()
        (folder / "themes.yaml").write_text(THEMES, encoding="utf-8")
        target = folder / name
        target.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        return ["build", "--registry", str(folder), "--no-derived"]
    return make


def edited(old: str, new: str) -> str:
    assert old in SAMPLE, old
    return SAMPLE.replace(old, new, 1)


def file_arg(command: list[str], name: str, data: bytes) -> Callable[[Path], list[str]]:
    def make(tmp: Path) -> list[str]:
        path = tmp / name
        path.write_bytes(data)
        return [*command, str(path)]
    return make


def truncated_pdf(tmp: Path) -> list[str]:
    from reportlab.pdfgen import canvas

    path = tmp / "doc.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.drawString(72, 720, "budget 1,000 yen")
    pdf.save()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return ["extract", str(path)]


CASES = [
    Case("yaml syntax error", registry(SAMPLE + "\n  - id: [unclosed\n"), "YAML syntax error"),
    Case("unknown key", registry(edited("    line: 12\n", "    line: 12\n    colour: blue\n")), "unknown key 'colour'"),
    Case("dangling id", registry(edited("to: jst, line: 15}", "to: no-such-org, line: 15}")), "no entity with that id"),
    Case("duplicate id", registry(SAMPLE + "  - {id: jst, class: Agency, ja: 重複, en: Dup, line: 3}\n"), "duplicate id 'jst'"),
    Case("negative amount", registry(edited('amount: "3,105百万円"', 'amount: "-3,105百万円"')), "bad amount"),
    Case("non-numeric amount", registry(edited('amount: "3,105百万円"', 'amount: "たくさん"')), "bad amount"),
    Case("impossible fiscal year", registry(edited("fy: 2021", "fy: 平成40年度")), "平成 has no year 40"),
    Case("fiscal year out of range", registry(edited("fy: 2021", "fy: 1700")), "outside"),
    Case("unknown budget kind", registry(edited("kind: draft", "kind: wishful")), "unknown budget kind"),
    Case("unknown class", registry(edited("class: Unit", "class: Department")), "unknown class 'Department'"),
    Case("unknown predicate", registry(edited("{p: administeredBy", "{p: runBy")), "unknown predicate 'runBy'"),
    Case("relation between wrong classes", registry(edited("{p: subOrganizationOf, to: jst", "{p: subOrganizationOf, to: mirai-kyoso")),
         "cannot point at 'mirai-kyoso'"),
    Case("missing source", registry(edited("    line: 15\n", "\n")), "missing source"),
    Case("malformed source", registry(edited("    line: 12\n", "    source: 000.txt-12\n")), "must look like"),
    Case("duplicate key", registry(edited("    line: 12\n", "    line: 12\n    line: 13\n")), "duplicate key"),
    Case("registry not a mapping", registry("- just\n- a list\n"), "expected a mapping"),
    Case("empty registry file", registry(""), "empty registry file"),
    Case("registry in CP932", registry(SAMPLE.encode("cp932")), "not UTF-8"),
    Case("binary registry file", registry(b"\x89PNG\r\n\x1a\n\x00\x00\x00"), "binary file"),
    Case("missing registry folder", lambda tmp: ["build", "--registry", str(tmp / "nope"), "--no-derived"], "no such registry"),
    Case("empty document", file_arg(["extract"], "empty.txt", b""), "empty"),
    Case("binary document", file_arg(["extract"], "blob.txt", bytes(range(256)) * 64), "binary"),
    Case("truncated PDF", truncated_pdf, "PDF"),
    Case("mixed encodings in one document", file_arg(["extract"], "mixed.txt",
         ("予算の推進".encode("utf-8") + "事業".encode("cp932") + "計画".encode("euc_jp")) * 20), "cannot detect the text encoding"),
    Case("UTF-16 without a BOM", file_arg(["extract"], "utf16.txt", "予算".encode("utf-16-le") * 40), "cannot detect the text encoding"),
    Case("10 MB single-line query file", file_arg(["query", "-f"], "huge.rq", b"SELECT * WHERE { ?s ?p ?o " + b"#" * 10_000_000), "STIGRAPH_MAX_QUERY_BYTES"),
    Case("SPARQL syntax error", lambda tmp: ["query", "SELECT ?x WHERE { ?x"], "SPARQL syntax error"),
    Case("query file not UTF-8", file_arg(["query", "-f"], "q.rq", "SELECT ?s WHERE { ?s ?p \"予算\" }".encode("cp932")), "not a UTF-8"),
    Case("missing query file", lambda tmp: ["query", "-f", str(tmp / "none.rq")], "no such query file"),
    Case("neither query nor file", lambda tmp: ["query"], "exactly one"),
    Case("unknown export format", lambda tmp: ["export", "--format", "xlsx", "-o", str(tmp / "x")], "'xlsx' is not one of"),
    Case("unwritable output path", lambda tmp: ["export", "--format", "ttl", "-o", str(tmp / "no" / "such" / "dir" / "g.ttl")], "does not exist"),
    Case("output path on a read-only file system", lambda tmp: ["export", "--format", "nt", "-o", "/proc/stigraph.nt"], "cannot write"),
    Case("csv export to stdout", lambda tmp: ["export", "--format", "csv", "-o", "-"], "two files"),
    Case("unknown named graph", lambda tmp: ["export", "--format", "ttl", "--graph", "registry/nope", "-o", "-"], "no named graph"),
    Case("unknown entity", lambda tmp: ["show", "no-such-entity-anywhere"], "no entity"),
    Case("unknown option", lambda tmp: ["build", "--colour"], "No such option"),
]


@pytest.fixture(scope="module")
def built_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("catalogue") / "store"
    result = CliRunner().invoke(cli, ["build", "--registry", str(SMALL), "--no-derived", "--store", str(store)])
    assert result.exit_code == 0, result.output
    return store


def store_state(store: Path) -> tuple[str, list[str]]:
    return os.readlink(store / "current"), sorted(p.name for p in store.iterdir() if p.name.startswith("gen-"))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(case: Case, built_store: Path, tmp_path: Path) -> None:
    before = store_state(built_store)
    args = case.make(tmp_path)
    result = CliRunner().invoke(cli, [*args, "--store", str(built_store)] if args[0] != "extract" else args)
    errors = [line for line in result.output.splitlines() if line.startswith(("error:", "Error:"))]
    assert result.exit_code == case.code, result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    assert len(errors) == 1, result.output
    assert case.expect in errors[0].replace(str(tmp_path), "…"), errors[0]  # not matched by chance in the path
    assert store_state(built_store) == before


def test_missing_store(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["show", "jst", "--store", str(tmp_path / "none")])
    assert result.exit_code == 1 and "no graph built here yet" in result.output


def test_corrupt_store(built_store: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "gen-1").mkdir()
    (broken / "gen-1" / "CURRENT").write_text("garbage", encoding="utf-8")
    os.symlink("gen-1", broken / "current")
    result = CliRunner().invoke(cli, ["query", "ASK {}", "--store", str(broken)])
    assert result.exit_code == 1 and "cannot open the store" in result.output


def test_store_locked_by_another_build(built_store: Path) -> None:
    before = store_state(built_store)
    with open(built_store / ".build.lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        result = CliRunner().invoke(cli, ["build", "--registry", str(SMALL), "--no-derived", "--store", str(built_store)])
    assert result.exit_code == 1 and "another build is running" in result.output
    assert store_state(built_store) == before


def test_catalogue_has_at_least_thirty_inputs() -> None:
    assert len(CASES) + 3 >= 30
