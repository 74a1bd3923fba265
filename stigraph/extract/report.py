"""Extraction results for people and programs: a text table per document, CSV (one row per finding) or JSON."""
from __future__ import annotations

import csv
import io
import json
from collections import Counter

from stigraph.extract import ExtractionResult
from stigraph.extract.budget import describe

CSV_FIELDS = ["record", "file", "page", "line", "line_end", "row", "name", "entity", "amount_yen", "fiscal_year",
              "kind", "previous_yen", "change_yen", "project_id", "reader", "section", "column", "ministries",
              "ministry_ids", "count", "detail"]
MAX_CANDIDATES_SHOWN = 40


def render(results: list[ExtractionResult], fmt: str) -> str:
    """Render results as a text table, CSV (one row per finding) or JSON.

    >>> render([], "json")
    '[]\\n'
    """
    if fmt == "json":
        data = [r.to_dict() for r in results]
        return json.dumps(data if len(data) != 1 else data[0], ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for result in results:
            writer.writerows(result.to_records())
        return buffer.getvalue()
    return "".join(_table(r) for r in results)


def _budget_table(result: ExtractionResult) -> list[str]:
    """Budget lines found (by reader), registry links, candidate new names; unread lines are listed below."""
    unread = sum(u.kind == "budget" for u in result.unread)
    readers = Counter(b.reader for b in result.budgets)
    out = [f"budget lines found: {len(result.budgets)}"
           + (f" ({', '.join(f'{r} {n}' for r, n in readers.most_common())})" if readers else "")
           + f"; unread: {unread}"]
    for b in result.budgets:
        lines = f"{b.line}" + (f"-{b.line_end}" if b.line_end else "") + (f" p{b.page}" if b.page else "")
        extras = [f"#{b.row}" if b.row else "", b.project_id or "", b.ministry or "", "new" if b.is_new else "",
                  b.marker or "", f"【{b.agency}】" if b.agency else "", f"-> {b.entity}" if b.entity else "",
                  f"(names {', '.join(b.related)})" if b.related else ""]
        out.append(f"  L{lines:<10} {describe(b):<44} {b.name or '(total)'} {' '.join(x for x in extras if x)}".rstrip())
    links = result.budget_links()
    if links:
        out.append(f"linked to registry entities: {len(links)}")
        for ident, entries in sorted(links.items()):
            out.append(f"  {ident:<24} {entries[0].name}  (L{', L'.join(str(e.line) for e in entries)})")
    candidates = result.candidate_names()
    if candidates:
        out.append(f"candidate new names (no registry entity): {len(candidates)}")
        for name, lines in list(candidates.items())[:MAX_CANDIDATES_SHOWN]:
            out.append(f"  {name}  (L{', L'.join(map(str, lines[:5]))})")
        if len(candidates) > MAX_CANDIDATES_SHOWN:
            out.append(f"  ... {len(candidates) - MAX_CANDIDATES_SHOWN} more (use --format csv or json)")
    return out


def _table(result: ExtractionResult) -> str:
    out = [f"== {result.file_name} ({result.encoding}, {result.line_count} lines"
           + (f", {result.pages} pages" if result.pages else "") + ")"]
    if result.budgets or any(u.kind == "budget" for u in result.unread):
        out += _budget_table(result)
    if result.measures:
        plan = sum(m.column == "plan" for m in result.measures)
        relisted = sum(m.relisted for m in result.measures)
        out.append(f"measures: {len(result.measures)} (plan items {plan}, actions {len(result.measures) - plan}, "
                   f"(再掲) {relisted})")
        for m in result.measures:
            extra = f" 再掲->{m.repeats}" if m.repeats else (" 再掲" if m.relisted else "")
            out.append(f"  L{m.line}-{m.line_end:<7} {m.label:<28} {m.column:<6} 【{m.tag}】 "
                       f"{' '.join(m.ministry_ids)}{extra}  {m.text[:40]}")
    if result.mentions:
        out.append(f"mentions: {len(result.mentions)} entities, {sum(m.count for m in result.mentions)} hits")
        for men in sorted(result.mentions, key=lambda m: (-m.count, m.entity)):
            out.append(f"  {men.entity:<32} {men.count:>5}  lines {', '.join(map(str, men.lines[:8]))}"
                       + (" ..." if len(men.lines) > 8 else ""))
    if result.dropped_mentions:
        out.append(f"mentions dropped (generic labels out of context): {sum(result.dropped_mentions.values())} ("
                   + ", ".join(f"{k} {v}" for k, v in result.dropped_mentions.items()) + ")")
    if result.unresolved:
        out.append("unresolved abbreviations: " + ", ".join(f"{k} (L{v[0]})" for k, v in sorted(result.unresolved.items())))
    if result.missing_ids:
        out.append("ids not in the registry: " + ", ".join(result.missing_ids))
    if result.unread:
        out.append(f"unread: {len(result.unread)}")
        for u in result.unread:
            out.append(f"  L{u.line:<8} {u.kind:<8} {u.reason}" + (f"  | {u.text[:40]}" if u.text else ""))
    return "\n".join(out) + "\n"
