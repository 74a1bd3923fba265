"""The RS system's review sheets (行政事業レビュー): ZIPs or CSVs of tables 1-1, 1-2, 2-1, 5-1 and 5-2.

`rs_parts(paths)` makes one store input per sheet year (事業年度, read from the rows): name `rs/2025`,
graph `graph/dataset/rs/2025`. Modules: `files` (ZIP/CSV reading, encodings), `tables` (recognition by
header row), `values` and `rows` (cell and row models), `links` (direct vs passed-on blocks from 5-2),
`payees` (5-1 amount rule), `reference` (what the registry contributes), `matching` (project-to-program
links), `organizations` (ministries, units, payees), `mapping` and `flows` (the RDF of one sheet year).
Layout notes: ../shared/rs-sample/FORMAT.md; README "Review sheets".

>>> rs_parts([Path("notes.ttl")]) is None
True
"""
from __future__ import annotations

from collections import defaultdict
from functools import partial
from pathlib import Path

from stigraph.errors import DatasetError
from stigraph.loaders.datasets import DatasetPart, DatasetReport, Sink, fingerprint
from stigraph.loaders.datasets.rs.files import expand
from stigraph.loaders.datasets.rs.mapping import READER_VERSION, part_graph, write_sheet_year
from stigraph.loaders.datasets.rs.reference import Reference, registry_reference
from stigraph.loaders.datasets.rs.tables import OTHER, TableFile, recognise


def rs_tables(paths: list[Path]) -> tuple[list[TableFile], list[str]] | None:
    """The RS tables among the paths (and notes on tables that are not loaded); None if there are none.

    ZIPs and folders are taken as RS downloads: a damaged ZIP, a ZIP without a CSV or a ZIP whose CSV is not
    an RS table raises DatasetError. A plain CSV that is not an RS table is left to other readers.
    """
    candidates = [p for p in paths if p.is_dir() or p.suffix.lower() in (".zip", ".csv")]
    if not candidates:
        return None
    sources, _ = expand(candidates)
    tables, notes = [], []
    for source in sources:
        table = recognise(source)
        if table is None:
            if source.member is not None:
                raise DatasetError(f"{source.where}: not an RS review-sheet table (its header lacks 事業年度, "
                                   "予算事業ID and 事業名)")
            continue
        if table.spec is OTHER:
            notes.append(f"{source.where}: an RS table this loader does not read (sheet year {table.sheet_year})")
            continue
        tables.append(table)
    if not tables:
        if any(p.is_dir() or p.suffix.lower() == ".zip" for p in candidates) and not notes:
            raise DatasetError(f"{', '.join(map(str, candidates))}: no RS review-sheet tables found")
        return None if not notes else ([], notes)
    return tables, notes


def rs_parts(paths: list[Path], reference: Reference | None = None) -> list[DatasetPart] | None:
    """One DatasetPart per sheet year found in the paths (ZIPs, CSVs, folders); None if none is an RS table.

    DatasetError (before anything is written) for damaged ZIPs, ZIPs without a CSV, missing required
    columns, and two files holding the same table of the same sheet year.

    >>> parts = rs_parts([Path("../shared/rs-sample")])  # doctest: +SKIP
    >>> [(p.name, len(p.sources)) for p in parts]  # doctest: +SKIP
    [('rs/2025', 5)]
    """
    found = rs_tables(paths)
    if found is None:
        return None
    tables, notes = found
    if not tables:
        raise DatasetError("; ".join(notes))
    reference = reference or registry_reference()
    by_year: dict[int, dict[str, TableFile]] = defaultdict(dict)
    for table in tables:
        other = by_year[table.sheet_year].get(table.table)
        if other:
            raise DatasetError(f"{table.source.where}: a second {table.table} table for sheet year {table.sheet_year} "
                               f"(the first is {other.source.where}); load one of them")
        by_year[table.sheet_year][table.table] = table
    parts = []
    for year, year_tables in sorted(by_year.items()):
        files = sorted({t.source.path for t in year_tables.values()})
        year_notes = [n for n in notes if f"sheet year {year})" in n]
        parts.append(DatasetPart(
            name=f"rs/{year}", graph=part_graph(year), sources=files,
            fingerprint=fingerprint(files, READER_VERSION, reference.digest),
            write=partial(_write, year, year_tables, reference, year_notes)))
    return parts


def _write(year: int, tables: dict[str, TableFile], reference: Reference, notes: list[str], sink: Sink,
           strict: bool = False) -> DatasetReport:
    report = write_sheet_year(year, tables, reference, sink, strict)
    report.warnings[:0] = notes
    return report


__all__ = ["rs_parts", "rs_tables"]
