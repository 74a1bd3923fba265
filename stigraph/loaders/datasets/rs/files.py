"""Find the CSV tables in ZIPs, folders and plain files, and read their rows as streams of cells.

The RS system publishes one ZIP per table; each holds one CSV, UTF-8 with a BOM in recent years and
CP932 in others, and its entry name is stored as CP932 bytes without the ZIP's UTF-8 flag (Python then
shows it as cp437 mojibake). Rows are read one at a time: nothing here holds a table in memory.

>>> mojibake = "1-1_RS_2025_基本情報.csv".encode("cp932").decode("cp437")
>>> fix_entry_name(mojibake, utf8_flag=False)
'1-1_RS_2025_基本情報.csv'
"""
from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from stigraph.errors import DatasetError

SNIFF_BYTES = 1 << 16
_UTF8_FLAG = 0x800


def fix_entry_name(name: str, utf8_flag: bool) -> str:
    """The real name of a ZIP entry: names stored as CP932 bytes without the UTF-8 flag come back as cp437."""
    if utf8_flag:
        return name
    try:
        return name.encode("cp437").decode("cp932")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return name


@dataclass(frozen=True)
class CsvSource:
    """One CSV table: a plain file, or an entry of a ZIP (`member` is the name zipfile knows it by)."""

    path: Path
    member: str | None = None
    entry: str | None = None

    @property
    def display(self) -> str:
        """How reports and locators name the table: `file.zip/entry.csv` or `file.csv`."""
        return f"{self.path.name}/{self.entry}" if self.member is not None else self.path.name

    @property
    def where(self) -> str:
        """The full path for error messages."""
        return f"{self.path}/{self.entry}" if self.member is not None else str(self.path)

    def open_binary(self):
        if self.member is None:
            return open(self.path, "rb")
        archive = zipfile.ZipFile(self.path)
        try:
            return _ClosingMember(archive.open(self.member), archive)
        except (zipfile.BadZipFile, UnicodeDecodeError, NotImplementedError, RuntimeError, OSError) as exc:
            archive.close()
            raise DatasetError(f"{self.where}: damaged ZIP entry ({exc}); download the file again") from None

    def encoding(self) -> str:
        """"utf-8-sig", "utf-8" or "cp932", from the first bytes (a BOM, or whether they decode as UTF-8)."""
        with self._guard(), self.open_binary() as handle:
            head = handle.read(SNIFF_BYTES)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        try:
            codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
            return "utf-8"
        except UnicodeDecodeError:
            return "cp932"

    def rows(self) -> Iterator[tuple[int, int, list[str]]]:
        """(row, line, cells) for every record; the header is row 1; `line` is the physical line it starts on.

        DatasetError names the file and row when the bytes are damaged or not in the detected encoding.
        """
        encoding = self.encoding()
        row = 0
        with self._guard(), self.open_binary() as raw:
            text = io.TextIOWrapper(raw, encoding=encoding, newline="")
            reader = csv.reader(text)
            line = 1
            try:
                for cells in reader:
                    row += 1
                    yield row, line, cells
                    line = reader.line_num + 1
            except UnicodeDecodeError:
                name = "UTF-8" if encoding.startswith("utf") else "CP932"
                raise DatasetError(f"{self.where}: row {row + 1}: bytes that are not {name} text; "
                                   "save the table as UTF-8 or CP932") from None
            except csv.Error as exc:
                raise DatasetError(f"{self.where}: row {row + 1}: not valid CSV ({exc})") from None

    def _guard(self):
        return _ReadGuard(self.where)


class _ClosingMember(io.RawIOBase):
    """A ZIP member stream that closes its archive too."""

    def __init__(self, member, archive: zipfile.ZipFile) -> None:
        self.member, self.archive = member, archive

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.member.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self.member.close()
            self.archive.close()
        super().close()


class _ReadGuard:
    """Turns the errors of a damaged or truncated ZIP met while reading into one-line DatasetErrors."""

    def __init__(self, where: str) -> None:
        self.where = where

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb) -> bool:
        if kind is not None and issubclass(kind, (zipfile.BadZipFile, EOFError, zlib_error())):
            raise DatasetError(f"{self.where}: damaged or truncated ZIP data ({exc or kind.__name__}); "
                               "download the file again") from None
        return False


def zlib_error() -> type[Exception]:
    import zlib

    return zlib.error


def zip_sources(path: Path) -> list[CsvSource]:
    """The CSV entries of a ZIP; DatasetError for a damaged or truncated ZIP, or one without a CSV."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise DatasetError(f"{path}: not a readable ZIP file ({exc}; truncated or damaged?); "
                           "download it again") from None
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read ({exc.strerror or exc})") from None
    sources = []
    for info in infos:
        if info.is_dir():
            continue
        name = fix_entry_name(info.filename, bool(info.flag_bits & _UTF8_FLAG))
        if name.lower().endswith(".csv"):
            sources.append(CsvSource(path, info.filename, name))
    if not sources:
        names = ", ".join(fix_entry_name(i.filename, bool(i.flag_bits & _UTF8_FLAG)) for i in infos[:5]) or "none"
        raise DatasetError(f"{path}: the ZIP holds no CSV file (entries: {names})")
    return sources


def expand(paths: list[Path]) -> tuple[list[CsvSource], list[Path]]:
    """(CSV sources, the files they come from) for ZIPs, CSVs and folders of them; other files are skipped."""
    sources: list[CsvSource] = []
    files: list[Path] = []
    for path in paths:
        candidates = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in candidates:
            suffix = file.suffix.lower()
            if suffix == ".zip":
                sources.extend(zip_sources(file))
                files.append(file)
            elif suffix == ".csv":
                if not file.is_file():
                    raise DatasetError(f"{file}: no such file")
                sources.append(CsvSource(file))
                files.append(file)
    return sources, files


__all__ = ["CsvSource", "expand", "fix_entry_name", "zip_sources"]
