#!/usr/bin/env python3
"""Score the budget readers on the probe pages in tests/fixtures/extract/probes (rerunnable; prints every number).

The probes are budget pages written in the layouts of real ministry pages (own wording, invented names
and figures) with the variations other years, bureaus and agencies show. `expected.csv` lists, written
by hand, EVERY record a careful reader would take from each probe: name, fiscal year, kind, amount and
previous-year amount as printed (empty = none), and optionally the agency tag and 1 for a new item.

Each record the extractor produces is
- RIGHT when an expected record of the same probe has its name (compared without spaces) and the same
  fiscal year, kind, amount, previous-year amount and agency (none when the expected agency is empty);
- UNNAMED when it has no name but its year, kind and amount are an expected record's and its previous
  figure is that record's or none (a figure without its name: neither right nor wrong);
- WRONG otherwise: a wrong amount, previous-year figure, year/kind or agency under an expected name, or
  a figure under a name no expected record has (the reason is printed).
An expected record no record matches is MISSING (reported unread or not seen: allowed, but counted).
The layout of a probe is the first word of its file name (headline_…, tables_…).

    python scripts/probe_budget_pages.py            # table by layout, then every wrong and missing record
    python scripts/probe_budget_pages.py --quiet    # the table only
    python scripts/probe_budget_pages.py --records  # also every record of every probe
    python scripts/probe_budget_pages.py '*_r2_*'   # only the probes whose name matches a pattern
"""
from __future__ import annotations

import argparse
import csv
import fnmatch
import importlib.util
import sys
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from stigraph.extract import extract_file  # noqa: E402
from stigraph.extract.budget import BudgetEntry, describe  # noqa: E402
from stigraph.extract.budget.notations import amount_value  # noqa: E402
from stigraph.extract.reading import read_document  # noqa: E402
from stigraph.loaders.text import compact  # noqa: E402

PROBES = REPO / "tests" / "fixtures" / "extract" / "probes"


def _score_module():
    """scripts/score_budget_pages.py, for its provenance check (figures must stand on the cited lines)."""
    spec = importlib.util.spec_from_file_location("score_budget_pages", REPO / "scripts" / "score_budget_pages.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


@dataclass
class Expected:
    probe: str
    name: str
    fiscal_year: int
    kind: str
    amount: Decimal
    previous: Decimal | None
    agency: str
    new: bool
    text: str  # as written in expected.csv, for messages

    @property
    def layout(self) -> str:
        return self.probe.split("_")[0]


@dataclass
class ProbeScore:
    """Outcome of one probe file."""

    probe: str
    expected: list[Expected]
    records: list[BudgetEntry] = field(default_factory=list)
    right: list[tuple[Expected, BudgetEntry]] = field(default_factory=list)
    unnamed: list[tuple[Expected, BudgetEntry]] = field(default_factory=list)
    wrong: list[tuple[BudgetEntry, str, str]] = field(default_factory=list)  # record, reason class, message
    missing: list[Expected] = field(default_factory=list)
    details: list[tuple[Expected, BudgetEntry, str]] = field(default_factory=list)  # right, but is_new differs
    provenance: list[tuple[BudgetEntry, str]] = field(default_factory=list)
    unread: int = 0

    @property
    def layout(self) -> str:
        return self.probe.split("_")[0]


def load_expected(folder: Path = PROBES) -> dict[str, list[Expected]]:
    """expected.csv -> probe stem -> its expected records."""
    found: dict[str, list[Expected]] = {}
    with (folder / "expected.csv").open(encoding="utf-8") as handle:
        for n, row in enumerate(csv.DictReader(handle), 2):
            try:
                previous = amount_value(row["previous"])[0] if row["previous"].strip() else None
                item = Expected(row["probe"], row["name"], int(row["fiscal_year"]), row["kind"],
                                amount_value(row["amount"])[0], previous, row["agency"].strip(),
                                row["new"].strip() == "1",
                                f"{row['name'] or '(total)'} FY{row['fiscal_year']} {row['kind']} "
                                f"{row['amount']}({row['previous'] or '-'})")
            except (ValueError, KeyError) as exc:
                raise SystemExit(f"{folder / 'expected.csv'}, line {n}: {exc}") from None
            found.setdefault(item.probe, []).append(item)
    return found


def _same_figures(e: Expected, r: BudgetEntry) -> bool:
    return (e.fiscal_year, e.kind, e.amount, e.previous) == (r.fiscal_year, r.kind, r.amount, r.previous)


def _difference(e: Expected, r: BudgetEntry) -> tuple[str, str]:
    """(reason class, message) of a record against the expected record of its name it differs from."""
    if (e.fiscal_year, e.kind) != (r.fiscal_year, r.kind):
        return "year/kind", f"FY{r.fiscal_year} {r.kind}, expected FY{e.fiscal_year} {e.kind}"
    if e.amount != r.amount:
        return "amount", f"amount {r.amount_text}, expected {e.text}"
    if e.previous != r.previous:
        return "previous", f"previous {r.previous_text or '-'}, expected {e.text}"
    return "agency", f"agency {r.agency or '-'}, expected {e.agency}"


def score_probe(path: Path, expected: list[Expected], provenance_problem) -> ProbeScore:
    score = ProbeScore(path.stem, expected)
    result = extract_file(path, kind="budget")
    score.records = result.budgets
    score.unread = len(result.unread)
    lines = read_document(path).lines
    open_rows = list(expected)
    for record in result.budgets:
        if (problem := provenance_problem(record, lines)):
            score.provenance.append((record, problem))
        name = compact(record.name or "")
        if not name:
            hit = next((e for e in open_rows if not e.name and _same_figures(e, record)), None)
            if hit:
                open_rows.remove(hit)
                score.right.append((hit, record))
                continue
            named = next((e for e in open_rows if (e.fiscal_year, e.kind, e.amount) == (
                record.fiscal_year, record.kind, record.amount) and record.previous in (None, e.previous)), None)
            if named:
                score.unnamed.append((named, record))
            else:
                score.wrong.append((record, "unnamed figure", "a figure no expected record has"))
            continue
        same_name = [e for e in open_rows if compact(e.name) == name]
        hit = next((e for e in same_name if _same_figures(e, record) and e.agency == (record.agency or "")), None)
        if hit:
            open_rows.remove(hit)
            score.right.append((hit, record))
            if hit.new != record.is_new:
                score.details.append((hit, record, f"new={record.is_new}, expected {hit.new}"))
            continue
        if same_name:
            closest = next((e for e in same_name if (e.fiscal_year, e.kind) == (record.fiscal_year, record.kind)),
                           same_name[0])
            score.wrong.append((record, *_difference(closest, record)))
        else:
            score.wrong.append((record, "name", "no expected record has this name"))
    # an unnamed figure leaves its expected record missing (but not wrong)
    score.missing = [e for e in open_rows]
    return score


def score_all(folder: Path = PROBES, pattern: str = "*") -> list[ProbeScore]:
    """Score the probes whose stem matches `pattern` (a probe file without expected rows is an error)."""
    expected = load_expected(folder)
    provenance_problem = _score_module().provenance_problem
    files = sorted(p for p in folder.glob("*.txt"))
    unlisted = [p.name for p in files if p.stem not in expected]
    if unlisted:
        raise SystemExit(f"{folder}: probes without expected records: {', '.join(unlisted)}")
    absent = sorted(set(expected) - {p.stem for p in files})
    if absent:
        raise SystemExit(f"{folder / 'expected.csv'}: probes not found: {', '.join(absent)}")
    return [score_probe(p, expected[p.stem], provenance_problem) for p in files if fnmatch.fnmatch(p.stem, pattern)]


def by_layout(scores: list[ProbeScore]) -> dict[str, dict[str, int]]:
    """Layout -> counts of probes, expected, right, missing, wrong, unnamed."""
    table: dict[str, dict[str, int]] = {}
    for s in scores:
        row = table.setdefault(s.layout, Counter())
        row["probes"] += 1
        row["expected"] += len(s.expected)
        row["right"] += len(s.right)
        row["missing"] += len(s.missing)
        row["wrong"] += len(s.wrong)
        row["unnamed"] += len(s.unnamed)
        row["provenance"] += len(s.provenance)
    return table


def _record_line(r: BudgetEntry) -> str:
    extras = " ".join(x for x in (f"agency={r.agency}" if r.agency else "", "new" if r.is_new else "") if x)
    return f"L{r.line} [{r.reader}] {describe(r)}  {r.name or '(total)'} {extras}".rstrip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quiet", action="store_true", help="print the table only")
    parser.add_argument("--records", action="store_true", help="also print every record of every probe")
    parser.add_argument("pattern", nargs="?", default="*", help="score only the probes whose name matches")
    args = parser.parse_args(argv)
    scores = score_all(pattern=args.pattern)
    table = by_layout(scores)
    total = Counter()
    print(f"{'layout':<10} {'probes':>6} {'expected':>8} {'right':>6} {'missing':>7} {'wrong':>6} {'unnamed':>7}")
    for layout, row in sorted(table.items()):
        total.update(row)
        print(f"{layout:<10} {row['probes']:>6} {row['expected']:>8} {row['right']:>6} {row['missing']:>7} "
              f"{row['wrong']:>6} {row['unnamed']:>7}")
    share = total["right"] / total["expected"] if total["expected"] else 0.0
    print(f"{'total':<10} {total['probes']:>6} {total['expected']:>8} {total['right']:>6} {total['missing']:>7} "
          f"{total['wrong']:>6} {total['unnamed']:>7}")
    reasons = Counter(reason for s in scores for _, reason, _ in s.wrong)
    print(f"coverage {share:.1%} ({total['right']}/{total['expected']}); wrong records {total['wrong']}"
          + (f" ({', '.join(f'{k} {v}' for k, v in sorted(reasons.items()))})" if reasons else "")
          + f"; provenance failures {total['provenance']}")
    if args.quiet:
        return 0
    for s in scores:
        for record, reason, message in s.wrong:
            print(f"  WRONG    {s.probe}: {_record_line(record)} -- {reason}: {message}")
        for e in s.missing:
            print(f"  MISSING  {s.probe}: {e.text}")
        for e, record in s.unnamed:
            print(f"  UNNAMED  {s.probe}: {_record_line(record)} -- is {e.text}")
        for e, record, message in s.details:
            print(f"  DETAIL   {s.probe}: {_record_line(record)} -- {message}")
        for record, problem in s.provenance:
            print(f"  PROVENANCE {s.probe}: {_record_line(record)} -- {problem}")
        if args.records:
            for record in s.records:
                print(f"  record   {s.probe}: {_record_line(record)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
