"""Link review-sheet projects to curated programs by name: a scored guess, stored as an inferred link.

Methods, strongest first (names compared after NFKC with spaces removed):
- `exact-label` (score 1.0) / `exact-alias` (0.95): the project name is the program's label or an alias;
- `label-in-name` / `alias-in-name`: the label (at least 4 characters) stands inside the project name,
  e.g. 戦略的イノベーション創造プログラム(エネルギー分野...); score 0.6 + 0.35 x (label share of the name);
- `shared-run`: the longest run of characters the two share covers at least 80% of the label and is 6
  characters or more, e.g. ムーンショット型研究開発 in ...ムーンショット型研究開発等事業; score 0.5 + 0.3 x coverage.
Links scoring below `MIN_SCORE` are not kept. Short aliases (科研費, SIP) only match exactly: inside a longer
name they hit unrelated words.

>>> from stigraph.loaders.datasets.rs.reference import Reference
>>> m = ProgramMatcher(Reference(programs={"sosei": [("創発的研究支援事業", True)]}))
>>> [(l.program, l.method, l.score) for l in m.match("創発的研究支援事業")]
[('sosei', 'exact-label', Decimal('1.00'))]
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from difflib import SequenceMatcher

from stigraph.loaders.datasets.rs.reference import Reference
from stigraph.loaders.provenance import TYPE, QuadWriter, iri, literal, p
from stigraph.loaders.text import compact
from stigraph.ontology.vocabulary import entity_iri, rs_project_iri, rs_sheet_iri

MIN_SCORE = Decimal("0.60")
MATCH_ANALYSIS = "rs-program-match"
"""The `stig:analysis` value of the links, as the named query rs-program-matches reads it."""
MIN_INSIDE = 4
MIN_RUN = 6
GRAM = 4


@dataclass(frozen=True)
class ProgramLink:
    """One project-to-program link: the program id, how it was found, its score and the label it rests on."""

    program: str
    method: str
    score: Decimal
    label: str


class ProgramMatcher:
    """Matches project names against every program label and alias of a reference (see the module docstring)."""

    def __init__(self, reference: Reference) -> None:
        self.exact: dict[str, list[tuple[str, str, bool]]] = {}
        self.by_gram: dict[str, set[tuple[str, str, bool]]] = {}
        for program, names in reference.programs.items():
            for name, is_label in names:
                key = compact(name)
                if not key:
                    continue
                self.exact.setdefault(key, []).append((program, name, is_label))
                if len(key) >= MIN_INSIDE:
                    for i in range(len(key) - GRAM + 1):
                        self.by_gram.setdefault(key[i:i + GRAM], set()).add((program, key, is_label))

    def match(self, project_name: str) -> list[ProgramLink]:
        """The links of one project name, best first, one per program."""
        name = compact(project_name)
        best: dict[str, ProgramLink] = {}

        def keep(link: ProgramLink) -> None:
            if link.score >= MIN_SCORE and (link.program not in best or link.score > best[link.program].score):
                best[link.program] = link

        for program, label, is_label in self.exact.get(name, []):
            keep(ProgramLink(program, "exact-label" if is_label else "exact-alias",
                             Decimal("1.00") if is_label else Decimal("0.95"), label))
        candidates = set()
        for i in range(len(name) - GRAM + 1):
            candidates |= self.by_gram.get(name[i:i + GRAM], set())
        for program, key, is_label in sorted(candidates):
            if key == name:
                continue
            if key in name:
                share = Decimal(len(key)) / Decimal(len(name))
                keep(ProgramLink(program, "label-in-name" if is_label else "alias-in-name",
                                 (Decimal("0.60") + Decimal("0.35") * share).quantize(Decimal("0.01")), key))
                continue
            run = SequenceMatcher(None, key, name, autojunk=False).find_longest_match(0, len(key), 0, len(name))
            coverage = Decimal(run.size) / Decimal(len(key))
            if run.size >= MIN_RUN and coverage >= Decimal("0.8"):
                keep(ProgramLink(program, "shared-run", (Decimal("0.5") + Decimal("0.3") * coverage)
                                 .quantize(Decimal("0.01")), key))
        return sorted(best.values(), key=lambda link: (-link.score, link.program))


def write_program_links(writer: QuadWriter, sheet_year: int, projects: dict[str, str], reference: Reference, version: str) -> None:
    """Inferred links (stig:Finding, analysis rs-program-match) from this input's projects to curated programs."""
    matcher = ProgramMatcher(reference)
    loc = writer.cited_locator(
        f"inferred by the stigraph RS loader ({version}): review-sheet project names matched to the "
        "registry's program labels and aliases (exact, contained, shared run)", kind="Inferred",
        key=f"rs/{sheet_year}/{MATCH_ANALYSIS}")
    for project_id, name in projects.items():
        project = rs_project_iri(project_id)
        for link in matcher.match(name):
            node_iri = f"{rs_sheet_iri(sheet_year, project_id)}/match/{link.program}"
            node, program = iri(node_iri), entity_iri(link.program)
            quad = writer.quad
            quad(node, TYPE, p("Finding"))
            quad(node, p("analysis"), literal(MATCH_ANALYSIS))
            quad(node, p("findingKind"), literal(link.method))
            quad(node, p("findingSubject"), iri(project))
            quad(node, p("findingObject"), iri(program))
            quad(node, p("involves"), iri(project))
            quad(node, p("involves"), iri(program))
            quad(node, p("score"), literal(link.score))
            quad(node, p("evidence"), literal(f"project {name!r} ~ program name {link.label!r}"))
            writer.sourced(node_iri, loc)


__all__ = ["MATCH_ANALYSIS", "MIN_SCORE", "ProgramLink", "ProgramMatcher", "write_program_links"]
