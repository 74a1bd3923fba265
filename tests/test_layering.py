"""The package's folders depend one way: no upward import, no cycle, and the CLI talks only to stigraph.api.

Every import statement counts, also one inside a function (a lazy import is still a dependency).
"""
from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "stigraph"
# A folder may import from folders of a lower rank and from itself; never from its own rank or above.
RANKS = {"errors": 0, "ontology": 0, "limits": 1, "outputs": 1, "loaders": 1, "store": 1, "extract": 2, "sparql": 2,
         "validation": 3, "graph": 3, "builder": 4, "interop": 5, "views": 5, "api": 6, "cli": 7, "__init__": 8,
         "__main__": 8}
CLI_MAY_IMPORT = ("stigraph.api", "stigraph.cli")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def folder(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _type_checking_blocks(tree: ast.AST) -> set[int]:
    """ids of the nodes under `if TYPE_CHECKING:` (imports for type hints only: never run)."""
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", getattr(node.test, "attr", "")) == "TYPE_CHECKING":
            inside |= {id(n) for child in node.body for n in ast.walk(child)}
    return inside


def imports(path: Path, runtime_only: bool = False) -> set[str]:
    """The stigraph modules a file imports, resolved to module names (relative imports included).

    `runtime_only` leaves out imports under `if TYPE_CHECKING:`.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_blocks(tree) if runtime_only else set()
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("stigraph")}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            if not base.startswith("stigraph"):
                continue
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.add(candidate if (PACKAGE.parent / candidate.replace(".", "/")).with_suffix(".py").exists()
                          or (PACKAGE.parent / candidate.replace(".", "/")).is_dir() else base)
    found.discard(here)
    return found


def all_modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


def test_every_folder_has_a_rank():
    assert {folder(m) for m in all_modules()} <= set(RANKS)


def test_no_upward_or_sideways_import_between_folders():
    offenders = []
    for module, path in sorted(all_modules().items()):
        mine = folder(module)
        for target in sorted(imports(path)):
            theirs = folder(target)
            if theirs != mine and RANKS[theirs] >= RANKS[mine]:
                offenders.append(f"{module} ({mine}, rank {RANKS[mine]}) imports {target} ({theirs}, rank {RANKS[theirs]})")
    assert offenders == []


def test_no_import_cycle_between_modules():
    modules = all_modules()
    graph = {m: {t for t in imports(p, runtime_only=True) if t in modules and t != m} for m, p in modules.items()}
    # A package's __init__ re-exporting its own modules is not a cycle of logic: leave those edges out.
    for m in graph:
        if modules[m].name == "__init__.py":
            graph[m] = {t for t in graph[m] if not t.startswith(m + ".")}
    cycles = []
    state: dict[str, int] = defaultdict(int)
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state[nxt] == 1:
                cycles.append(" -> ".join(stack[stack.index(nxt):] + [nxt]))
            elif state[nxt] == 0:
                visit(nxt)
        stack.pop()
        state[node] = 2

    sys.setrecursionlimit(10_000)
    for node in sorted(graph):
        if state[node] == 0:
            visit(node)
    assert cycles == []


def test_the_cli_imports_only_the_api_its_options_and_click():
    offenders = []
    for path in sorted((PACKAGE / "cli").glob("*.py")):
        for target in sorted(imports(path)):
            if not target.startswith(CLI_MAY_IMPORT):
                offenders.append(f"{path.name} imports {target}")
    assert offenders == []


def test_no_folder_holds_more_than_a_third_of_the_lines_and_no_module_is_huge():
    lines = {m: sum(1 for _ in p.open(encoding="utf-8")) for m, p in all_modules().items()}
    total = sum(lines.values())
    by_folder: dict[str, int] = defaultdict(int)
    for module, n in lines.items():
        by_folder[folder(module)] += n
    assert {f: n for f, n in by_folder.items() if n > total / 3} == {}
    assert {m: n for m, n in lines.items() if n > 450} == {}
