"""Budget figures in documents -> `BudgetEntry` records, by a registry of small readers, one per layout.

Each reader reads one layout and claims the lines it used; later readers skip claimed lines, so a
line is read once. A figure no reader can tie to a name with confidence is an `Unread` with a reason.

    csti_lists   CSTI S&T project lists (NO 府省庁 予算事業ID 事業名 科技予算額(千円) 分類)
    headline     a page's title + 「令和7年度要求・要望額」 / amount / 「(前年度予算額」 / amount)
    tables       rows under column headers (所管 / 概算要求額 / 前年度予算額 / 比較増減額)
    cell_tables  tables dumped one cell per line (「建屋建設費 |」 「103億円 |」 …)
    bullets      「○事業名」 with the amount on a later line, 【AGENCY】 tags, 新規 / 「-※1」
    arrows       「事業名 10億円 ⇒ 11億円 (+5.8%)」
    seed_lines   「2.事業名 1,561百万円(1,516百万円)」 and label lines with an amount (the seeds' format)
    running_text amounts in sentences: reported as unread, never read

A new layout is a new module with `NAME` and `read(sheet) -> Reading`, added to `READERS` below.
"""
from __future__ import annotations

from collections.abc import Callable

from stigraph.extract.mentions import Gazetteer
from stigraph.extract.reading import Document

from . import arrows, bullets, cell_tables, csti_lists, headline, running_text, seed_lines, tables
from .linking import link
from .records import BudgetEntry, Unread, describe
from .sheet import Reading, Sheet

__all__ = ["READERS", "BudgetEntry", "Unread", "describe", "extract_budgets"]

# Order matters: a reader sees only the lines the readers before it left unclaimed.
READERS: list[tuple[str, Callable[[Sheet], Reading]]] = [
    (csti_lists.NAME, csti_lists.read),
    (headline.NAME, headline.read),
    (tables.NAME, tables.read),
    (cell_tables.NAME, cell_tables.read),
    (bullets.NAME, bullets.read),
    (arrows.NAME, arrows.read),
    (seed_lines.NAME, seed_lines.read),
    (running_text.NAME, running_text.read),  # reports, reads nothing
]


def extract_budgets(doc: Document, labels: dict[str, str] | None = None,
                    gazetteer: Gazetteer | None = None) -> tuple[list[BudgetEntry], list[Unread]]:
    """Find budget entries in a document; return them and the figures that could not be read.

    `labels` maps compact registry labels to ids (an entry whose name is a label gets `entity`);
    `gazetteer` (optional) lists registry entities named inside the other names (`related`).

    >>> from pathlib import Path
    >>> doc = Document(Path("x.txt"), "utf_8", [], ["令和3年度予算額(案) 10億円", "(前年度予算額 9億円)", "1.試行事業 3百万円(2百万円)"])
    >>> [(e.name, e.amount, e.previous, e.fiscal_year, e.kind) for e in extract_budgets(doc)[0]]
    [(None, Decimal('1000000000'), Decimal('900000000'), 2021, 'draft'), ('試行事業', Decimal('3000000'), Decimal('2000000'), 2021, 'draft')]
    """
    sheet = Sheet.of(doc)
    entries: list[BudgetEntry] = []
    unread: list[Unread] = []
    for _, reader in READERS:
        reading = reader(sheet)
        entries += reading.entries
        unread += reading.unread
    link(entries, sheet, labels or {}, gazetteer)
    entries.sort(key=lambda e: (e.line, e.row or 0))
    seen: set[tuple[int, str]] = set()
    kept = []
    for u in sorted(unread, key=lambda u: u.line):
        if (u.line, u.text) not in seen:
            seen.add((u.line, u.text))
            kept.append(u)
    return entries, kept
