"""Money flows as rows (source, target, amount, year, kind, provenance), and the picture of one entity's flows.

`flow_rows` runs every query in `stigraph/views/queries/flows/` (sorted by file name). Each returns
the same columns: ?source ?target ?amount ?year ?kind ?stage ?entry ?included ?how ?file ?line
?citation. Today two queries read the registry: stage 1 ministry -> budget line (program, fund,
facility, budget-line measure), stage 2 budget line -> the body that runs it. Another data source
(e.g. review-sheet projects and their payees) joins by adding one .rq file with those columns.

Nothing is counted twice in a picture (the budget rule, `stigraph.sparql.budget`):
- a line's amount is its figure for the year and kind: the sum of its own entries there, never a
  breakdown item of them, never a 内数 entry, never a multi-year figure; rows without an entry
  (payment records) count as given;
- a line whose figure is part of another line's figure in the picture (stig:budgetPartOf), or
  that is part of another line with a figure of the same year and kind (stig:partOf), is left out;
- a line paid by (or run by) several bodies gets one joint node, never one full copy per body;
- one picture shows one fiscal year and one kind.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import networkx as nx

from stigraph.errors import UserError
from stigraph.graph.projection import node_id
from stigraph.ontology.vocabulary import BUDGET_KINDS
from stigraph.sparql.budget import BudgetBook
from stigraph.sparql.graph import StiGraph
from stigraph.sparql.run import read_query_file
from stigraph.views.money.figures import kind_name

FLOW_QUERIES = Path(__file__).resolve().parent.parent / "queries" / "flows"
HOW_PREFERENCE = ("own", "parent", "responsible", "parent-responsible", "")
KIND_ORDER = ("initial", "draft", "request", "supplementary", "actual", "fund_size", "total_cost", "target")
TOP_LINES = 12
JOINT = "joint:"
OTHERS = "others"
OTHER_PAYEES = "other-payees"  # the payees of review-sheet projects beyond the TOP_PAYEES largest
TOP_PAYEES = 15
SELF = "self:"                # a line its ministry runs itself: "self:mext"
UNRECORDED = "unrecorded"     # a line no body is recorded to run


@dataclass(frozen=True)
class FlowRow:
    """One flow: `amount` yen from `source` to `target` in fiscal `year`, of budget `kind`, at `stage` (1, 2 …).

    `entries` are the budget entries the amount sums (none for a payment record).
    """

    source: str
    target: str
    amount: Decimal
    year: int
    kind: str
    stage: int
    provenance: str = ""
    entries: tuple[str, ...] = ()
    how: str = ""


def provenance(row: dict) -> str:
    """「file.txt:12」 or 「curated: citation」 from a query row's ?file ?line ?citation.

    >>> provenance({"file": "a.txt", "line": 3}), provenance({"citation": "Act 1"})
    ('a.txt:3', 'curated: Act 1')
    """
    if row.get("citation"):
        return f"curated: {row['citation']}"
    if row.get("file"):
        return f"{row['file']}:{row['line']}" if row.get("line") is not None else str(row["file"])
    return ""


def _kind_key(value: str) -> str:
    local = value.rsplit("#", 1)[-1]
    return next((key for key, name in BUDGET_KINDS.items() if name == local), local)


def flow_rows(graph: StiGraph, book: BudgetBook | None = None) -> list[FlowRow]:
    """Every flow row of the graph, from each query of FLOW_QUERIES; a line's entries summed into its figure.

    >>> from stigraph.builder.inputs import collect_quads  # doctest: +SKIP
    >>> rows = flow_rows(StiGraph.from_nquads(collect_quads()))  # doctest: +SKIP
    >>> {r.stage for r in rows}  # doctest: +SKIP
    {1, 2}
    """
    book = BudgetBook.from_graph(graph) if book is None else book
    own = {owner: {f.entry for f in book.entity_figures(owner)} for owner in book.owners()}
    sums: dict[tuple, dict[str, Decimal]] = defaultdict(dict)
    given: dict[tuple, FlowRow] = {}
    where: dict[tuple, set[str]] = defaultdict(set)
    for query in sorted(FLOW_QUERIES.glob("*.rq")):
        for r in graph.select(read_query_file(query)):
            source, target, stage = node_id(str(r["source"])), node_id(str(r["target"])), int(r["stage"])
            line = target if stage == 1 else source
            if r.get("entry"):
                entry = book.get(str(r["entry"]))
                if (entry is None or entry.multi_year or book.inside_included(entry)
                        or entry.entry not in own.get(line, ())):
                    continue  # a breakdown item, a 内数 figure or a multi-year figure: not the line's figure
                key = (source, target, entry.fiscal_year, entry.kind, stage, str(r.get("how") or ""))
                sums[key][entry.entry] = entry.amount
                where[key].update(entry.sources)
            else:  # a payment record: its own amount
                row = FlowRow(source, target, Decimal(r["amount"]), int(str(r["year"])[:4]), _kind_key(str(r["kind"])),
                              stage, provenance(r), (), str(r.get("how") or ""))
                given.setdefault((source, target, row.year, row.kind, stage, row.how, row.amount), row)
    rows = [FlowRow(s, t, sum(amounts.values(), Decimal(0)), y, k, stage, "; ".join(sorted(where[key])),
                    tuple(sorted(amounts)), how)
            for key, amounts in sums.items() for (s, t, y, k, stage, how) in [key]]
    return rows + list(given.values())


def _line_of(row: FlowRow) -> str:
    return row.target if row.stage == 1 else row.source


def _best_how(rows: list[FlowRow]) -> list[FlowRow]:
    """Per line, year, kind and stage, only the rows found the most direct way (own body before parent's …)."""
    best: dict[tuple, int] = {}
    for r in rows:
        key = (_line_of(r), r.year, r.kind, r.stage)
        rank = HOW_PREFERENCE.index(r.how) if r.how in HOW_PREFERENCE else len(HOW_PREFERENCE)
        best[key] = min(best.get(key, rank), rank)
    return [r for r in rows if (HOW_PREFERENCE.index(r.how) if r.how in HOW_PREFERENCE else len(HOW_PREFERENCE))
            == best[(_line_of(r), r.year, r.kind, r.stage)]]


def _outermost(rows: list[FlowRow], nxg: nx.MultiDiGraph) -> tuple[list[FlowRow], int]:
    """Rows of lines not contained in another line with a figure of the same year and kind; and how many lines left out."""
    lines = {(_line_of(r), r.year, r.kind) for r in rows}
    part_of = nx.DiGraph()
    part_of.add_edges_from((s, o) for s, o, p in nxg.edges(data="predicate") if p == "partOf")
    inside = set()
    for line, year, kind in lines:
        if line in part_of and any((outer, year, kind) in lines for outer in nx.descendants(part_of, line)):
            inside.add((line, year, kind))
    return [r for r in rows if (_line_of(r), r.year, r.kind) not in inside], len(inside)


def _close(rows: list[FlowRow], ministries: set[str]) -> list[FlowRow]:
    """Every line ends somewhere: a ministry running its own line becomes 「runs it itself」, a line with no
    recorded runner flows to 「no runner recorded」 (so a picture keeps payers, lines and runners in three columns)."""
    out = []
    for r in rows:
        if r.stage == 2 and r.target in ministries:
            r = FlowRow(r.source, SELF + r.target, r.amount, r.year, r.kind, r.stage, r.provenance, r.entries, r.how)
        out.append(r)
    run = {(r.source, r.year, r.kind) for r in out if r.stage == 2}
    for r in rows:
        if r.stage == 1 and (r.target, r.year, r.kind) not in run:
            run.add((r.target, r.year, r.kind))
            out.append(FlowRow(r.target, UNRECORDED, r.amount, r.year, r.kind, 2, r.provenance, r.entries, "unrecorded"))
    return out


PAYMENT = "review sheet payment"
"""`how` of rows that are payment records: each has its own amount, so several payees of a line are not joined."""


def _join(rows: list[FlowRow]) -> list[FlowRow]:
    """A line with several payers (stage 1) or several runners (stage 2) flows once, to or from one joint node
    (the line's figure is not known per body); payment records keep one flow per payee."""
    ends: dict[tuple, set[str]] = defaultdict(set)
    for r in rows:
        if r.how != PAYMENT:
            ends[(_line_of(r), r.year, r.kind, r.stage)].add(r.source if r.stage == 1 else r.target)
    out: dict[tuple, FlowRow] = {}
    for r in rows:
        if r.how == PAYMENT:
            out[(r.source, r.target, r.year, r.kind, r.stage)] = r
            continue
        members = sorted(ends[(_line_of(r), r.year, r.kind, r.stage)])
        end = members[0] if len(members) == 1 else JOINT + "+".join(members)
        source, target = (end, r.target) if r.stage == 1 else (r.source, end)
        key = (source, target, r.year, r.kind, r.stage)
        if key not in out:
            out[key] = FlowRow(source, target, r.amount, r.year, r.kind, r.stage, r.provenance, r.entries, r.how)
    return list(out.values())


def members_of(node: str) -> list[str]:
    """The bodies a (joint) node stands for.

    >>> members_of("joint:cao+mext"), members_of("jst")
    (['cao', 'mext'], ['jst'])
    """
    return node[len(JOINT):].split("+") if node.startswith(JOINT) else [node]


@dataclass
class FlowPicture:
    """The flows of one entity in one fiscal year and kind, top lines first, the rest in an 「others」 band."""

    entity: str
    year: int
    kind: str
    rows: list[FlowRow]
    lines: int                                  # budget lines in the picture, before the others band
    others: int = 0                             # lines folded into the others band
    contained: int = 0                          # lines left out because an outer line contains them
    other_payees: int = 0                       # review-sheet payees folded into the other-payees band
    available: dict[tuple[int, str], int] = field(default_factory=dict)

    @property
    def kind_name(self) -> str:
        return kind_name(self.kind)


def _inside_other_figures(rows: list[FlowRow], book: BudgetBook | None) -> list[FlowRow]:
    """Rows without the lines whose figure is part of another line's figure of the same year and kind
    (stig:budgetPartOf, the budget rule's `counted`)."""
    if book is None:
        return rows
    by_period: dict[tuple[int, str], dict[str, str]] = defaultdict(dict)   # (year, kind) -> entry -> line
    for r in rows:
        if r.stage == 1:
            for entry in r.entries:
                by_period[(r.year, r.kind)][entry] = _line_of(r)
    dropped = set()
    for (year, kind), entry_line in by_period.items():
        figures = [f for f in (book.get(e) for e in entry_line) if f is not None]
        counted = {f.entry for f in book.counted(figures)}
        entries_of: dict[str, set[str]] = defaultdict(set)
        for entry, line in entry_line.items():
            entries_of[line].add(entry)
        dropped |= {(line, year, kind) for line, entries in entries_of.items() if not entries & counted}
    return [r for r in rows if (_line_of(r), r.year, r.kind) not in dropped]


def flow_picture(rows: list[FlowRow], nxg: nx.MultiDiGraph, entity: str, year: int | None = None,
                 kind: str | None = None, top: int = TOP_LINES, book: BudgetBook | None = None) -> FlowPicture:
    """The flows through `entity` (as payer, line or runner) for one year and kind (default: the best covered).

    `book` (the graph's budget figures) lets a line whose figure is part of another's drop out.

    >>> rows = [FlowRow("mext", f"p{i}", Decimal(i + 1), 2024, "initial", 1) for i in range(3)]
    >>> pic = flow_picture(rows, nx.MultiDiGraph(), "mext", top=2)
    >>> [(r.target, int(r.amount)) for r in pic.rows if r.stage == 1], pic.others
    ([('p2', 3), ('p1', 2), ('others', 1)], 1)
    """
    ministries = {n for n, c in nxg.nodes(data="class") if c == "Ministry"}
    chosen = _join(_close(_best_how(rows), ministries))
    lines = {_line_of(r) for r in chosen if entity in members_of(r.source) or entity in members_of(r.target)
             or _line_of(r) == entity}
    mine, _contained = _outermost([r for r in chosen if _line_of(r) in lines], nxg)
    mine = _inside_other_figures(mine, book)
    if not mine:
        raise UserError(f"no budget flow through {entity!r} in the graph: it pays for no budget line with a figure, "
                        "has none itself and runs none; try its ministry or agency")
    available: dict[tuple[int, str], set[str]] = defaultdict(set)
    for r in mine:
        available[(r.year, r.kind)].add(_line_of(r))
    if year is not None and not any(y == year for y, _k in available):
        years = ", ".join(str(y) for y in sorted({y for y, _k in available}))
        raise UserError(f"no budget flow through {entity!r} in FY{year}; years with figures: {years}")
    if kind is not None and not any(k == kind for _y, k in available):
        raise UserError(f"no {kind} figures in the flows through {entity!r}; kinds: "
                        + ", ".join(sorted({k for _y, k in available})))
    candidates = [(y, k) for y, k in available if (year is None or y == year) and (kind is None or k == kind)]
    if not candidates:
        raise UserError(f"no {kind} figures in the flows through {entity!r} in FY{year}")
    year, kind = max(candidates, key=lambda yk: (len(available[yk]), -KIND_ORDER.index(yk[1])
                                                 if yk[1] in KIND_ORDER else -99, yk[0]))
    picked = [r for r in mine if r.year == year and r.kind == kind]
    contained = len({(_line_of(r), r.year, r.kind) for r in chosen if _line_of(r) in lines
                     and (r.year, r.kind) == (year, kind)}) - len({_line_of(r) for r in picked})
    return _fold_payees(_fold_others(FlowPicture(entity, year, kind, picked, len({_line_of(r) for r in picked}),
                                                 contained=contained,
                                                 available={k: len(v) for k, v in sorted(available.items())}), top))


def _fold_others(picture: FlowPicture, top: int) -> FlowPicture:
    amount: dict[str, Decimal] = defaultdict(Decimal)
    for r in picture.rows:
        if r.stage == 1 or not any(x.stage == 1 and x.target == r.source for x in picture.rows):
            amount[_line_of(r)] = max(amount[_line_of(r)], r.amount)
    ranked = sorted(amount, key=lambda line: (-amount[line], line))
    if len(ranked) <= top:
        picture.rows.sort(key=lambda r: (r.stage, -r.amount, r.source, r.target))
        return picture
    keep = set(ranked[:top])
    merged: dict[tuple, Decimal] = defaultdict(Decimal)
    rows = []
    for r in picture.rows:
        if _line_of(r) in keep:
            rows.append(r)
        elif r.stage == 1:
            merged[(r.source, OTHERS, 1, r.how)] += r.amount
        else:
            merged[(OTHERS, r.target, 2, r.how if r.how == PAYMENT else "")] += r.amount
    rows += [FlowRow(s, t, a, picture.year, picture.kind, stage, "sum of the smaller lines", how=how)
             for (s, t, stage, how), a in merged.items()]
    picture.rows = sorted(rows, key=lambda r: (r.stage, r.source == OTHERS or r.target == OTHERS, -r.amount, r.source, r.target))
    picture.others = len(ranked) - top
    return picture


def _fold_payees(picture: FlowPicture, top: int = TOP_PAYEES) -> FlowPicture:
    """Payment records to more than `top` payees: the largest payees kept, the rest summed per line into one band."""
    paid: dict[str, Decimal] = defaultdict(Decimal)
    for r in picture.rows:
        if r.how == PAYMENT:
            paid[r.target] += r.amount
    if len(paid) <= top:
        return picture
    keep = set(sorted(paid, key=lambda payee: (-paid[payee], payee))[:top])
    merged: dict[str, Decimal] = defaultdict(Decimal)
    rows = []
    for r in picture.rows:
        if r.how == PAYMENT and r.target not in keep:
            merged[r.source] += r.amount
        else:
            rows.append(r)
    rows += [FlowRow(source, OTHER_PAYEES, amount, picture.year, picture.kind, 2, "sum of the smaller payees", how=PAYMENT)
             for source, amount in merged.items()]
    picture.rows = sorted(rows, key=lambda r: (r.stage, r.target == OTHER_PAYEES, -r.amount, r.source, r.target))
    picture.other_payees = len(paid) - top
    return picture
