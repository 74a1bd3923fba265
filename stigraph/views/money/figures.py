"""The budget figures the money views draw: one per entity, fiscal year and kind.

# ------------------------------------------------------------------------------------------------
# PENDING SHARED RULE (issue 17): the project is defining "the budget figure of an entity" once
# (which entry counts, no double counting, same kinds). Until it lands, the money views take their
# figures ONLY through `entity_figures` below; switch its body to the shared rule when it exists.
# The interim rule here:
#   - kinds are never merged (initial, draft, request, supplementary, fund size, total cost …);
#   - per entity, fiscal year and kind, the largest figure not marked 内数 (stig:includedIn) counts:
#     a breakdown item is never larger than its whole, and restated copies collapse into one;
#     the other figures of that year and kind are kept as `also` (shown in tooltips, never added);
#   - when every figure of that year and kind is marked 内数, the largest counts but is flagged
#     `included` (it is part of another budget line): charts show it, sums (flows) leave it out.
# ------------------------------------------------------------------------------------------------
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from stigraph.graph.projection import node_id
from stigraph.sparql.graph import StiGraph
from stigraph.sparql.run import read_query_file

QUERY = Path(__file__).resolve().parent.parent / "queries" / "budget-figures.rq"
KIND_NAMES = {"Initial": ("当初予算", "initial"), "Draft": ("予算案", "draft"), "Request": ("概算要求", "request"),
              "Supplementary": ("補正予算", "supplementary"), "FundSize": ("基金規模", "fund size"),
              "TotalCost": ("総事業費", "total project cost"), "Target": ("目標額", "target"),
              "Actual": ("実績", "actual")}


@dataclass(frozen=True)
class Stated:
    """One budget entry as stated: amount in yen, entry id and where it stands."""

    amount: Decimal
    entry: str
    source: str
    included: bool = False


@dataclass
class Figure:
    """The figure that counts for one entity, fiscal year and kind, and the other entries stated for them."""

    entity: str
    fiscal_year: int
    kind: str
    amount: Decimal
    entry: str
    source: str
    included: bool = False                          # marked 内数: part of another budget line
    also: list[Stated] = field(default_factory=list)

    @property
    def kind_name(self) -> str:
        """「当初予算 (initial)」."""
        ja, en = KIND_NAMES.get(self.kind, (self.kind, self.kind))
        return f"{ja} ({en})"


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


def entity_figures(graph: StiGraph, entity: str | None = None) -> dict[str, list[Figure]]:
    """Entity id -> its figures (one per fiscal year and kind), oldest first. PENDING SHARED RULE: see the module note.

    `entity` (a curated id) limits the query to one entity.

    >>> from pathlib import Path
    >>> from stigraph.builder.inputs import collect_quads
    >>> g = StiGraph.from_nquads(collect_quads([Path("tests/fixtures/registry_analysis")], include_derived=False))
    >>> [(f.fiscal_year, f.kind) for f in entity_figures(g)["budget-a"]][:1]  # doctest: +SKIP
    [(2023, 'Initial')]
    """
    params = {"entity": f"id:{entity}"} if entity else {}
    rows = graph.select(read_query_file(QUERY), **params)
    stated: dict[tuple[str, int, str], dict[str, Stated]] = defaultdict(dict)
    for row in rows:
        key = (node_id(str(row["entity"])), int(str(row["fy"])[:4]), str(row["kind"]).rsplit("#", 1)[-1])
        entry = node_id(str(row["entry"]))
        if entry in stated[key]:  # one entry cited on several lines: keep the first locator
            continue
        stated[key][entry] = Stated(Decimal(row["amount"]), entry, provenance(row), row.get("included") is not None)
    figures: dict[str, list[Figure]] = defaultdict(list)
    for (owner, year, kind), entries in sorted(stated.items()):
        candidates = [s for s in entries.values() if not s.included] or list(entries.values())
        best = max(candidates, key=lambda s: (s.amount, s.entry))
        also = sorted((s for s in entries.values() if s is not best), key=lambda s: (-s.amount, s.entry))
        figures[owner].append(Figure(owner, year, kind, best.amount, best.entry, best.source, best.included, also))
    return dict(figures)


def oku(yen: Decimal | int | float) -> str:
    """Yen as 億円 with one decimal (what budget documents print), e.g. 「2,377.0億円」.

    >>> oku(237_700_000_000), oku(51_000_000)
    ('2,377.0億円', '0.5億円')
    """
    return f"{float(yen) / 1e8:,.1f}億円"


def exact_yen(yen: Decimal | int) -> str:
    """「237,700,000,000円」.

    >>> exact_yen(Decimal("1500000"))
    '1,500,000円'
    """
    return f"{int(yen):,}円"
