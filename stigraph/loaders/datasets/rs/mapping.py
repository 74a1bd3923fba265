"""The RDF of one RS sheet year, streamed through the provenance writer (see docs in stigraph.ttl).

What one sheet year states (every node and relation sourced by its table row):
- `stig:BudgetProject` id:rs/project/{予算事業ID} (the same in every sheet year): label, identifier, and
  `stig:responsibleOrganization` its ministry (a registry id such as mext, or a new organization);
- `stig:ReviewSheet` id:rs/{year}/sheet/{ID}: the project as that year's sheet describes it (name, ministry,
  responsible unit, category, start/end year, 主要経費, implementation methods);
- budget entries of the project per 予算年度 from the 2-1 summary rows only (initial, supplementary, current,
  executed; the next-year request as an entry of the following year), each with `stig:sheetYear` and
  `stig:provisional`: the reviewed year (事業年度-1) is final, the sheet's own year provisional (the next
  sheet year states it again as final; queries take the final figure when one is loaded);
- `stig:PaymentBlock` and `stig:Payment` (block -> payee, amount, flow kind), `stig:BlockLink` (5-2 rows);
  `stig:pays` project -> registry agency for direct payments (the projection's edge);
- inferred `stig:Finding` links from projects to curated programs (score, method).
Payees are registry entities when their 法人番号 (or long name) is the registry's, else id:corp/{法人番号},
else id:rs/payee/{digest of the normalised name} with `stig:identifiedByName true`.
"""
from __future__ import annotations

from collections.abc import Callable

from stigraph.errors import DatasetError
from stigraph.loaders.datasets import DatasetReport, Sink
from stigraph.loaders.datasets.rs import rows as rs_rows
from stigraph.loaders.datasets.rs.flows import FlowsMixin
from stigraph.loaders.datasets.rs.links import LinkIndex
from stigraph.loaders.datasets.rs.matching import write_program_links
from stigraph.loaders.datasets.rs.organizations import Organizations
from stigraph.loaders.datasets.rs.reference import Reference
from stigraph.loaders.datasets.rs.tables import TableFile
from stigraph.loaders.datasets.rs.values import BadValue
from stigraph.loaders.provenance import TYPE, QuadWriter, gyear, iri, iri_segment, literal, p
from stigraph.ontology.vocabulary import (
    ID, RELATIONS, budget_iri, graph_iri, rs_project_iri, rs_sheet_iri, rs_sheet_year_iri,
)

READER_VERSION = "rs-reader-1"
TABLE_ORDER = ("5-2", "1-1", "1-2", "2-1", "5-1")
"""5-2 first: the flow kind of every block is known before its payments are written."""
BUDGET_KINDS = {"initial": "initial", "supplementary": "supplementary", "current": "current",
                "executed": "executed", "request": "request"}
"""2-1 summary amount -> budget kind written (carry-overs and reserves are inside `current`)."""
_DCTERMS_ID = iri("http://purl.org/dc/terms/identifier")
_DCTERMS_SOURCE = iri("http://purl.org/dc/terms/source")


def part_graph(sheet_year: int) -> str:
    """The named graph of one sheet year.

    >>> part_graph(2025)
    'https://w3id.org/stigraph/graph/dataset/rs/2025'
    """
    return graph_iri(f"dataset/rs/{int(sheet_year)}")


class SheetYearWriter(FlowsMixin):
    """Writes one sheet year's tables as quads; `run()` returns the report."""

    def __init__(self, sheet_year: int, tables: dict[str, TableFile], sink: Sink, reference: Reference,
                 strict: bool = False) -> None:
        self.year, self.tables, self.ref, self.strict = sheet_year, tables, reference, strict
        self.scope = f"rs/{sheet_year}"
        self.w = QuadWriter(sink, part_graph(sheet_year))
        self.report = DatasetReport(self.scope)
        self.links = LinkIndex()
        self.projects: dict[str, str] = {}          # 予算事業ID -> name, once described
        self.seen_rows: dict[tuple[str, str], int] = {}   # (table, key) -> first row
        self.orgs = Organizations(self.w, reference, self.report)
        self.pays: set[tuple[str, str]] = set()     # (project, registry payee) `pays` relations written
        self.warned: dict[str, int] = {}
        self.version = READER_VERSION
        self.reviewed_year = gyear(sheet_year - 1)  # the fiscal year whose payments the sheet reports
        self.ministry_of: dict[str, str] = {}       # 予算事業ID -> ministry IRI
        # (ministry, payee) -> [amount, payments, name as first written, 法人番号]: direct money only
        self.totals: dict[tuple[str, str], list] = {}

    # -- driving ----------------------------------------------------------------------------------
    def run(self) -> DatasetReport:
        if "5-2" not in self.tables and "5-1" in self.tables:
            self._warn("no 5-2 table: every payment block is taken as direct")
        self._sheet_year()
        readers: dict[str, Callable] = {"5-2": self._link, "1-1": self._organization_row, "1-2": self._overview,
                                        "2-1": self._budget, "5-1": None}
        for table in TABLE_ORDER:
            if table not in self.tables:
                continue
            if table == "5-1":
                self._payments(self.tables[table])
            else:
                self._rows(self.tables[table], readers[table])
        write_program_links(self.w, self.year, self.projects, self.ref, READER_VERSION)
        self._direct_totals()
        for message, count in self.warned.items():
            if count > 1:
                self.report.warn(f"{message} ({count} times in all)")
        self.report.quads = self.w.count
        return self.report

    def _sheet_year(self) -> None:
        """The input as a node: which sheet year it is and which files it was read from."""
        node, quad = iri(rs_sheet_year_iri(self.year)), self.w.quad
        quad(node, TYPE, p("ReviewSheetYear"))
        quad(node, p("sheetYear"), gyear(self.year))
        self.w.labels(rs_sheet_year_iri(self.year), ja=f"行政事業レビューシート {self.year}年度",
                      en=f"Administrative project review sheets, sheet year {self.year}")
        for table in sorted(self.tables.values(), key=lambda t: t.table):
            doc = self.w.document(table.source.display, f"{ID}doc/{self.scope}/{iri_segment(table.source.display)}")
            quad(node, _DCTERMS_SOURCE, iri(doc))

    def _rows(self, table: TableFile, handle: Callable) -> None:
        for row, line, cells, com in self._data_rows(table):
            try:
                handle(table, row, cells, com, lambda: self._locator(table, row, line))
            except BadValue as exc:
                self._leave_out(table, row, str(exc))

    def _locator(self, table: TableFile, row: int, line: int) -> str:
        """The row's locator (written by the caller once per row); the line only when it differs from the row."""
        return self.w.row_locator(table.source.display, row, scope=self.scope, line=line if line != row else None)

    def _data_rows(self, table: TableFile):
        """(row, line, cells, common columns) of the rows that belong to this sheet year and name a project."""
        for row, line, cells in table.source.rows():
            if row == 1:
                continue
            self.report.rows_read[table.table] += 1
            if not any(c.strip() for c in cells):
                self._leave_out(table, row, "empty row")
                continue
            try:
                com = rs_rows.common(table.columns, cells)
            except BadValue as exc:
                self._leave_out(table, row, str(exc))
                continue
            if not com.project_id:
                self._leave_out(table, row, "no 予算事業ID")
            elif com.sheet_year != self.year:
                self._leave_out(table, row, f"事業年度 {com.sheet_year}, not this input's {self.year}")
            else:
                yield row, line, cells, com

    def _leave_out(self, table: TableFile, row: int, reason: str) -> None:
        if self.strict:
            raise DatasetError(f"{table.source.where}:{row}: {reason}")
        self.report.leave_out(table.source.display, row, reason)

    def _warn(self, message: str, example: str = "") -> None:
        """A warning; repeated kinds (same message) are counted, the first one shown with its example."""
        count = self.warned.get(message, 0)
        self.warned[message] = count + 1
        if count == 0:
            self.report.warn(f"{example}: {message}" if example else message)

    def _first(self, table: TableFile, key: str, row: int) -> int | None:
        """The row a key was first seen on in this table, or None (and remember this row)."""
        first = self.seen_rows.setdefault((table.table, key), row)
        return None if first == row else first

    # -- projects and organizations ---------------------------------------------------------------
    def _describe(self, com: rs_rows.Common, loc: str, where: str) -> tuple[str, str]:
        """The project and sheet nodes; the first row that names a project describes it."""
        project, sheet = rs_project_iri(com.project_id), rs_sheet_iri(self.year, com.project_id)
        if com.project_id in self.projects:
            return project, sheet
        self.projects[com.project_id] = com.name
        w = self.w
        w.quad(iri(project), TYPE, p("BudgetProject"))
        w.quad(iri(project), _DCTERMS_ID, literal(com.project_id))
        w.sourced(project, loc)
        w.quad(iri(sheet), TYPE, p("ReviewSheet"))
        w.quad(iri(sheet), p("reviewOf"), iri(project))
        w.quad(iri(sheet), p("sheetYear"), gyear(self.year))
        # This sheet states as final what the project's sheet of the year before gave as provisional.
        w.quad(iri(sheet), p("finalizesSheetYear"), self.reviewed_year)
        # The ID on the sheet too: the project's own triples repeat in every sheet year's graph, and Oxigraph's
        # union graph returns a triple once per graph, so queries join on the sheet's (one per graph).
        w.quad(iri(sheet), _DCTERMS_ID, literal(com.project_id))
        w.sourced(sheet, loc)
        if com.name:
            w.labels(project, ja=com.name)
            w.labels(sheet, ja=com.name)
        if com.sheet_kind:
            w.quad(iri(sheet), p("sheetKind"), literal(com.sheet_kind, lang="ja"))
        ministry, unit = self.orgs.ministry_and_unit(com.organization, loc, where)
        if ministry:
            self.ministry_of[com.project_id] = ministry
            w.quad(iri(sheet), p("ministry"), iri(ministry))
            w.quad(iri(sheet), p("ministryName"), literal(com.organization[0], lang="ja"))
            w.relation(project, RELATIONS["responsibleOrganization"], ministry, loc)
            if unit and unit != ministry:
                w.quad(iri(sheet), p("responsibleUnit"), iri(unit))
        else:
            self._warn("no 府省庁 (ministry) given for the project", where)
        return project, sheet

    def _organization_row(self, table: TableFile, row: int, cells: list[str], com: rs_rows.Common,
                          locate: Callable[[], str]) -> None:
        """1-1: the project's organization; a second row may name another organization sharing it."""
        where = f"{table.source.display}:{row}"
        first = self._first(table, com.project_id, row)
        other = rs_rows.common(table.columns, cells, rs_rows.OTHER_ORG_COLUMNS).organization
        if first is not None and not other:
            self._leave_out(table, row, f"a second row for project {com.project_id} (first at row {first})")
            return
        loc = locate()
        _, sheet = self._describe(com, loc, where)
        if other:
            org, unit = self.orgs.ministry_and_unit(other, loc, where)
            if org:
                self.w.quad(iri(sheet), p("sharedWith"), iri(unit or org))
        self.w.sourced(sheet, loc)

    def _overview(self, table: TableFile, row: int, cells: list[str], com: rs_rows.Common,
                  locate: Callable[[], str]) -> None:
        """1-2: category, period, 主要経費 and implementation methods of the project in this sheet year."""
        facts = rs_rows.overview(table.columns, cells)
        first = self._first(table, com.project_id, row)
        if first is not None:
            self._leave_out(table, row, f"a second row for project {com.project_id} (first at row {first})")
            return
        loc = locate()
        _, sheet = self._describe(com, loc, f"{table.source.display}:{row}")
        s, w = iri(sheet), self.w
        w.sourced(sheet, loc)
        if facts.category:
            w.quad(s, p("projectCategory"), literal(facts.category, lang="ja"))
        if facts.start:
            w.quad(s, p("periodStart"), gyear(facts.start))
        if facts.end:
            w.quad(s, p("periodEnd"), gyear(facts.end))
        if facts.start_unknown:
            w.quad(s, p("startYearUnknown"), literal(True))
        if facts.no_planned_end:
            w.quad(s, p("noPlannedEnd"), literal(True))
        if facts.main_expense:
            w.quad(s, p("mainExpense"), literal(facts.main_expense, lang="ja"))
        for method in facts.methods:
            w.quad(s, p("implementationMethod"), literal(method, lang="ja"))

    # -- budgets ----------------------------------------------------------------------------------
    def _budget(self, table: TableFile, row: int, cells: list[str], com: rs_rows.Common,
                locate: Callable[[], str]) -> None:
        """2-1 summary rows -> budget entries; account rows are inside the summary row and are not written."""
        summary = rs_rows.budget_row(table.columns, cells)
        if summary is None:
            self.report.rows_read["2-1 account rows (in their summary row)"] += 1
            return
        if summary.fiscal_year not in (self.year - 1, self.year):
            # Only the reviewed year (事業年度-1, final) and the sheet's own year (provisional) are read: earlier
            # years are the reviewed years of earlier sheets, so two loaded sheet years never state one figure twice.
            self.report.rows_read["2-1 rows of other fiscal years (not used)"] += 1
            return
        amounts = summary.amounts()
        if not amounts:
            self._leave_out(table, row, f"summary row of FY{summary.fiscal_year} without any amount")
            return
        first = self._first(table, f"{com.project_id}/{summary.fiscal_year}", row)
        if first is not None:
            self._leave_out(table, row, f"a second summary row for project {com.project_id}, FY{summary.fiscal_year} "
                                        f"(first at row {first}; that one is used)")
            return
        loc = locate()
        project, _ = self._describe(com, loc, f"{table.source.display}:{row}")
        parts = [amounts.get(k) for k in ("initial", "supplementary", "carried_over", "reserve")]
        if "current" in amounts and all(a is not None for a in parts) and sum(parts) != amounts["current"]:  # type: ignore[arg-type]
            self._warn("当初+補正+繰越+予備費 differs from 計 (歳出予算現額合計)", f"{table.source.display}:{row}")
        for column, kind in BUDGET_KINDS.items():
            value = amounts.get(column)
            if value is None:
                continue
            fiscal_year = summary.fiscal_year + (1 if column == "request" else 0)
            if column == "executed" and summary.fiscal_year >= self.year and value == 0:
                continue  # the sheet's own year is not executed yet: its 0 is no figure
            node = budget_iri(f"rs/{iri_segment(com.project_id)}", fiscal_year, kind, f"s{self.year}")
            self.w.budget_entry(node, amount=value, fiscal_year=fiscal_year, kind=kind, loc=loc, owner=project)
            self.w.quad(iri(node), p("sheetYear"), gyear(self.year))
            self.w.quad(iri(node), p("provisional"), literal(summary.fiscal_year == self.year))



def write_sheet_year(sheet_year: int, tables: dict[str, TableFile], reference: Reference, sink: Sink,
                     strict: bool = False) -> DatasetReport:
    """Stream one sheet year's quads into `sink`; the report lists what was left out and why."""
    return SheetYearWriter(sheet_year, tables, sink, reference, strict).run()


__all__ = ["READER_VERSION", "SheetYearWriter", "part_graph", "write_sheet_year"]
