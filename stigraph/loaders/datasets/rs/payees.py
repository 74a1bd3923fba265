"""One project's 5-1 rows -> its payment blocks and one payment per (block, payee), with the amount rule.

The amount of a payee in a block is the sum of its contract rows (`金額`) or, when it has none, its total
row (`支出先の合計支出額`): never both. Payees are keyed by 法人番号 when the row gives a valid one, else
by their normalised name (flagged). Hazards handled here, each reported:
- exact duplicate rows are left out, unless keeping them is what makes the contracts add up to the stated
  total (then they are real, identical contracts);
- a contract row whose amount cannot be read is left out; the payee then takes its stated total, or is
  left out when there is none (a partial sum would understate it);
- a payee named with no amount anywhere is left out; a block header without payees still makes a block.

>>> from stigraph.loaders.datasets.rs.tables import Columns
>>> cols = Columns(["支出先ブロック番号", "支出先ブロック名", "支出先名", "法人番号", "支出先の合計支出額", "金額"])
>>> found = group_project(cols, [(2, ["A", "試験機構", "", "", "", ""]), (3, ["A", "", "試験機構", "", "300", ""]),
...                              (4, ["A", "", "試験機構", "", "", "100"]), (5, ["A", "", "試験機構", "", "", "200"])])
>>> [(p.block, p.name, p.amount, p.rows) for p in found.payments]
[('A', '試験機構', Decimal('300'), [3, 4, 5])]
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from stigraph.loaders.datasets.rs import values
from stigraph.loaders.datasets.rs.rows import PayeeRow, payee_row
from stigraph.loaders.datasets.rs.tables import Columns
from stigraph.loaders.datasets.rs.values import BadValue


@dataclass
class BlockRecord:
    """A payment block: its header (if the sheet has one) and the row it was first seen on."""

    code: str
    first_row: int
    header_row: int | None = None
    name: str = ""
    payee_count: int | None = None
    role: str = ""
    total: Decimal | None = None


@dataclass
class PaymentRecord:
    """What one block paid one payee, and the rows it rests on."""

    block: str
    key: str
    name: str
    normalized_name: str
    corporate_number: str | None
    other: bool
    amount: Decimal
    rows: list[int]
    contracts: int


@dataclass
class _Payee:
    name: str
    number: str | None
    other: bool = False
    totals: list[tuple[int, Decimal, int | None]] = field(default_factory=list)
    contracts: list[tuple[int, Decimal, int | None]] = field(default_factory=list)
    bare: list[int] = field(default_factory=list)
    bad_rows: list[int] = field(default_factory=list)


@dataclass
class ProjectPayees:
    """The blocks and payments of one project, and the rows left out or worth a warning (row, text)."""

    blocks: dict[str, BlockRecord] = field(default_factory=dict)
    payments: list[PaymentRecord] = field(default_factory=list)
    left_out: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)


def _payee_key(name: str, raw_number: str, row: int, found: ProjectPayees) -> tuple[str, str | None]:
    try:
        number = values.corporate_number(raw_number)
    except BadValue as exc:
        found.warnings.append((row, f"{exc}; payee {name!r} keyed by its name"))
        number = None
    return (number, number) if number else ("n:" + values.payee_name(name), None)


def group_project(cols: Columns, rows: list[tuple[int, list[str]]]) -> ProjectPayees:
    """Blocks and payments of one project from its 5-1 rows (row number, cells), in sheet order."""
    found = ProjectPayees()
    payees: dict[tuple[str, str], _Payee] = {}
    seen: dict[tuple[str, ...], int] = {}
    for row, cells in rows:
        key_cells = tuple(cells)
        duplicate_of = seen.setdefault(key_cells, row)
        duplicate = duplicate_of if duplicate_of != row else None
        try:
            parsed = payee_row(cols, cells)
        except BadValue as exc:
            block, name = cols.get(cells, "支出先ブロック番号"), cols.get(cells, "支出先名")
            found.left_out.append((row, str(exc)))
            if block and name:
                key, number = _payee_key(name, cols.get(cells, "法人番号"), row, found)
                payees.setdefault((block, key), _Payee(name, number)).bad_rows.append(row)
            continue
        if parsed.kind == "empty":
            found.left_out.append((row, "empty row (no block and no payee)"))
            continue
        if not parsed.block:
            found.left_out.append((row, f"payee {parsed.payee!r} without a block number (支出先ブロック番号)"))
            continue
        block = found.blocks.setdefault(parsed.block, BlockRecord(parsed.block, row))
        if parsed.kind == "header":
            _header(block, parsed, row, duplicate, found)
            continue
        key, number = _payee_key(parsed.payee, parsed.corporate_number, row, found)
        payee = payees.setdefault((parsed.block, key), _Payee(parsed.payee, number))
        payee.other = payee.other or parsed.other
        if parsed.kind == "bare":
            payee.bare.append(row)
        else:
            (payee.contracts if parsed.kind == "contract" else payee.totals).append((row, parsed.amount, duplicate))
    for (block, key), payee in payees.items():
        record = _reconcile(block, key, payee, found)
        if record:
            found.payments.append(record)
    return found


def _header(block: BlockRecord, parsed: PayeeRow, row: int, duplicate: int | None, found: ProjectPayees) -> None:
    if duplicate is not None:
        found.left_out.append((row, f"exact duplicate of row {duplicate}"))
    elif block.header_row is not None:
        found.left_out.append((row, f"second header of block {block.code} (first at row {block.header_row})"))
    else:
        block.header_row, block.name, block.payee_count = row, parsed.block_name, parsed.payee_count
        block.role, block.total = parsed.role, parsed.block_total


def _reconcile(block: str, key: str, payee: _Payee, found: ProjectPayees) -> PaymentRecord | None:
    """The payment of one payee in one block, by the amount rule of the module docstring."""
    totals = [(r, a) for r, a, dup in payee.totals if dup is None]
    found.left_out.extend((r, f"exact duplicate of row {dup}") for r, _, dup in payee.totals if dup is not None)
    stated = sum((a for _, a in totals), Decimal(0)) if totals else None
    unique = [(r, a) for r, a, dup in payee.contracts if dup is None]
    dups = [(r, a, dup) for r, a, dup in payee.contracts if dup is not None]
    all_sum = sum((a for _, a, _ in payee.contracts), Decimal(0))
    contracts = unique
    if dups and stated is not None and all_sum == stated:
        contracts = [(r, a) for r, a, _ in payee.contracts]
        found.warnings.append((dups[0][0], f"identical contract rows of {payee.name!r} kept: with them the "
                                           f"contracts add up to the stated total {stated}"))
    else:
        found.left_out.extend((r, f"exact duplicate of row {dup}") for r, _, dup in dups)
    rows = sorted([r for r, _ in totals] + [r for r, _ in contracts] + payee.bare)
    if payee.bad_rows:
        if stated is None:
            found.left_out.extend((r, f"payee {payee.name!r} of block {block} left out: row {payee.bad_rows[0]} "
                                      "has an unreadable amount and no total row states the payee's amount")
                                  for r in rows)
            return None
        found.warnings.append((payee.bad_rows[0], f"{payee.name!r} in block {block}: a contract row was left out, "
                                                  f"so the stated total {stated} is used"))
        amount = stated
    elif contracts:
        amount = sum((a for _, a in contracts), Decimal(0))
        if stated is not None and stated != amount:
            found.warnings.append((contracts[0][0], f"contracts of {payee.name!r} in block {block} add up to "
                                                    f"{amount}, its total row says {stated}; the contracts are used"))
    elif stated is not None:
        amount = stated
    else:
        found.left_out.extend((r, f"payee {payee.name!r} named without any amount") for r in payee.bare)
        return None
    return PaymentRecord(block, key, payee.name, values.payee_name(payee.name), payee.number, payee.other, amount,
                         rows, len(contracts))


__all__ = ["BlockRecord", "PaymentRecord", "ProjectPayees", "group_project"]
