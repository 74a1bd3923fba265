#!/usr/bin/env python3
"""Score the budget extractor on the real pages in ../shared/realdocs (rerunnable; prints every number).

Budget pages (`budget_pages/*.txt`, hand-read `expected_lines.csv`):
- an expected line is FOUND when a record of the same file has its name (also agency + name or
  parent + name) and the same fiscal year, amount and previous-year amount (none when none is given);
- a record is WRONG when its name matches an expected line but its year, amount or previous differ,
  or when it carries another expected line's figure under a name that matches no expected line;
- every other record is UNLISTED (the expected list is not exhaustive) and is shown with its line;
- every record's printed figures must stand on the lines it cites (PROVENANCE failures are counted).
CSTI lists (`csti_budget/*.txt`, the full list `expected_r8_st_projects.csv`): a row of the list is
PRESENT in a text when its figure (千円) and its name stand in the text (the texts are cut short); it
is EXTRACTED when a record has the same 予算事業ID (or none), ministry, name and amount in yen.

    python scripts/score_budget_pages.py            # summary and details
    python scripts/score_budget_pages.py --quiet    # summary only
"""
from __future__ import annotations

import argparse
import csv
import os
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from stigraph.extract import extract_file  # noqa: E402
from stigraph.extract.budget import BudgetEntry, describe  # noqa: E402
from stigraph.loaders.money import UNIT_FACTORS  # noqa: E402
from stigraph.loaders.text import compact  # noqa: E402

REALDOCS = Path(os.environ.get("STIGRAPH_REALDOCS", REPO.parent / "shared" / "realdocs"))
PAGES = REALDOCS / "budget_pages"
CSTI = REALDOCS / "csti_budget"
CSTI_LISTS = {"別添1_review_taisho": "review_taisho.pdf.txt", "別添2_review_taishogai": "review_taishogai.pdf.txt"}
_TRAILING_BRACKET = re.compile(r"\([^()]*\)$")


def _kind(text: str) -> str:
    if "補正" in text:
        return "supplementary"
    if "要求" in text:
        return "request"
    return "draft" if "案" in text else "initial"


def _names(entry: BudgetEntry) -> set[str]:
    forms = {entry.name or ""}
    for prefix in (entry.agency, entry.parent):
        if prefix and entry.name:
            forms.add(prefix + entry.name)
    return {compact(f) for f in forms if f}


def name_matches(expected: str, entry: BudgetEntry) -> bool:
    """Same name after compacting; a trailing bracket on either side (「(内閣府)」, 「(1/2)」) may be dropped."""
    want = compact(expected)
    for got in _names(entry):
        if got == want or _TRAILING_BRACKET.sub("", got) == want or got == _TRAILING_BRACKET.sub("", want):
            return True
    return False


@dataclass
class PageScore:
    expected: int = 0
    found: list[tuple[dict, BudgetEntry]] = field(default_factory=list)
    missed: list[dict] = field(default_factory=list)
    wrong: list[tuple[str, BudgetEntry, str]] = field(default_factory=list)
    unlisted: list[tuple[str, BudgetEntry]] = field(default_factory=list)
    provenance: list[tuple[str, BudgetEntry, str]] = field(default_factory=list)
    records: dict[str, list[BudgetEntry]] = field(default_factory=dict)
    unread: dict[str, int] = field(default_factory=dict)


def _yen(value: str, unit: str) -> Decimal | None:
    return None if not value.strip() else Decimal(value) * UNIT_FACTORS[unit]


def provenance_problem(entry: BudgetEntry, lines: list[str]) -> str | None:
    """None if the entry's printed figures stand on the lines it cites, else what is missing."""
    cited = [entry.line] + list(range(entry.line, (entry.line_end or entry.line) + 1)) + entry.also_lines
    text = compact("".join(lines[n - 1] for n in set(cited) if 0 < n <= len(lines)))
    for printed in (entry.amount_text, entry.previous_text):
        if not printed:
            continue
        figure = re.sub(r"(兆|億|千万|百万|万|千)?円$", "", compact(printed)) if entry.reader in (
            "csti_lists", "tables", "cell_tables") else compact(printed)
        if figure not in text:
            return f"{printed} not on lines {sorted(set(cited))}"
    return None


def score_pages(pages: Path = PAGES) -> PageScore:
    score = PageScore()
    expected_rows = list(csv.DictReader((pages / "expected_lines.csv").open(encoding="utf-8")))
    score.expected = len(expected_rows)
    by_file: dict[str, list[dict]] = {}
    for row in expected_rows:
        by_file.setdefault(f"{int(row['excerpt_n']):02d}", []).append(row)
    for path in sorted(pages.glob("*.txt")):
        result = extract_file(path, kind="budget")
        entries = result.budgets
        score.records[path.name] = entries
        score.unread[path.name] = len(result.unread)
        lines = result_lines(path)
        for entry in entries:
            if (problem := provenance_problem(entry, lines)):
                score.provenance.append((path.name, entry, problem))
        rows = by_file.get(path.name[:2], [])
        figures = set()
        for row in rows:
            row["_amount"] = _yen(row["amount_current"], row["unit"])
            row["_previous"] = _yen(row["amount_previous"], row["unit"])
            figures.update(v for v in (row["_amount"], row["_previous"]) if v is not None)
        matched_entries = set()
        for row in rows:
            named = [e for e in entries if name_matches(row["program"], e)]
            good = [e for e in named if e.fiscal_year == int(row["fiscal_year"]) and e.amount == row["_amount"]
                    and e.previous == row["_previous"] and e.kind == _kind(row["amount_kind"])]
            for e in named:
                matched_entries.add(id(e))
                if e not in good:
                    score.wrong.append((path.name, e, f"expected FY{row['fiscal_year']} {row['amount_current']}"
                                        f"({row['amount_previous'] or '-'}){row['unit']} {_kind(row['amount_kind'])}"))
            if good:
                score.found.append((row, good[0]))
            else:
                score.missed.append(row)
        for e in entries:
            if id(e) in matched_entries:
                continue
            if rows and (e.amount in figures or (e.previous is not None and e.previous in figures)):
                score.wrong.append((path.name, e, "carries an expected line's figure under another name"))
            else:
                score.unlisted.append((path.name, e))
    return score


def result_lines(path: Path) -> list[str]:
    from stigraph.extract.reading import read_document

    return read_document(path).lines


@dataclass
class ListScore:
    name: str
    present: int = 0
    extracted: int = 0
    records: int = 0
    unread: int = 0
    missed: list[tuple[dict, str]] = field(default_factory=list)
    provenance: list[tuple[BudgetEntry, str]] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.extracted / self.present if self.present else 0.0


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _row_present(row: dict, text_compact: str) -> bool:
    figure = f"{int(Decimal(row['st_budget_million_yen']) * 1000):,}"
    tokens = row["name"].split()
    if tokens and re.fullmatch(r"\d+|新規", tokens[0]):
        tokens = tokens[1:]
    return figure in text_compact and all(compact(t) in text_compact for t in tokens)


def _row_matches(row: dict, entry: BudgetEntry) -> bool:
    if entry.amount != Decimal(row["st_budget_million_yen"]) * 1_000_000:
        return False
    if _nfkc(entry.ministry or "") != _nfkc(row["ministry"]):
        return False
    want_id = int(row["budget_project_id"]) if row["budget_project_id"].strip() else None
    got_id = int(entry.project_id) if entry.project_id else None
    if want_id != got_id:
        return False
    tokens = row["name"].split()
    if tokens and re.fullmatch(r"\d+|新規", tokens[0]) and entry.item_number:
        tokens = tokens[1:]
    if want_id is not None:
        return compact(row["name"]) == compact(entry.name or "")
    want, got = _loose(" ".join(tokens)), _loose(entry.name or "")
    return want == got or (min(len(want), len(got)) >= 8 and (got.startswith(want) or want.startswith(got)))


def _loose(name: str) -> str:
    """A name compared without spaces, 「・」 and bracketed qualifiers: the expected list of the 別添2 rows
    renders 「・」 as a space and drops qualifiers such as 「(使途別分類1)」 that the PDF text prints."""
    text = compact(name).replace("・", "")
    previous = None
    while previous != text:
        previous, text = text, re.sub(r"\([^()]*\)", "", text)
    return text


def score_csti(folder: Path = CSTI) -> list[ListScore]:
    rows = list(csv.DictReader((folder / "expected_r8_st_projects.csv").open(encoding="utf-8")))
    scores = []
    for tag, suffix in CSTI_LISTS.items():
        path = next(folder.glob(f"*{suffix}"))
        text_compact = compact(path.read_text(encoding="utf-8"))
        result = extract_file(path, kind="budget")
        lines = result_lines(path)
        score = ListScore(path.name, records=len(result.budgets), unread=len(result.unread))
        for entry in result.budgets:
            if (problem := provenance_problem(entry, lines)):
                score.provenance.append((entry, problem))
        pool = list(result.budgets)
        for row in (r for r in rows if r["list"] == tag):
            if not _row_present(row, text_compact):
                continue
            score.present += 1
            hit = next((e for e in pool if _row_matches(row, e)), None)
            if hit is None:
                near = [e for e in pool if e.amount == Decimal(row["st_budget_million_yen"]) * 1_000_000]
                score.missed.append((row, f"record with that amount: {near[0].to_dict() if near else None}"))
            else:
                pool.remove(hit)
                score.extracted += 1
        scores.append(score)
    return scores


def _entry_line(entry: BudgetEntry) -> str:
    extras = " ".join(x for x in (f"agency={entry.agency}" if entry.agency else "",
                                   f"parent={entry.parent}" if entry.parent else "") if x)
    return f"L{entry.line} [{entry.reader}] {describe(entry)}  {entry.name or '(total)'} {extras}".rstrip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quiet", action="store_true", help="print the summary only")
    args = parser.parse_args(argv)
    if not (PAGES / "expected_lines.csv").exists():
        print(f"{PAGES}: expected_lines.csv not found; set STIGRAPH_REALDOCS", file=sys.stderr)
        return 1
    pages = score_pages()
    share = len(pages.found) / pages.expected if pages.expected else 0.0
    total_records = sum(len(v) for v in pages.records.values())
    print(f"budget pages: {len(pages.found)}/{pages.expected} expected lines found ({share:.1%}); "
          f"wrong records {len(pages.wrong)}; unlisted records {len(pages.unlisted)}; records {total_records}; "
          f"unread {sum(pages.unread.values())}; provenance failures {len(pages.provenance)}")
    if not args.quiet:
        for name, entries in pages.records.items():
            print(f"  {name[:48]}: {len(entries)} records, {pages.unread[name]} unread")
        for row in pages.missed:
            print(f"  MISSED  {row['excerpt_n']:>2} {row['program']} FY{row['fiscal_year']} "
                  f"{row['amount_current']}({row['amount_previous'] or '-'}){row['unit']}")
        for name, entry, why in pages.wrong:
            print(f"  WRONG   {name[:2]} {_entry_line(entry)}  -- {why}")
        for name, entry in pages.unlisted:
            print(f"  UNLISTED {name[:2]} {_entry_line(entry)}")
        for name, entry, why in pages.provenance:
            print(f"  PROVENANCE {name[:2]} {_entry_line(entry)} -- {why}")
    for score in score_csti():
        print(f"CSTI {score.name}: {score.extracted}/{score.present} rows present in the text extracted "
              f"({score.share:.1%}); records {score.records}; unread {score.unread}; "
              f"provenance failures {len(score.provenance)}")
        if not args.quiet:
            for row, why in score.missed[:20]:
                print(f"  MISSED {row['budget_project_id'] or '-':>6} {row['ministry']} {row['name'][:50]} "
                      f"{row['st_budget_million_yen']} -- {why[:200]}")
            for entry, why in score.provenance[:10]:
                print(f"  PROVENANCE {_entry_line(entry)} -- {why}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
