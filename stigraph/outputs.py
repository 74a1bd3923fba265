"""Writing the files a user asks for (exports, views): whole or not at all, never a half-written file."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from stigraph.errors import UserError


def write_atomic(path: Path, text: str) -> None:
    """Write UTF-8 text to `path` through a temporary file and a rename: never a half-written file."""
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise UserError(f"{path}: folder {directory} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
        os.chmod(tmp, 0o666 & ~_umask())
    except OSError as exc:
        raise UserError(f"{path}: cannot write here ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
