"""Read a document (UTF-8 / CP932 text or PDF) into normalised lines that keep their raw line numbers.

Every extractor works on a `Document`: `raw[i]` is line i+1 as decoded, `lines[i]` the same line after
`stigraph.loaders.text.normalize` (the one normalisation used everywhere). For PDFs the lines of all
pages are numbered in one sequence and `pages[i]` gives the 1-based page of line i+1.
"""
from __future__ import annotations

import codecs
import io
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from stigraph.errors import ExtractionError
from stigraph.loaders.text import normalize

# Encodings we accept from charset-normalizer for text documents (Japanese government sources).
TEXT_ENCODINGS = ["utf_8", "cp932", "shift_jis", "euc_jp", "iso2022_jp", "utf_16", "utf_32"]
_JAPANESE_OR_ASCII = ("utf", "cp932", "shift", "euc", "iso2022", "ascii")


@dataclass
class Document:
    """A decoded document: raw and normalised lines (same length), and the page of each line for PDFs."""

    path: Path
    encoding: str
    raw: list[str]
    lines: list[str]
    pages: list[int] | None = None
    meta: dict = field(default_factory=dict)

    @property
    def stem(self) -> str:
        return self.path.stem

    @property
    def name(self) -> str:
        return self.path.name

    def page(self, line: int) -> int | None:
        """The 1-based page of a 1-based line number (None for text files)."""
        return self.pages[line - 1] if self.pages else None


def _fail(path: Path, message: str) -> ExtractionError:
    return ExtractionError(f"{path}: {message}")


def decode_text(data: bytes, path: Path) -> tuple[str, str]:
    """Decode text bytes, detecting the encoding from the bytes (never from the file name).

    Valid UTF-8 (with or without BOM) is taken as is; anything else goes to charset-normalizer,
    restricted to the encodings Japanese documents use. Raises ExtractionError when nothing fits.

    >>> decode_text("科学技術".encode("cp932"), Path("x.txt"))
    ('科学技術', 'cp932')
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    if not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        if b"\x00" in data:
            raise _fail(path, "binary file (NUL bytes), not a text document or PDF")
        try:
            return data.decode("utf-8"), "utf_8"
        except UnicodeDecodeError:
            pass
    import charset_normalizer  # imported lazily: only non-UTF-8 input needs it

    best = charset_normalizer.from_bytes(data, cp_isolation=TEXT_ENCODINGS).best()
    if best is None or not best.encoding.startswith(_JAPANESE_OR_ASCII):
        raise _fail(path, "cannot detect the text encoding (tried UTF-8, CP932/Shift_JIS, EUC-JP, "
                          "ISO-2022-JP, UTF-16); re-save the file as UTF-8")
    encoding = "cp932" if best.encoding in ("shift_jis", "cp932") else best.encoding
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise _fail(path, f"bytes are not valid {encoding}; re-save the file as UTF-8") from None
    if _control_ratio(text) > 0.05:
        raise _fail(path, "binary file (control characters), not a text document or PDF")
    return text, encoding


def _control_ratio(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    return bad / len(sample)


MAX_STREAM_BYTES = 64 * 2 ** 20
"""A PDF stream (other than an image) may expand to at most this many bytes: a guard against flate bombs."""
_STREAM_START = re.compile(rb"(?<!end)stream\r?\n")
_CHUNK = 1 << 16


def check_streams(data: bytes, path: Path, limit: int = MAX_STREAM_BYTES) -> None:
    """Refuse a PDF with a compressed stream that expands beyond `limit` bytes (a decompression bomb).

    Every Flate stream except images (which text extraction never decodes) is inflated piece by piece
    with a cap, so the check itself never holds more than `limit` bytes. Streams that are not Flate
    (or are encrypted) fail at their first bytes and are skipped.
    """
    for match in _STREAM_START.finditer(data):
        head = data[max(0, match.start() - 4096):match.start()]
        dictionary = head[head.rfind(b"obj"):] if b"obj" in head else head
        if b"/Image" in dictionary:
            continue
        inflater = zlib.decompressobj()
        total, pos = 0, match.end()
        buffer = data[pos:pos + _CHUNK]
        pos += _CHUNK
        while buffer:
            try:
                total += len(inflater.decompress(buffer, limit - total + 1))
            except zlib.error:
                break
            if total > limit:
                raise _fail(path, f"a compressed stream (at byte {match.start()}) expands beyond "
                                  f"{limit // 2 ** 20} MiB: a decompression bomb? not read")
            if inflater.eof:
                break
            if inflater.unconsumed_tail:
                buffer = inflater.unconsumed_tail
            else:
                buffer = data[pos:pos + _CHUNK]
                pos += _CHUNK


def _password_error(exc: BaseException) -> bool:
    names = {"PDFPasswordIncorrect", "PDFEncryptionError", "FileNotDecryptedError", "WrongPasswordError"}
    seen: BaseException | None = exc
    while seen is not None:
        if type(seen).__name__ in names or any(type(a).__name__ in names for a in getattr(seen, "args", ())):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def read_pdf(data: bytes, path: Path, progress: Callable[[int, int], None] | None = None) -> list[list[str]]:
    """Text lines of every page of a PDF in reading order (pdfplumber word positions; pypdf if that fails).

    Pages are laid out and closed one at a time, so memory stays flat with the page count. Raises
    ExtractionError for a truncated, damaged or encrypted file, a decompression bomb, or no text layer.
    """
    tail = data[-2048:]
    if b"%%EOF" not in tail:
        raise _fail(path, "truncated PDF (no %%EOF marker at the end); download the file again")
    check_streams(data, path)
    encrypted_message = "encrypted PDF (it needs a password); decrypt it first, e.g. qpdf --decrypt in.pdf out.pdf"
    pages: list[list[str]] | None = None
    error: Exception | None = None
    try:
        import pdfplumber

        from stigraph.extract.pdf_layout import page_lines

        with pdfplumber.open(io.BytesIO(data)) as pdf:
            total = len(pdf.pages)
            pages = []
            for number, page in enumerate(pdf.pages, 1):
                try:
                    pages.append(page_lines(page))
                finally:
                    page.close()  # drop the page's parsed objects before the next one
                if progress:
                    progress(number, total)
    except Exception as exc:  # pdfminer raises many unrelated types for damaged files
        if _password_error(exc):
            raise _fail(path, encrypted_message) from None
        error = exc
        pages = None
    if pages is None:
        try:
            import pypdf

            reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                raise _fail(path, encrypted_message)
            pages = [(page.extract_text() or "").split("\n") for page in reader.pages]
        except ExtractionError:
            raise
        except Exception as exc:
            if _password_error(exc):
                raise _fail(path, encrypted_message) from None
            raise _fail(path, f"damaged or truncated PDF ({type(error or exc).__name__}); "
                              "download the file again") from None
    if not any(line.strip() for page in pages for line in page):
        raise _fail(path, "PDF has no text layer (scanned images?); run OCR first")
    return pages


def read_document(path: str | Path, progress: Callable[[int, int], None] | None = None) -> Document:
    """Read a text or PDF document into a `Document` with raw and normalised lines.

    >>> import tempfile, os
    >>> p = Path(tempfile.mkdtemp()) / "a.txt"; _ = p.write_bytes("ＳＩＰ\\n⽂".encode("cp932"))
    >>> read_document(p).lines
    ['SIP', '文']
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise _fail(path, "no such file") from None
    except IsADirectoryError:
        raise _fail(path, "is a directory, not a document") from None
    except OSError as exc:
        raise _fail(path, f"cannot read ({exc.strerror})") from None
    if not data.strip():
        raise _fail(path, "empty file; nothing to extract")
    if data.lstrip()[:5] == b"%PDF-":
        page_lines = read_pdf(data, path, progress)
        raw = [line for page in page_lines for line in page]
        pages = [number for number, page in enumerate(page_lines, 1) for _ in page]
        encoding = "pdf"
    else:
        text, encoding = decode_text(data, path)
        raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        pages = None
    lines = normalize("\n".join(raw)).split("\n")
    if len(lines) != len(raw):  # pragma: no cover - normalize keeps line breaks by contract
        lines = [normalize(line) for line in raw]
    return Document(path=path, encoding=encoding, raw=raw, lines=lines, pages=pages)
