#!/usr/bin/env python3
"""Recall audit: how many of the STI entities the seeds name are in the bundled graph.

Method (issue 17): draw random 40-line windows of each seed with a fixed seed, list every named
organization, program, fund, facility, system, policy or event in each window, and check whether the
graph has it: a name counts as present when, after normalisation (NFKC, radicals, whitespace, case),
it equals a prefLabel or altLabel of a curated entity.

The list of names per window is written by a reader into scripts/recall_audit_truth.yaml (the honest
way to measure); an independent candidate finder (scripts/recall_audit_finder.py, no registry
lookups) proposes names, and every candidate of a window must be either listed as an entity or
dismissed in the truth file, so a window cannot be read carelessly. The samples are fixed by
SAMPLE_SEEDS and WINDOWS_PER_SEED: the truth file must describe exactly the windows drawn. Samples
1717, 1718 and 1719 were each read after a curation pass and their misses were then fixed (their
first measurements stay in the truth file); the last sample, HELD_OUT, was drawn and read only when
curation was finished, so its figures are the ones that measure recall.

    python3 scripts/recall_audit.py                      # the report (per sample, per seed, missing names)
    python3 scripts/recall_audit.py --windows 1720       # print a sample's windows to read them
    python3 scripts/recall_audit.py --candidates         # candidates not yet decided in the truth file
    python3 scripts/recall_audit.py --scan 003_1fe72c798f52d037.txt   # curation worklist for a whole seed
"""
from __future__ import annotations

import argparse
import os
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

import yaml  # noqa: E402

from recall_audit_finder import find_candidates, window_text  # noqa: E402
from recall_audit_glossary import seed_glossary  # noqa: E402
from stigraph.extract.mentions import match_form  # noqa: E402
from stigraph.loaders.registry.schema import default_registry_dir, load_registry  # noqa: E402

SEED_FILES = (
    "000_e5eefd47d6133f4f.txt", "001_96db8058257dcf4c.txt", "002_4269acff071cedf2.txt",
    "003_1fe72c798f52d037.txt", "004_2059a86a64d69f4e.txt",
)
SAMPLE_SEEDS = (1717, 1718, 1719, 1720)  # each added before its sample was drawn; the truth file says when
HELD_OUT = 1720
WINDOWS_PER_SEED = 5
WINDOW = 40
TRUTH = REPO / "scripts" / "recall_audit_truth.yaml"


def seeds_dir() -> Path:
    return Path(os.environ.get("STIGRAPH_SEEDS", REPO.parent / "shared" / "seeds"))


def read_seed(name: str) -> list[str]:
    return (seeds_dir() / name).read_text(encoding="utf-8").split("\n")


def sample_windows(seed: int = HELD_OUT, per_seed: int = WINDOWS_PER_SEED) -> list[tuple[str, int]]:
    """(file, first line) of the windows of the sample drawn with `seed`.

    Each file is cut into whole 40-line windows; every sample of SAMPLE_SEEDS draws, per file and
    from its own random stream, windows that no earlier sample of SAMPLE_SEEDS drew, so the held-out
    sample shares no window with the first one.

    >>> sample_windows() == sample_windows() and not set(sample_windows(1719)) & set(sample_windows(1720))
    True
    """
    used: set[tuple[str, int]] = set()
    for earlier in SAMPLE_SEEDS:
        if earlier == seed:
            break
        used |= set(_draw(earlier, per_seed, used))
    return _draw(seed, per_seed, used)


def _draw(seed: int, per_seed: int, used: set[tuple[str, int]]) -> list[tuple[str, int]]:
    windows = []
    for name in SEED_FILES:
        total = len(read_seed(name))
        rng = random.Random(f"{seed}:{name}")
        starts = [s for s in range(1, total - WINDOW + 2, WINDOW) if (name, s) not in used]
        windows += [(name, start) for start in sorted(rng.sample(starts, min(per_seed, len(starts))))]
    return windows


_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2212": "-"})


def key(name: str) -> str:
    """The normalised form names and labels are compared in: `match_form`, one kind of hyphen, lower case.

    >>> key("Ａ−ＳＴＥＰ") == key("A-STEP"), key("Society 5.0の") == key("Society5.0の")
    (True, True)
    """
    return re.sub(r"\s+", "", match_form(str(name)).translate(_DASHES)).lower()


def graph_labels() -> dict[str, set[str]]:
    """{normalised label: entity ids} of every prefLabel and altLabel of the bundled registry."""
    registry = load_registry([default_registry_dir()])
    labels: dict[str, set[str]] = {}
    for ident, entity in registry.entities.items():
        for label in (entity.ja, entity.en):
            labels.setdefault(key(label), set()).add(ident)
    for fact in registry.facts:
        for label in fact.alt:
            labels.setdefault(key(label), set()).add(fact.entity)
    return labels


@dataclass
class WindowResult:
    file: str
    start: int
    present: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    undecided: list[str] = field(default_factory=list)  # finder candidates the truth does not decide
    found_by_finder: int = 0  # truth entities the candidate finder also proposed


def _variants(entry) -> tuple[list[str], list[str]]:
    """(names to look up, forms that must stand in the window) of one truth entry.

    An entry is a name as written, a list of the ways the window writes one entity, or
    {name: ..., written: ...} when the window writes the name with extra characters in between
    (【人文社会】ユニット for 人文社会ユニット).
    """
    if isinstance(entry, dict):
        return [str(entry["name"])], [str(entry["written"])]
    names = [str(v) for v in entry] if isinstance(entry, list) else [str(entry)]
    return names, names


def _decided(candidate: str, names: list[str], dismissed: set[str]) -> bool:
    c = key(candidate)
    if c in dismissed:
        return True
    return any(c == n or (len(c) >= 3 and (c in n or n in c)) for n in names)


def audit(truth: dict, sample: dict, labels: dict[str, set[str]], glossary: list[str]) -> list[WindowResult]:
    """Check every window of one sample of the truth file against the graph labels."""
    general = {key(t) for t in truth.get("general_terms", [])}
    results = []
    for window in sample["windows"]:
        lines = read_seed(window["file"])[window["start"] - 1: window["start"] - 1 + WINDOW]
        result = WindowResult(window["file"], window["start"])
        names: list[str] = []
        text = key(window_text(lines))
        candidates = find_candidates(lines, glossary)
        candidate_keys = {key(c) for c in candidates}
        for entry in window.get("entities") or []:
            variants, written = _variants(entry)
            keys = [key(v) for v in variants + written]
            names += keys
            shown = variants[0]
            if not all(key(w) in text for w in written):
                raise SystemExit(f"{TRUTH.name}: {window['file']}:{window['start']}: {written} not all in the window")
            (result.present if any(key(v) in labels for v in variants) else result.missing).append(shown)
            if any(_decided(c, keys, set()) for c in candidate_keys):
                result.found_by_finder += 1
        dismissed = general | {key(n) for n in window.get("not_entities") or []}
        result.undecided = sorted(c for c in candidates if not _decided(c, names, dismissed))
        results.append(result)
    return results


def load_truth(path: Path = TRUTH) -> dict:
    """The truth file, checked: one sample per seed of SAMPLE_SEEDS, each with exactly the windows drawn."""
    truth = yaml.safe_load(path.read_text(encoding="utf-8"))
    seeds = tuple(sample["seed"] for sample in truth["samples"])
    if seeds != SAMPLE_SEEDS:
        raise SystemExit(f"{path.name}: samples are for seeds {seeds}, the script draws {SAMPLE_SEEDS}")
    for sample in truth["samples"]:
        drawn = sample_windows(sample["seed"], WINDOWS_PER_SEED)
        listed = [(w["file"], w["start"]) for w in sample["windows"]]
        if listed != drawn:
            raise SystemExit(f"{path.name}: sample {sample['seed']} lists other windows than the ones drawn "
                             f"({WINDOWS_PER_SEED} per seed): {drawn}")
    return truth


def report(results: list[WindowResult], seed: int, first: dict | None = None) -> str:
    """Per-seed and overall recall of one sample, and the names it misses.

    `first` is the sample's first measurement as recorded in the truth file (before any fix it prompted).
    """
    out = []
    per_file: dict[str, Counter] = {}
    for r in results:
        c = per_file.setdefault(r.file, Counter())
        c["present"] += len(r.present)
        c["total"] += len(r.present) + len(r.missing)
        c["finder"] += r.found_by_finder
        c["undecided"] += len(r.undecided)
    role = "held-out sample" if seed == HELD_OUT else "earlier sample (its misses were fixed after it was read)"
    out.append(f"recall audit, {role}: seed {seed}, {WINDOWS_PER_SEED} windows of {WINDOW} lines per seed file")
    for name, c in per_file.items():
        share = c["present"] / c["total"] if c["total"] else 1.0
        out.append(f"  {name[:3]}: {c['present']:3d}/{c['total']:3d} present ({share:6.1%}); "
                   f"finder proposed {c['finder']}/{c['total']}; undecided candidates {c['undecided']}")
    present = sum(c["present"] for c in per_file.values())
    total = sum(c["total"] for c in per_file.values())
    out.append(f"  all: {present:3d}/{total:3d} present ({present / total if total else 1:6.1%})")
    if first:
        recorded = ", ".join(f"{k} {v}" for k, v in first["present"].items())
        out.append(f"  first measurement (before the fixes it prompted): {recorded}")
    missing = [(r.file[:3], r.start, m) for r in results for m in r.missing]
    out.append(f"missing ({len(missing)}):" + ("" if missing else " none"))
    out += [f"  {f}:{start}-{start + WINDOW - 1}  {m}" for f, start, m in missing]
    return "\n".join(out)


def scan(name: str, glossary: list[str], labels: dict[str, set[str]]) -> list[tuple[int, str, int]]:
    """(count, candidate, first line) of candidates in a whole seed that are not a graph label."""
    lines = read_seed(name)
    counts: Counter = Counter()
    first: dict[str, int] = {}
    for start in range(0, len(lines), 10):  # overlapping 20-line chunks catch names broken across lines
        for candidate in find_candidates(lines[start:start + 20], glossary):
            if key(candidate) in labels:
                continue
            counts[candidate] += 1
            first.setdefault(candidate, start + 1)
    return sorted(((n, c, first[c]) for c, n in counts.items()), key=lambda t: (-t[0], t[2]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--windows", type=int, metavar="SEED", help="print the windows of a sample (numbered lines)")
    parser.add_argument("--candidates", action="store_true", help="print the finder's undecided candidates per window")
    parser.add_argument("--scan", metavar="SEED_FILE", help="list candidates of a whole seed that are not graph labels")
    args = parser.parse_args(argv)
    glossary = [n for e in seed_glossary(seeds_dir()) for n in (e.abbr, e.ja) if n]
    labels = graph_labels()
    if args.scan:
        for count, candidate, line in scan(args.scan, glossary, labels):
            print(f"{count:4d}  {line:6d}  {candidate}")
        return 0
    if args.windows is not None:
        for name, start in sample_windows(args.windows):
            lines = read_seed(name)[start - 1: start - 1 + WINDOW]
            print(f"===== {name} {start}-{start + WINDOW - 1}")
            print("\n".join(f"{start + i:6d}  {line}" for i, line in enumerate(lines)))
        return 0
    truth = load_truth()
    for sample in truth["samples"]:
        results = audit(truth, sample, labels, glossary)
        if args.candidates:
            for r in results:
                if r.undecided:
                    print(f"{sample['seed']} {r.file}:{r.start}: {' | '.join(r.undecided)}")
            continue
        print(report(results, sample["seed"], sample.get("first_measurement")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
