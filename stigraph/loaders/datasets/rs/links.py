"""Which payment blocks the responsible organization pays directly, from the 5-2 links (a small index).

A block is
- **direct** when a root link (`担当組織からの支出=TRUE`) reaches it, also when it has passed-on links as
  well, and when it is missing from 5-2 (flagged: the sheet does not say, and marumie's reading of the
  data counts such blocks as direct);
- **passed_on** when only links from other blocks (`FALSE`) reach it: its money is already in the payment
  of the block that passed it on, so a direct total never adds it;
- **separate** when it is only a source of links, or reached only by reference flows (参考) or by a
  root-less FALSE link: money of another origin (own revenue, loans, repayments).
Reference links are kept as data but never decide a block's kind, so their cycles cannot matter.

>>> index = LinkIndex()
>>> index.add("7", Link("", "文部科学省", True, "A", "", "", False))
>>> index.add("7", Link("A", "", False, "B", "", "", False))
>>> [index.kind("7", b) for b in ("A", "B", "C")]
[('direct', ''), ('passed_on', ''), ('direct', 'block C is missing from 5-2')]
>>> index.kind("8", "A")
('direct', 'the project has no 5-2 links')
"""
from __future__ import annotations

from stigraph.loaders.datasets.rs.rows import Link

ROOT, FED, SOURCE, OTHER = 1, 2, 4, 8


class LinkIndex:
    """Per project and block, bit flags of the links that touch it (a few bytes per block)."""

    def __init__(self) -> None:
        self.flags: dict[str, dict[str, int]] = {}

    def add(self, project: str, link: Link) -> None:
        blocks = self.flags.setdefault(project, {})
        if link.source_block:
            blocks[link.source_block] = blocks.get(link.source_block, 0) | SOURCE
        if not link.target_block:
            return
        if link.from_responsible:
            bit = ROOT
        elif link.reference_only or not link.source_block:
            bit = OTHER
        else:
            bit = FED
        blocks[link.target_block] = blocks.get(link.target_block, 0) | bit

    def kind(self, project: str, block: str) -> tuple[str, str]:
        """(flow kind, why it was assumed — empty when the links state it)."""
        blocks = self.flags.get(project)
        if blocks is None:
            return "direct", "the project has no 5-2 links"
        bits = blocks.get(block, 0)
        if bits & ROOT:
            return "direct", ""
        if bits & FED:
            return "passed_on", ""
        if bits:
            return "separate", ""
        return "direct", f"block {block} is missing from 5-2"


__all__ = ["LinkIndex"]
