"""Processes seen through /proc (Linux): children of a pid and their state."""
from __future__ import annotations

from pathlib import Path


def _fields(pid: int | str) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def children(pid: int, name: str | None = None) -> list[int]:
    """Pids whose parent is `pid` (only those whose command is `name`, when given)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        fields = _fields(stat.parent.name)
        if fields is None or int(fields[1]) != pid:
            continue
        if name is not None and not stat.read_text().startswith(f"{stat.parent.name} ({name})"):
            continue
        found.append(int(stat.parent.name))
    return found


def state(pid: int) -> str | None:
    """The process state letter (R, S, Z ...), or None once the process is gone."""
    fields = _fields(pid)
    return fields[0] if fields else None
