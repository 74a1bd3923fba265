"""Where stigraph's build spends its time: phase timestamps (both threads), wall and CPU.

    python -m bench.proposed.timeline 1000000      # from the repository root; uses the cached synthetic data

pyinstrument and py-spy sample one thread well but hide the overlap between the on-disk load
thread and the in-memory summary and checks of `stigraph.builder.full.build`; timestamps per phase
show it directly. The phases are traced by wrapping the module's own helpers, the build is unchanged.
"""
from __future__ import annotations

import os
import resource
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.cases import BENCH_REGISTRY
from bench.synthetic import cached
from stigraph.builder import full as build_mod


def main(argv: list[str]) -> int:
    size = int(argv[0]) if argv else 100_000
    data = cached(size, 42, Path(os.environ.get("STIGRAPH_BENCH_DIR", "/tmp/stigraph-bench")))
    work = Path(tempfile.mkdtemp(prefix="stigraph-timeline-"))
    os.environ["XDG_CACHE_HOME"] = str(work / "cache")  # no validation cache: a first build
    started, cpu_started = time.perf_counter(), time.process_time()

    def say(message: str) -> None:
        thread = "disk" if threading.current_thread().name == "stigraph-bulk-load" else "main"
        print(f"{time.perf_counter() - started:7.2f} s  [{thread}] {message}", flush=True)

    def traced(name: str, fn):
        def wrapper(*args, **kwargs):
            say(f"{name} start")
            try:
                return fn(*args, **kwargs)
            finally:
                say(f"{name} end")
        return wrapper

    for attr, label in (("_bulk_load", "bulk load"), ("summarize", "summarize"), ("_refuse_invalid", "SHACL checks")):
        setattr(build_mod, attr, traced(label, getattr(build_mod, attr)))
    # flush + optimize (compaction) run between the end of the disk load and the swap
    build_mod.store_mod.swap_current = traced("swap", build_mod.store_mod.swap_current)
    try:
        summary = build_mod.build(work / "store", registry_paths=[BENCH_REGISTRY], include_derived=False,
                                  extra_chunks=[data.read_bytes()], progress=say)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    print(f"{summary.quads:,} quads: wall {wall:.2f} s, CPU {cpu:.2f} s (both threads), "
          f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB, "
          f"load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
