"""Everything stigraph writes for the user goes through here: one safe file writer and one CSV writer.

`write_atomic` writes to regular files only. A device (`/dev/full`), a FIFO, a socket or a folder at
the target path, or a symlink to one of those, is refused with a clear message instead of being
replaced by a regular file; a symlink to a regular file is followed and its target replaced. The
text goes to a temporary file beside the target and is renamed over it, so a reader never sees a
half-written file. `-` (standard output) is for the callers to handle before they get here.

`csv_text` writes CSV/TSV whose cells cannot start a spreadsheet formula (OWASP's CSV injection
advice): a cell that begins with = + - @ (or their full-width forms ＝ ＋ － ＠, which Japanese
spreadsheets also read as formulas), a tab or a carriage return gets a leading single quote, unless
the whole cell is a plain number such as -5, 3.14 or +1e3, which no spreadsheet runs.
"""
from __future__ import annotations

import csv
import io
import os
import re
import stat
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from stigraph.errors import UserError

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_PLAIN_NUMBER = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$")
_KIND = {stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device", stat.S_IFIFO: "a FIFO (named pipe)",
         stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a folder"}


def output_target(path: str | Path) -> Path:
    """The regular file that writing to `path` will create or replace; UserError for anything else.

    A symlink is followed to the file it names; a symlink to nothing, or to a device, FIFO, socket
    or folder, is refused, as are those themselves.

    >>> output_target("/dev/null")
    Traceback (most recent call last):
    ...
    stigraph.errors.UserError: /dev/null: is a character device, not a regular file; give a file path (or - for standard output)
    """
    path = Path(path)
    if str(path).endswith(os.sep) or path.name in ("", ".", ".."):
        raise UserError(f"{path}: is a folder, not a file; give a file path (or - for standard output)")
    linked = path.is_symlink()
    try:
        mode = os.stat(path).st_mode  # follows symlinks, /proc/self/fd/N ones included
    except FileNotFoundError:
        if linked:
            raise UserError(f"{path}: is a symlink to {os.readlink(path)}, which does not exist; give a file path") from None
        mode = None
    except OSError as exc:
        raise UserError(f"{path}: cannot write here ({exc.strerror})") from None
    if mode is not None and not stat.S_ISREG(mode):
        kind = _KIND.get(stat.S_IFMT(mode), "not a regular file")
        via = f" (through the symlink to {os.readlink(path)})" if linked else ""
        raise UserError(f"{path}: is {kind}{via}, not a regular file; give a file path (or - for standard output)")
    target = Path(os.path.realpath(path)) if linked else path
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise UserError(f"{path}: folder {directory} does not exist")
    return target


def write_atomic(path: str | Path, text: str | bytes) -> Path:
    """Write `text` (UTF-8) to the regular file `path` through a temporary file and a rename.

    Returns the file written (the symlink's target when `path` is a symlink to a file).

    >>> import tempfile; p = Path(tempfile.mkdtemp()) / "out.txt"
    >>> write_atomic(p, "hello") == p and p.read_text() == "hello"
    True
    """
    target = output_target(path)
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode) if target.exists() else 0o666 & ~_umask()
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as exc:
        raise UserError(f"{path}: cannot write here ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        output_target(path)  # refuse if a device or FIFO appeared there meanwhile
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise UserError(f"{path}: cannot write here ({exc.strerror})") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def neutralize_cell(value: object) -> str:
    """A CSV cell as text that no spreadsheet reads as a formula (see the module docstring).

    >>> neutralize_cell('=HYPERLINK("http://evil")'), neutralize_cell("-5"), neutralize_cell("@SUM(A1)")
    ('\\'=HYPERLINK("http://evil")', '-5', "'@SUM(A1)")
    >>> neutralize_cell(None), neutralize_cell(1200), neutralize_cell("JST")
    ('', '1200', 'JST')
    """
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]], delimiter: str = ",") -> str:
    """CSV (or TSV with delimiter "\\t") text with a header row; every cell goes through `neutralize_cell`.

    >>> print(csv_text(["name", "amount"], [["=1+1", -5]]), end="")
    name,amount
    '=1+1,-5
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow([neutralize_cell(h) for h in header])
    for row in rows:
        writer.writerow([neutralize_cell(cell) for cell in row])
    return buffer.getvalue()
