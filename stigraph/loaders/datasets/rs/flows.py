"""Money flows of one sheet year: 5-2 block links, 5-1 blocks and payments, per-ministry direct totals.

A mixin of `SheetYearWriter` (mapping.py), which holds the state (writer, sheet year, link index,
organizations, report). 5-2 is read first, so every block's flow kind is known when its payments are
written; 5-1 is read one project at a time (`payees.group_project` applies the amount rule).
"""
from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from stigraph.errors import DatasetError
from stigraph.loaders.datasets.rs import rows as rs_rows
from stigraph.loaders.datasets.rs.payees import BlockRecord, PaymentRecord, group_project
from stigraph.loaders.datasets.rs.tables import TableFile
from stigraph.loaders.provenance import PREF_LABEL, SOURCE, TYPE, iri, literal, p
from stigraph.ontology.vocabulary import (
    FLOW_KINDS, RELATIONS, digest, rs_block_iri, rs_link_iri, rs_payment_iri, rs_total_iri,
)


class FlowsMixin:
    """The 5-2 and 5-1 readers of SheetYearWriter."""

    # -- payment links (5-2) ----------------------------------------------------------------------
    def _link(self, table: TableFile, row: int, cells: list[str], com: rs_rows.Common,
              locate: Callable[[], str]) -> None:
        link = rs_rows.link_row(table.columns, cells)
        if not link.target_block:
            reason = ("the state's own indirect cost (国自らが支出する間接経費), no payee block" if link.indirect_cost
                      else "link without a target block (支出先の支出先ブロック)")
            self._leave_out(table, row, reason)
            return
        first = self._first(table, "\x1f".join((com.project_id, link.source_block, link.target_block,
                                                 str(link.from_responsible), link.note)), row)
        if first is not None:
            self._leave_out(table, row, f"exact duplicate of the link at row {first}")
            return
        loc = locate()
        _, sheet = self._describe(com, loc, f"{table.source.display}:{row}")
        self.links.add(com.project_id, link)
        node, w = rs_link_iri(self.year, com.project_id, row), self.w
        target = rs_block_iri(self.year, com.project_id, link.target_block)
        w.quad(iri(node), TYPE, p("BlockLink"))
        w.quad(iri(node), p("sheet"), iri(sheet))
        w.quad(iri(node), p("linkTo"), iri(target))
        if link.source_block:
            source = rs_block_iri(self.year, com.project_id, link.source_block)
            w.quad(iri(node), p("linkFrom"), iri(source))
            if not link.reference_only:
                w.quad(iri(source), p("passesOnTo"), iri(target))
        if link.from_responsible is not None:
            w.quad(iri(node), p("fromResponsibleOrganization"), literal(link.from_responsible))
        if link.reference_only:
            w.quad(iri(node), p("referenceOnly"), literal(True))
        w.sourced(node, loc)

    # -- payments (5-1) ---------------------------------------------------------------------------
    def _payments(self, table: TableFile) -> None:
        """5-1 rows, one project at a time (the published files keep a project's rows together)."""
        current: str | None = None
        group: list[tuple[int, int, list[str], rs_rows.Common]] = []
        finished: set[str] = set()
        for row, line, cells, com in self._data_rows(table):
            if com.project_id != current:
                if current is not None:
                    self._project_payments(table, group)
                    finished.add(current)
                if com.project_id in finished:
                    raise DatasetError(f"{table.source.where}:{row}: the rows of project {com.project_id} are not "
                                       "together (seen before); sort the 5-1 table by 予算事業ID and load it again")
                current, group = com.project_id, []
            group.append((row, line, cells, com))
        if group:
            self._project_payments(table, group)

    def _project_payments(self, table: TableFile, group: list[tuple[int, int, list[str], rs_rows.Common]]) -> None:
        display = table.source.display
        lines = {row: line for row, line, _, _ in group}
        written: dict[tuple[int, int], str] = {}

        def locator(row: int, end: int | None = None) -> str:
            key = (row, end or row)
            if key not in written:
                line = lines[row]
                written[key] = self.w.row_locator(display, row, scope=self.scope, line=line if line != row else None,
                                                  row_end=end)
            return written[key]

        def locators(rows: list[int]) -> list[str]:
            """One locator per run of consecutive rows (a payee's total row and its contract rows)."""
            runs: list[list[int]] = []
            for row in rows:
                if runs and row == runs[-1][1] + 1:
                    runs[-1][1] = row
                else:
                    runs.append([row, row])
            return [locator(start, end) for start, end in runs]

        found = group_project(table.columns, [(row, cells) for row, _, cells, _ in group])
        for row, reason in found.left_out:
            self._leave_out(table, row, reason)
        for row, message in found.warnings:
            self._warn(message, f"{display}:{row}")
        used = sorted({r for pay in found.payments for r in pay.rows} |
                      {b.header_row or b.first_row for b in found.blocks.values()})
        if not used:
            return
        project, sheet = self._describe(group[0][3], locator(used[0]), f"{display}:{used[0]}")
        com = group[0][3]

        kinds = {}
        for block in found.blocks.values():
            kinds[block.code] = self._block(com.project_id, sheet, block, locator(block.header_row or block.first_row),
                                            f"{display}:{block.first_row}")
        for payment in found.payments:
            self._payment(project, sheet, com.project_id, payment, kinds[payment.block], locators(payment.rows))

    def _block(self, project_id: str, sheet: str, block: BlockRecord, loc: str, where: str) -> str:
        node, quad = iri(rs_block_iri(self.year, project_id, block.code)), self.w.quad
        kind, assumed = self.links.kind(project_id, block.code)
        if assumed:
            self._warn("payment block missing from the 5-2 links, taken as direct", f"{where} ({assumed})")
        quad(node, TYPE, p("PaymentBlock"))
        quad(node, p("sheet"), iri(sheet))
        quad(node, p("blockCode"), literal(block.code))
        quad(node, p("flowKind"), p(FLOW_KINDS[kind]))
        if assumed:
            quad(node, p("linkMissing"), literal(True))
        if block.name:
            quad(node, PREF_LABEL, literal(block.name, lang="ja"))
        if block.role:
            quad(node, p("role"), literal(block.role, lang="ja"))
        if block.payee_count is not None:
            quad(node, p("statedPayeeCount"), literal(block.payee_count))
        if block.total is not None:
            quad(node, p("blockTotal"), literal(block.total))
        quad(node, SOURCE, iri(loc))
        return kind

    def _payment(self, project: str, sheet: str, project_id: str, payment: PaymentRecord, kind: str,
                 locs: list[str]) -> None:
        payee, registered = self.orgs.payee(payment, locs[0])
        node = iri(rs_payment_iri(self.year, project_id, payment.block,
                                  payment.corporate_number or digest(payment.normalized_name)))
        quad = self.w.quad
        quad(node, TYPE, p("Payment"))
        quad(node, p("sheet"), iri(sheet))
        quad(node, p("fromBlock"), iri(rs_block_iri(self.year, project_id, payment.block)))
        quad(node, p("payee"), iri(payee))
        quad(node, p("payeeName"), literal(payment.name))
        if payment.corporate_number:
            quad(node, p("corporateNumber"), literal(payment.corporate_number))
        quad(node, p("amount"), literal(Decimal(payment.amount)))
        quad(node, p("fiscalYear"), self.reviewed_year)
        quad(node, p("flowKind"), p(FLOW_KINDS[kind]))
        if payment.contracts > 1:
            quad(node, p("contractCount"), literal(payment.contracts))
        if payment.other:
            quad(node, p("otherPayee"), literal(True))
        if not payment.corporate_number:
            quad(node, p("payeeByName"), literal(True))
        for loc in locs:
            quad(node, SOURCE, iri(loc))
        ministry = self.ministry_of.get(project_id)
        if kind == "direct" and ministry:
            total = self.totals.setdefault((ministry, payee), [Decimal(0), 0, payment.name, payment.corporate_number])
            total[0] += payment.amount
            total[1] += 1
        if registered and kind == "direct" and (project, payee) not in self.pays:
            self.pays.add((project, payee))
            self.w.relation(project, RELATIONS["pays"], payee, locs[0])

    # -- per ministry and payee: the direct money of this sheet year, summed once here ---------------
    def _direct_totals(self) -> None:
        """Totals that make "top payees of a ministry over ten years" a lookup of a few thousand nodes
        instead of a scan of every payment; tests check that they equal the sums of the payments."""
        if not self.totals:
            return
        loc = self.w.cited_locator(
            f"summed by the stigraph RS loader ({self.version}): the direct payments (stig:DirectFlow) of sheet "
            f"year {self.year} per ministry and payee", kind="Inferred", key=f"rs/{self.year}/direct-totals")
        quad = self.w.quad
        for (ministry, payee), (amount, count, name, number) in self.totals.items():
            node = iri(rs_total_iri(self.year, ministry, payee))
            quad(node, TYPE, p("DirectPaymentTotal"))
            quad(node, p("ministry"), iri(ministry))
            quad(node, p("payee"), iri(payee))
            quad(node, p("payeeName"), literal(name))
            if number:
                quad(node, p("corporateNumber"), literal(number))
            quad(node, p("fiscalYear"), self.reviewed_year)
            quad(node, p("amount"), literal(amount))
            quad(node, p("paymentCount"), literal(count))
            quad(node, SOURCE, iri(loc))


__all__ = ["FlowsMixin"]
