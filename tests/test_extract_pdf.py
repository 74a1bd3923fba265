"""PDF pages in the budget layouts give the same records as the same text; hostile PDFs give one clear error.

The PDFs are drawn here with reportlab's built-in CID font from the text fixtures' own lines, placed
as real pages place them: a slide with a title box left and a figure box right, two columns, tables
with and without rules, a CSTI list.
"""
from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from stigraph.errors import ExtractionError
from stigraph.extract import extract_file
from stigraph.extract.reading import check_streams, read_document

FIX = Path(__file__).resolve().parent / "fixtures" / "extract"
FONT = "HeiseiMin-W3"
TOP = 800


def fixture_lines(name: str) -> list[str]:
    return (FIX / name).read_text(encoding="utf-8").split("\n")


def draw(path: Path, pages: list[list[tuple]], **canvas_options) -> Path:
    """Pages of (x, y-from-top, text[, size]) strings and ("rect", x, y, w, h) / ("hline", x0, x1, y) rules."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    c = canvas.Canvas(str(path), **canvas_options)
    for items in pages:
        for item in items:
            if item[0] == "hline":
                _, x0, x1, y = item
                c.line(x0, TOP - y, x1, TOP - y)
            elif item[0] == "vline":
                _, x, y0, y1 = item
                c.line(x, TOP - y0, x, TOP - y1)
            else:
                x, y, text, *size = item
                c.setFont(FONT, size[0] if size else 10)
                c.drawString(x, TOP - y, text)
        c.showPage()
    c.save()
    return path


def column(lines: list[str], x: float, y: float, step: float = 14, size: float = 10) -> list[tuple]:
    """Lines stacked from (x, y) down; blank lines keep their space."""
    return [(x, y + step * i, line, size) for i, line in enumerate(lines) if line.strip()]


def records(path: Path) -> set[tuple]:
    result = extract_file(path, kind="budget")
    return {(e.name, e.amount_text, e.previous_text, e.fiscal_year, e.kind, e.is_new, e.agency, e.ministry,
             e.project_id, e.row) for e in result.budgets}


def test_slide_with_title_box_and_figure_box_reads_like_its_text(tmp_path):
    lines = fixture_lines("budget_headline.txt")
    title, block, body = lines[0], lines[2:7], lines[8:]
    page = [(40, 40, title, 14)] + column(block, 330, 30, step=13) + column(body, 40, 120, step=14)
    pdf = draw(tmp_path / "slide.pdf", [page])
    assert records(pdf) == records(FIX / "budget_headline.txt")
    assert len(records(pdf)) == 4


def test_title_below_the_figure_box_reads_like_its_text(tmp_path):
    """(In the PDF the title comes before the box in reading order, so only the text finds the parent.)"""
    lines = fixture_lines("budget_headline_after.txt")
    # parent label and title on the left, the figure box on the right, the section across the page below
    page = column(lines[2:3], 40, 40, size=8) + column(lines[4:8], 330, 40, step=13) + column(lines[9:10], 40, 70, size=12)
    page += column(lines[10:12], 40, 110)
    pdf = draw(tmp_path / "after.pdf", [page])
    assert records(pdf) == records(FIX / "budget_headline_after.txt")


def test_two_columns_read_column_by_column(tmp_path):
    lines = fixture_lines("budget_list_previous.txt")
    head, left, right = lines[0:5], lines[5:10], lines[10:]
    page = column(head, 40, 40) + column(left, 40, 120, size=9) + column(right, 310, 120, size=9)
    pdf = draw(tmp_path / "columns.pdf", [page])
    assert records(pdf) == records(FIX / "budget_list_previous.txt")
    assert len(records(pdf)) == 3


def test_plain_text_order_would_lose_the_headline(tmp_path):
    """The reason for word positions: plain text puts the figure box's first label above the title."""
    import pdfplumber

    from stigraph.extract.budget import extract_budgets
    from stigraph.extract.reading import Document
    from stigraph.loaders.text import normalize

    lines = fixture_lines("budget_headline.txt")
    page = [(40, 40, lines[0], 14)] + column(lines[2:7], 330, 30, step=13) + column(lines[8:], 40, 120, step=14)
    pdf = draw(tmp_path / "slide.pdf", [page])
    with pdfplumber.open(pdf) as document:
        plain = document.pages[0].extract_text().split("\n")
    assert plain[0].startswith("令和7年度要求") and plain[1].startswith("架空の深海探査基盤")
    entries, _ = extract_budgets(Document(pdf, "pdf", plain, [normalize(line) for line in plain]))
    assert "架空の深海探査基盤の整備" not in {e.name for e in entries}
    assert "架空の深海探査基盤の整備" in {name for name, *_ in records(pdf)}


def _table_pages(ruled: bool) -> list[tuple]:
    lines = fixture_lines("budget_tables.txt")
    page = column(lines[0:5], 40, 40)
    xs = [40, 200, 270, 370, 440, 520]
    y = 120
    for row in [lines[6].split(" ")] + [line.split(" ") for line in lines[7:12]]:
        cells = row if len(row) >= 2 else [row[0]]
        if len(cells) > 1 and cells[1] and not cells[1][0].isdigit() and not cells[1].startswith("▲"):
            cells = [" ".join(cells)]  # a label row: one cell across
        for k, cell in enumerate(cells[:5]):
            page.append((xs[k] + 2, y, cell, 9))
        if ruled:
            page.append(("hline", xs[0], xs[-1], y - 10))
        y += 16
    if ruled:
        page.append(("hline", xs[0], xs[-1], y - 10))
        page += [("vline", x, 110, y - 10) for x in xs]
    # the second table: column labels side by side above their figures
    page.append((200, y + 20, lines[14], 9))
    page += [(200, y + 40, "令和2年度 概算要求", 9), (300, y + 40, "平成31年度 当初予算", 9)]
    for k, line in enumerate(l for l in lines[20:] if l.strip()):
        label, *figures = line.rsplit(" ", 2)
        page += [(40, y + 60 + 16 * k, label, 9), (200, y + 60 + 16 * k, figures[0], 9),
                 (300, y + 60 + 16 * k, figures[1], 9)]
    return page


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "unruled"])
def test_tables_with_and_without_rules_read_like_their_text(tmp_path, ruled):
    pdf = draw(tmp_path / "table.pdf", [_table_pages(ruled)])
    from_text = records(FIX / "budget_tables.txt")
    assert records(pdf) == from_text
    assert len(from_text) == 5


def test_csti_list_pages_keep_page_provenance(tmp_path):
    lines = [line for line in fixture_lines("budget_csti_rows.txt") if line.strip()]
    first, second = lines[:7], lines[7:]
    pdf = draw(tmp_path / "list.pdf", [column(first, 30, 40, size=8), column(second, 30, 40, size=8)])
    result = extract_file(pdf, kind="budget")
    assert records(pdf) == records(FIX / "budget_csti_rows.txt")
    pages = {e.row: e.page for e in result.budgets}
    assert pages == {1: 1, 2: 1, 3: 1, 5: 1, 6: 2, 7: 2}
    doc = read_document(pdf)
    assert all(doc.page(e.line) == e.page for e in result.budgets)


def test_encrypted_pdf_is_reported_as_encrypted(tmp_path):
    from reportlab.lib.pdfencrypt import StandardEncryption

    pdf = draw(tmp_path / "locked.pdf", [[(40, 40, "令和5年度予算額(案) 39億円")]],
               encrypt=StandardEncryption("secret", canPrint=0))
    with pytest.raises(ExtractionError) as info:
        read_document(pdf)
    message = str(info.value)
    assert message.startswith(f"{pdf}: encrypted PDF") and "damaged" not in message and "\n" not in message


def test_pdf_with_only_an_owner_password_is_read(tmp_path):
    from reportlab.lib.pdfencrypt import StandardEncryption

    from reportlab.pdfgen import canvas

    pdf = tmp_path / "restricted.pdf"
    c = canvas.Canvas(str(pdf), encrypt=StandardEncryption("", ownerPassword="owner", canModify=0))
    c.setFont("Helvetica", 10)
    c.drawString(40, 760, "budget 39 (36)")
    c.save()
    assert read_document(pdf).lines == ["budget 39 (36)"]


def _bomb_pdf(path: Path, expanded: int) -> Path:
    """A one-page PDF whose content stream inflates to `expanded` bytes of spaces."""
    stream = zlib.compress(b" " * expanded, 9)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def test_decompression_bomb_is_refused_with_one_line(tmp_path):
    pdf = _bomb_pdf(tmp_path / "bomb.pdf", 80 * 2 ** 20)
    assert pdf.stat().st_size < 200_000
    with pytest.raises(ExtractionError) as info:
        read_document(pdf)
    message = str(info.value)
    assert "decompression bomb" in message and str(pdf) in message and "\n" not in message


def test_stream_guard_lets_ordinary_streams_through(tmp_path):
    pdf = _bomb_pdf(tmp_path / "small.pdf", 10_000)
    check_streams(pdf.read_bytes(), pdf)  # no error
    with pytest.raises(ExtractionError, match="expands beyond 0 MiB"):
        check_streams(pdf.read_bytes(), pdf, limit=5_000)
