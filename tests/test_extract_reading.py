"""Reading documents: encoding detection from bytes, PDFs with pages, and clear errors for bad input."""
from __future__ import annotations

from pathlib import Path

import pytest

from stigraph.errors import ExtractionError, UserError
from stigraph.extract import extract_file
from stigraph.extract.reading import read_document

FIX = Path(__file__).resolve().parent / "fixtures" / "extract"


def make_pdf(path: Path, pages: list[list[str]]) -> Path:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiMin-W3"))
    c = canvas.Canvas(str(path))
    for lines in pages:
        c.setFont("HeiseiMin-W3", 11)
        for i, line in enumerate(lines):
            c.drawString(50, 800 - 20 * i, line)
        c.showPage()
    c.save()
    return path


def test_utf8_and_cp932_give_the_same_normalised_lines():
    utf8 = read_document(FIX / "strategy_utf8.txt")
    cp932 = read_document(FIX / "strategy_cp932.txt")
    assert utf8.encoding == "utf_8"
    assert cp932.encoding == "cp932"
    assert utf8.lines == cp932.lines  # the Kangxi radical ⽂ in the UTF-8 file normalises to 文
    assert len(utf8.raw) == len(utf8.lines)


def test_encoding_comes_from_bytes_not_the_file_name(tmp_path):
    path = tmp_path / "looks_like_utf8.utf8.txt"
    path.write_bytes("令和5年度予算額(案) 39億円\n".encode("cp932"))
    doc = read_document(path)
    assert doc.encoding == "cp932"
    assert doc.lines[0] == "令和5年度予算額(案) 39億円"


def test_pdf_keeps_page_and_line(tmp_path):
    pdf = make_pdf(tmp_path / "budget.pdf", [["令和5年度予算額(案) 39億円", "(前年度予算額 36億円)"],
                                               ["1.架空の試験事業 120百万円(100百万円)"]])
    doc = read_document(pdf)
    assert doc.encoding == "pdf"
    assert doc.lines == ["令和5年度予算額(案) 39億円", "(前年度予算額 36億円)", "1.架空の試験事業 120百万円(100百万円)"]
    assert [doc.page(n) for n in (1, 2, 3)] == [1, 1, 2]
    result = extract_file(pdf, kind="budget")
    assert {(b.name, b.amount_text, b.previous_text) for b in result.budgets} == {
        (None, "39億円", "36億円"), ("架空の試験事業", "120百万円", "100百万円")}


@pytest.mark.parametrize("name, content, message", [
    ("empty.txt", b"", "empty file"),
    ("blank.txt", b"  \n\n", "empty file"),
    ("binary.bin", bytes(range(256)) * 4, "binary file"),
    ("garbled.txt", bytes((0x80 + (i * 37) % 128) for i in range(3000)), "cannot detect the text encoding"),
])
def test_bad_input_raises_one_clear_error_naming_the_file(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ExtractionError) as info:
        extract_file(path)
    assert isinstance(info.value, UserError)
    assert str(path) in str(info.value) and message in str(info.value)
    assert "\n" not in str(info.value)


def test_truncated_pdf(tmp_path):
    pdf = make_pdf(tmp_path / "full.pdf", [["令和5年度予算額(案) 39億円"]])
    cut = tmp_path / "cut.pdf"
    data = pdf.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(ExtractionError, match=r"cut\.pdf: truncated PDF"):
        extract_file(cut)


def test_missing_file(tmp_path):
    with pytest.raises(ExtractionError, match="no such file"):
        extract_file(tmp_path / "nope.txt")
