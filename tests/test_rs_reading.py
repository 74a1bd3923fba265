"""RS review sheets, reading: ZIPs and CSVs, encodings, recognition by header, parts per sheet year, bad input."""
from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from stigraph.errors import DatasetError, UserError
from stigraph.loaders.datasets import dataset_parts
from stigraph.loaders.datasets.rs import values
from stigraph.loaders.datasets.rs.files import fix_entry_name
from stigraph.loaders.datasets.rs.tables import spec_for
from tests.fixtures.rs.helpers import HAZARDS, SHEET_2026, SHEET_2027, part_quads, to_cp932, zip_tables


def facts_only(data: bytes) -> list[str]:
    """The quads that do not name a file: what must not depend on encodings, ZIPs or file names."""
    return sorted(line for line in data.decode("utf-8").splitlines()
                  if "/id/src/" not in line and "/id/doc/" not in line)


def one_line_error(paths: list[Path], *fragments: str) -> str:
    with pytest.raises(DatasetError) as info:
        for part in dataset_parts(paths) or []:
            part.write(lambda line: None)
    message = str(info.value)
    assert isinstance(info.value, UserError) and "\n" not in message
    for fragment in fragments:
        assert fragment in message, message
    return message


# -- values ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [("1234", Decimal(1234)), ("1,234,567", Decimal(1234567)),
                                            ("１２３", Decimal(123)), ("-225000", Decimal(-225000)),
                                            ("△1,000", Decimal(-1000)), ("0", Decimal(0)), ("", None), ("-", None)])
def test_amounts(text, expected):
    assert values.amount(text) == expected


@pytest.mark.parametrize("text", ["12x", "1.5", "abc", "1,2,3,,"])
def test_amounts_that_are_not_numbers_are_refused_not_guessed(text):
    with pytest.raises(values.BadValue, match=re.escape(repr(text))):
        values.amount(text)


def test_corporate_numbers_are_checked_and_kept_as_text():
    assert values.corporate_number("4030005012570") == "4030005012570"
    assert values.corporate_number("4030005012570.0") == "4030005012570"  # a float column written back
    assert values.corporate_number("") is None
    for bad in ("4030005012571", "403000501257", "4.03000501257e+12"):
        with pytest.raises(values.BadValue):
            values.corporate_number(bad)


def test_payee_names_spell_out_abbreviated_legal_forms():
    assert values.payee_name("（株）試験 商会") == values.payee_name("株式会社試験商会") == "株式会社試験商会"
    assert values.payee_name("(公財)試験財団") == "公益財団法人試験財団"


def test_zip_entry_names_stored_as_cp932_are_repaired():
    stored = "5-1_RS_2026_支出先_支出情報.csv".encode("cp932").decode("cp437")
    assert fix_entry_name(stored, utf8_flag=False) == "5-1_RS_2026_支出先_支出情報.csv"
    assert fix_entry_name("already.csv", utf8_flag=True) == "already.csv"


def test_tables_are_told_by_their_header_with_either_bracket_width():
    base = ["シート種別", "事業年度", "予算事業ID", "事業名"]
    assert spec_for(base + ["予算年度", "当初予算（合計）", "計（歳出予算現額合計）", "執行額（合計）", "会計区分"]).table == "2-1"
    assert spec_for(base + ["予算年度", "当初予算(合計)", "計(歳出予算現額合計)", "執行額(合計)", "会計区分"]).table == "2-1"
    assert spec_for(base + ["支出元の支出先ブロック", "担当組織からの支出", "支出先の支出先ブロック"]).table == "5-2"
    assert spec_for(base + ["成果目標"]).table == "other"
    assert spec_for(["id", "label_ja"]) is None


# -- files, encodings, parts ----------------------------------------------------------------------

def test_one_part_per_sheet_year_with_its_files_and_graph():
    parts = dataset_parts([SHEET_2026, SHEET_2027])
    assert [p.name for p in parts] == ["rs/2026", "rs/2027"]
    assert parts[0].graph == "https://w3id.org/stigraph/graph/dataset/rs/2026"
    assert len(parts[0].sources) == 5 and len(parts[1].sources) == 4
    again = dataset_parts([SHEET_2027, SHEET_2026])
    assert [p.fingerprint for p in again] == [p.fingerprint for p in parts]
    assert len({p.fingerprint for p in parts}) == 2


def test_writing_a_part_twice_gives_the_same_bytes():
    first, _ = part_quads([SHEET_2026])
    second, _ = part_quads([SHEET_2026])
    assert first == second and len(first) > 1000


def test_files_are_recognised_by_header_not_by_name(tmp_path):
    renamed = tmp_path / "renamed"
    renamed.mkdir()
    for i, path in enumerate(sorted(SHEET_2026.glob("*.csv"))):
        (renamed / f"table{i}.csv").write_bytes(path.read_bytes())
    assert facts_only(part_quads([renamed])[0]) == facts_only(part_quads([SHEET_2026])[0])


def test_cp932_csvs_and_zips_with_cp932_entry_names_give_the_same_facts(tmp_path):
    reference = facts_only(part_quads([SHEET_2026])[0])
    cp932 = to_cp932(SHEET_2026, tmp_path / "cp932")
    assert facts_only(part_quads([cp932])[0]) == reference
    zips = zip_tables(cp932, tmp_path / "zips", cp932_names=True)
    assert all(zipfile.ZipFile(z).infolist()[0].flag_bits & 0x800 == 0 for z in zips)
    data, _ = part_quads(zips)
    assert facts_only(data) == reference
    # The locators name the repaired entry inside its ZIP.
    assert "1-1_RS_2026_基本情報_組織情報.zip/1-1_RS_2026_基本情報_組織情報.csv" in data.decode("utf-8")


def test_one_zip_may_hold_several_tables_and_sheet_years(tmp_path):
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    for path in [*SHEET_2026.glob("*.csv"), *SHEET_2027.glob("*.csv")]:
        (mixed / path.name).write_bytes(path.read_bytes())
    (archive,) = zip_tables(mixed, tmp_path / "zip", one_zip=True)
    parts = dataset_parts([archive])
    assert [p.name for p in parts] == ["rs/2026", "rs/2027"] and parts[0].sources == [archive]


def test_a_csv_that_is_not_a_review_sheet_is_left_to_other_readers(tmp_path):
    other = tmp_path / "nodes.csv"
    other.write_text("id,label_ja\nx,エックス\n", encoding="utf-8")
    assert dataset_parts([other]) is None
    assert dataset_parts([tmp_path / "notes.ttl"]) is None
    parts = dataset_parts([other, *sorted(SHEET_2027.glob("*.csv"))])
    assert [p.name for p in parts] == ["rs/2027"] and other not in parts[0].sources


# -- bad input: one clear line, nothing written ------------------------------------------------------

def test_zip_without_csv(tmp_path):
    path = tmp_path / "empty.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "no tables here")
    one_line_error([path], "empty.zip", "holds no CSV", "readme.txt")


def test_truncated_zip(tmp_path):
    (whole,) = zip_tables(SHEET_2026, tmp_path / "zips", one_zip=True)
    cut = tmp_path / "cut.zip"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    one_line_error([cut], "cut.zip", "not a readable ZIP")


def test_damaged_zip_data_is_reported_before_anything_is_written(tmp_path):
    (whole,) = zip_tables(SHEET_2026, tmp_path / "zips", one_zip=True)
    data = bytearray(whole.read_bytes())
    second = zipfile.ZipFile(whole).infolist()[1]
    start = second.header_offset + 30 + len(second.filename.encode("utf-8"))  # its compressed bytes
    for i in range(start + 20, start + 80):
        data[i] ^= 0xFF
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(bytes(data))
    one_line_error([damaged], "damaged.zip")


def test_missing_required_column_names_column_and_file(tmp_path):
    folder = tmp_path / "cols"
    folder.mkdir()
    source = SHEET_2026 / "5-1_RS_2026_支出先_支出情報.csv"
    lines = source.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(",")
    drop = header.index("金額")
    rows = [",".join(c for i, c in enumerate(line.split(",")) if i != drop) for line in lines]
    (folder / "payees.csv").write_text("\n".join(rows), encoding="utf-8-sig")
    one_line_error([folder], "payees.csv", "missing column '金額'", "5-1")


def test_two_files_with_the_same_table_and_year(tmp_path):
    folder = tmp_path / "twice"
    folder.mkdir()
    source = SHEET_2026 / "2-1_RS_2026_予算・執行_サマリ.csv"
    (folder / "a.csv").write_bytes(source.read_bytes())
    (folder / "b.csv").write_bytes(source.read_bytes())
    one_line_error([folder], "a.csv", "b.csv", "second 2-1 table for sheet year 2026")


def test_undecodable_bytes_name_the_row(tmp_path):
    folder = tmp_path / "bytes"
    folder.mkdir()
    text = (SHEET_2026 / "1-1_RS_2026_基本情報_組織情報.csv").read_bytes()
    padding = b"\r\n".join([text.splitlines()[1]] * 400)  # push the damage past the encoding sniff
    (folder / "org.csv").write_bytes(text + padding + b"\r\n\xff\xfe\xfd,broken\r\n")
    one_line_error([folder], "org.csv", "row 4", "not UTF-8")


def test_an_unsorted_payee_table_is_refused(tmp_path):
    folder = tmp_path / "unsorted"
    folder.mkdir()
    lines = (SHEET_2026 / "5-1_RS_2026_支出先_支出情報.csv").read_text(encoding="utf-8-sig").splitlines()
    (folder / "5-1.csv").write_text("\n".join(lines + [lines[1]]), encoding="utf-8-sig")
    one_line_error([folder], "5-1.csv", "project 9001 are not together")


def test_bad_amount_left_out_with_file_and_row_or_refused_when_strict(tmp_path):
    (part,) = dataset_parts([HAZARDS])
    lines: list[str] = []
    report = part.write(lines.append)
    assert ("2-1_RS_2026_予算・執行_サマリ.csv", 5, "column '当初予算（合計）': '12x' is not an amount in yen") \
        in report.left_out
    assert "2-1_RS_2026_予算・執行_サマリ.csv:5: left out: column '当初予算（合計）': '12x' is not an amount in yen" \
        in report.lines()
    assert not any("9102" in line and "Initial" in line for line in lines)  # nothing guessed for the bad row
    folder = tmp_path / "strict"
    folder.mkdir()
    table = (HAZARDS / "2-1_RS_2026_予算・執行_サマリ.csv").read_text(encoding="utf-8-sig").splitlines()
    (folder / "budget.csv").write_text("\n".join([table[0], table[4]]), encoding="utf-8-sig")
    (strict_part,) = dataset_parts([folder])
    written: list[str] = []
    with pytest.raises(DatasetError, match=r"budget.csv:2: column '当初予算（合計）': '12x' is not an amount in yen$"):
        strict_part.write(written.append, strict=True)
    assert not any("Initial" in line for line in written)


NAMES = Path(__file__).resolve().parents[2] / "shared" / "realdocs" / "research_org_names.csv"


@pytest.mark.skipif(not NAMES.exists(), reason="../shared/realdocs not present")
def test_real_payee_names_normalise_like_the_dictionary_and_their_numbers_check():
    """664 research-organisation names as the sheets write them: (株)/(一財)… spelt out as the dictionary does,
    and every 法人番号 it gives passes the check digit (misspelt names keep the right number, so payees are
    keyed by number, not name)."""
    import csv

    rows = list(csv.DictReader(NAMES.open(encoding="utf-8")))
    assert len(rows) == 664
    assert [r["name"] for r in rows if values.payee_name(r["name"]) != values.payee_name(r["normalized_name"])] == []
    numbers = [r["corporate_number"] for r in rows if r["corporate_number"]]
    assert len(numbers) == 520 and all(values.corporate_number(n) == n for n in numbers)
