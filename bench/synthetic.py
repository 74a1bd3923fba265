"""Seeded synthetic STI graphs at scale, as N-Quads in the shapes stigraph's loaders produce.

The graph looks like what a user gets after loading every ministry's review sheets over ten
fiscal years: the real ministries and a growing number of agencies with units, programs nested
three deep (program -> sub-program -> project), funds managed by agencies, plans and strategies
with their basis chain, strategy measures with responsible ministries, and budget entries for
FY2016-2025. Every shape mirrors `stigraph/loaders/registry/rdf.py` (entities, relations with an
rdf:Statement node and a stig:source locator, stig:BudgetEntry nodes) and
`stigraph/extract/rdf.py` (measures, extracted locators), one named graph per "file".

Lines are written directly as N-Quads text (building rdflib terms would take longer than loading
them); `check_shapes()` compares the predicates and IRI patterns with what registry_rdf emits.

    python -m bench.synthetic 100000 -o /tmp/syn-100k.nq      # ~100k quads, seed 42
"""
from __future__ import annotations

import argparse
import hashlib
import random
import sys
from pathlib import Path

STIG = "https://w3id.org/stigraph/ontology#"
ID = "https://w3id.org/stigraph/id/"
GRAPH = "https://w3id.org/stigraph/graph/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"
ORG = "http://www.w3.org/ns/org#"

FISCAL_YEARS = tuple(range(2016, 2026))
SEED = 42
GENERATOR_VERSION = "1"  # bump when the output changes, so cached files are regenerated

from bench.synthetic_names import (  # noqa: F401 - re-exported for the benchmark cases
    AGENCIES, COUNCILS, MINISTRIES, PROGRAM_WORDS, PROGRAM_WORDS_EN, SCIENCE_MINISTRIES, THEMES,
)


def _lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


class _Writer:
    """Accumulates unique N-Quads lines; locator and document quads are written once per graph."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._seen: set[tuple[str, str]] = set()

    def __len__(self) -> int:
        return len(self.lines)

    def quad(self, s: str, p: str, o: str, g: str) -> None:
        """Subject and predicate are IRIs (no brackets); the object is already in N-Quads syntax."""
        self.lines.append(f"<{s}> <{p}> {o} <{g}> .\n")

    def once(self, key: str, graph: str) -> bool:
        marker = (key, graph)
        if marker in self._seen:
            return False
        self._seen.add(marker)
        return True

    def seed_locator(self, file_name: str, line: int, graph: str) -> str:
        """registry_rdf.locator_quads for a `file:line` source."""
        stem = file_name.rsplit(".", 1)[0]
        loc = f"{ID}src/{stem}/L{line}"
        if self.once(loc, graph):
            doc = f"{ID}doc/{stem}"
            self.quad(loc, RDF + "type", f"<{STIG}SourceLocator>", graph)
            self.quad(loc, STIG + "provenanceKind", f"<{STIG}SeedLine>", graph)
            self.quad(loc, STIG + "document", f"<{doc}>", graph)
            self.quad(loc, STIG + "line", f'"{line}"^^<{XSD}integer>', graph)
            if self.once(doc, graph):
                self.quad(doc, RDF + "type", f"<{STIG}Document>", graph)
                self.quad(doc, STIG + "fileName", _lit(file_name), graph)
        return loc

    def curated_locator(self, citation: str, graph: str) -> str:
        loc = f"{ID}src/curated/{_digest(citation)}"
        if self.once(loc, graph):
            self.quad(loc, RDF + "type", f"<{STIG}SourceLocator>", graph)
            self.quad(loc, STIG + "provenanceKind", f"<{STIG}Curated>", graph)
            self.quad(loc, DCTERMS + "bibliographicCitation", _lit(citation), graph)
        return loc

    def extracted_locator(self, file_name: str, line: int, graph: str) -> str:
        """extract/rdf.extracted_locator."""
        stem = file_name.rsplit(".", 1)[0]
        loc = f"{ID}src/extracted/{stem}/L{line}"
        if self.once(loc, graph):
            self.quad(loc, RDF + "type", f"<{STIG}SourceLocator>", graph)
            self.quad(loc, STIG + "provenanceKind", f"<{STIG}Extracted>", graph)
            self.quad(loc, STIG + "document", f"<{ID}doc/{stem}>", graph)
            self.quad(loc, STIG + "line", f'"{line}"^^<{XSD}integer>', graph)
        return loc

    def entity(self, ident: str, cls: str, ja: str, en: str, graph: str, source: str | None = None) -> str:
        node = ID + ident
        self.quad(node, RDF + "type", f"<{STIG}{cls}>", graph)
        self.quad(node, SKOS + "prefLabel", _lit(ja) + "@ja", graph)
        self.quad(node, SKOS + "prefLabel", _lit(en) + "@en", graph)
        self.quad(node, STIG + "curatedId", _lit(ident), graph)
        if source:
            self.quad(node, STIG + "source", f"<{source}>", graph)
        return node

    def relation(self, subject: str, predicate: str, obj: str, loc: str, graph: str) -> None:
        """registry_rdf.statement_quads: the triple and its rdf:Statement with the source locator."""
        stmt = f"{ID}stmt/{_digest(subject, predicate, obj)}"
        self.quad(subject, predicate, f"<{obj}>", graph)
        self.quad(stmt, RDF + "type", f"<{RDF}Statement>", graph)
        self.quad(stmt, RDF + "subject", f"<{subject}>", graph)
        self.quad(stmt, RDF + "predicate", f"<{predicate}>", graph)
        self.quad(stmt, RDF + "object", f"<{obj}>", graph)
        self.quad(stmt, STIG + "source", f"<{loc}>", graph)

    def budget(self, ident: str, fiscal_year: int, kind: str, amount: int, loc: str, graph: str,
               previous: int | None = None) -> None:
        """registry_rdf._budget_quads (the previous-year entry is a stated entry of its own here)."""
        subject = ID + ident
        node = f"{ID}budget/{ident}/{fiscal_year}-{kind.lower()}"
        self.quad(subject, STIG + "hasBudget", f"<{node}>", graph)
        self.quad(node, RDF + "type", f"<{STIG}BudgetEntry>", graph)
        self.quad(node, STIG + "budgetOf", f"<{subject}>", graph)
        self.quad(node, STIG + "amount", f'"{amount}"^^<{XSD}decimal>', graph)
        self.quad(node, STIG + "fiscalYear", f'"{fiscal_year}"^^<{XSD}gYear>', graph)
        self.quad(node, STIG + "budgetKind", f"<{STIG}{kind}>", graph)
        self.quad(node, STIG + "source", f"<{loc}>", graph)
        if previous is not None:
            self.quad(node, STIG + "previousAmount", f'"{previous}"^^<{XSD}decimal>', graph)
            self.quad(node, STIG + "previousEntry", f"<{ID}budget/{ident}/{fiscal_year - 1}-{kind.lower()}>", graph)


class _Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.w = _Writer()
        self.agencies: list[tuple[str, str]] = []          # (id, ministry)
        self.units: dict[str, list[str]] = {}
        self.funds: list[str] = []
        self.policies: list[str] = []
        self.programs: list[tuple[str, str]] = []          # (id, ministry) of level-1/2 programs
        self.measures = 0
        self.families = 0
        self.theme_ids = [t[0] for t in THEMES]

    # -- helpers ---------------------------------------------------------------------------
    def review_source(self, ministry: str, fiscal_year: int, graph: str) -> str:
        """A line of one ministry's review sheet for one fiscal year (行政事業レビューシート)."""
        return self.w.seed_locator(f"review_{ministry}_fy{fiscal_year}.txt", self.rng.randint(1, 40000), graph)

    def source(self, ministry: str, graph: str) -> str:
        if self.rng.random() < 0.05:
            return self.w.curated_locator(f"Synthetic curated reference {self.rng.randint(1, 400)}", graph)
        return self.review_source(ministry, self.rng.choice(FISCAL_YEARS), graph)

    def themes(self, node: str, graph: str, k: int) -> None:
        for theme in self.rng.sample(self.theme_ids, k):
            self.w.quad(node, STIG + "hasTheme", f"<{ID}theme/{theme}>", graph)

    def budget_series(self, ident: str, ministry: str, graph: str, base: int, years=FISCAL_YEARS) -> None:
        previous = None
        amount = base
        for fy in years:
            loc = self.w.seed_locator(f"review_{ministry}_fy{fy}.txt", self.rng.randint(1, 40000), graph)
            self.w.budget(ident, fy, "Initial", amount, loc, graph, previous)
            previous = amount
            amount = max(1_000_000, int(amount * self.rng.uniform(0.85, 1.2)) // 1_000_000 * 1_000_000)
        if self.rng.random() < 0.3:
            fy = self.rng.choice(years)
            loc = self.w.seed_locator(f"review_{ministry}_fy{fy}.txt", self.rng.randint(1, 40000), graph)
            self.w.budget(ident, fy, "Supplementary", base // 3 // 1_000_000 * 1_000_000 + 1_000_000, loc, graph)

    # -- the fixed skeleton ----------------------------------------------------------------
    def skeleton(self) -> None:
        w = self.w
        themes_graph = GRAPH + "registry/themes"
        for ident, ja, en in THEMES:
            node = f"{ID}theme/{ident}"
            w.quad(node, RDF + "type", f"<{STIG}Theme>", themes_graph)
            w.quad(node, RDF + "type", f"<{SKOS}Concept>", themes_graph)
            w.quad(node, SKOS + "inScheme", f"<{STIG}Themes>", themes_graph)
            w.quad(node, SKOS + "prefLabel", _lit(ja) + "@ja", themes_graph)
            w.quad(node, SKOS + "prefLabel", _lit(en) + "@en", themes_graph)
            w.quad(node, STIG + "curatedId", _lit(ident), themes_graph)
        orgs = GRAPH + "registry/synthetic-orgs"
        for ident, ja, en in MINISTRIES:
            w.entity(ident, "Ministry", ja, en, orgs, w.seed_locator("ministries.txt", len(w) + 1, orgs))
        for ident, ja, en in COUNCILS:
            w.entity(ident, "Council", ja, en, orgs, w.seed_locator("councils.txt", len(w) + 1, orgs))
        for ident, ja, en, ministry in AGENCIES:
            self.add_agency(ident, ja, en, ministry)
        policies = GRAPH + "registry/synthetic-policy"
        for ident, number, years in (("plan-5", 5, (2016, 2020)), ("plan-6", 6, (2021, 2025))):
            node = w.entity(ident, "Plan", f"第{number}期科学技術・イノベーション基本計画", f"Basic Plan {number}", policies,
                            w.seed_locator("plans.txt", number, policies))
            w.quad(node, STIG + "periodStart", f'"{years[0]}"^^<{XSD}gYear>', policies)
            w.quad(node, STIG + "periodEnd", f'"{years[1]}"^^<{XSD}gYear>', policies)
            w.relation(node, STIG + "decidedBy", ID + "csti", w.seed_locator("plans.txt", 10 + number, policies), policies)
            self.policies.append(ident)
        for fy in FISCAL_YEARS:
            ident = f"strategy-{fy}"
            node = w.entity(ident, "Strategy", f"統合イノベーション戦略{fy}", f"Integrated Innovation Strategy {fy}",
                            policies, w.seed_locator(f"strategy_{fy}.txt", 1, policies))
            w.quad(node, STIG + "dateDecided", f'"{fy}-06"^^<{XSD}gYearMonth>', policies)
            plan = "plan-5" if fy <= 2020 else "plan-6"
            w.relation(node, STIG + "basedOn", ID + plan, w.seed_locator(f"strategy_{fy}.txt", 3, policies), policies)
            w.relation(node, STIG + "decidedBy", ID + "csti", w.seed_locator(f"strategy_{fy}.txt", 2, policies), policies)
            if fy > FISCAL_YEARS[0]:
                w.relation(node, STIG + "succeeds", f"{ID}strategy-{fy - 1}",
                           w.seed_locator(f"strategy_{fy}.txt", 4, policies), policies)
            self.policies.append(ident)

    # -- scaled parts ------------------------------------------------------------------------
    def add_agency(self, ident: str, ja: str, en: str, ministry: str) -> None:
        w = self.w
        graph = f"{GRAPH}registry/synthetic-{ident}"
        node = w.entity(ident, "Agency", ja, en, graph, self.review_source(ministry, 2016, graph))
        w.relation(node, STIG + "underJurisdictionOf", ID + ministry, self.source(ministry, graph), graph)
        units = []
        for k in range(1, self.rng.randint(2, 6) + 1):
            unit = f"{ident}-unit-{k}"
            unode = w.entity(unit, "Unit", f"{ja}第{k}部門", f"{en} division {k}", graph,
                             self.review_source(ministry, 2016, graph))
            w.relation(unode, ORG + "subOrganizationOf", node, self.source(ministry, graph), graph)
            units.append(unit)
        self.agencies.append((ident, ministry))
        self.units[ident] = units

    def add_fund(self) -> None:
        w = self.w
        n = len(self.funds) + 1
        agency, ministry = self.agencies[0] if n == 1 else self.rng.choice(self.agencies)  # fund-1: JST
        graph = f"{GRAPH}registry/synthetic-{agency}"
        ident = f"fund-{n}"
        node = w.entity(ident, "Fund", f"研究開発基金{n}", f"R&D fund {n}", graph, self.review_source(ministry, 2016, graph))
        w.relation(node, STIG + "managedBy", ID + agency, self.source(ministry, graph), graph)
        self.themes(node, graph, 1)
        fy = self.rng.choice(FISCAL_YEARS)
        loc = self.review_source(ministry, fy, graph)
        w.budget(ident, fy, "FundSize", self.rng.randint(50, 5000) * 100_000_000, loc, graph)
        self.funds.append(ident)

    def add_policy(self) -> None:
        w = self.w
        n = len(self.policies) + 1
        graph = GRAPH + "registry/synthetic-policy"
        fy = self.rng.choice(FISCAL_YEARS)
        cls = self.rng.choice(("Strategy", "Strategy", "Guideline", "Law"))
        theme_id, theme_ja, theme_en = self.rng.choice(THEMES)
        ident = f"policy-{n}"
        node = w.entity(ident, cls, f"{theme_ja}戦略{fy}-{n}", f"{theme_en} policy {fy}-{n}", graph,
                        w.seed_locator(f"policy_{n}.txt", 1, graph))
        w.quad(node, STIG + "dateDecided", f'"{fy}"^^<{XSD}gYear>', graph)
        w.quad(node, STIG + "hasTheme", f"<{ID}theme/{theme_id}>", graph)
        basis = f"strategy-{fy}" if self.rng.random() < 0.7 else self.rng.choice(self.policies)
        w.relation(node, STIG + "basedOn", ID + basis, w.seed_locator(f"policy_{n}.txt", 2, graph), graph)
        council = self.rng.choice(COUNCILS)[0]
        w.relation(node, STIG + "decidedBy", ID + council, w.seed_locator(f"policy_{n}.txt", 3, graph), graph)
        self.policies.append(ident)

    def add_measure(self) -> None:
        """extract/rdf.extraction_quads for one measure of an annual strategy document."""
        w = self.w
        self.measures += 1
        n = self.measures
        fy = FISCAL_YEARS[n % len(FISCAL_YEARS)]
        stem = f"strategy_{fy}"
        file_name = f"{stem}.txt"
        graph = f"{GRAPH}doc/{stem}"
        doc = f"{ID}doc/{stem}"
        if w.once(doc, graph):
            w.quad(doc, RDF + "type", f"<{STIG}Document>", graph)
            w.quad(doc, STIG + "fileName", _lit(file_name), graph)
        node = f"{ID}measure/{stem}/m{n}"
        line = 100 + n // len(FISCAL_YEARS) * 3
        loc = w.extracted_locator(file_name, line, graph)
        w.quad(node, RDF + "type", f"<{STIG}Measure>", graph)
        w.quad(node, SKOS + "prefLabel", _lit(f"{stem} §{n % 7 + 1} item {n}") + "@en", graph)
        w.quad(node, STIG + "section", _lit(f"{n % 7 + 1}.{n % 5 + 1}"), graph)
        w.quad(node, STIG + "column", _lit(self.rng.choice(("ja", "en"))), graph)
        w.quad(node, STIG + "source", f"<{loc}>", graph)
        w.quad(node, DCTERMS + "isPartOf", f"<{doc}>", graph)
        tag_loc = w.extracted_locator(file_name, line + 1, graph)
        for ministry in self.rng.sample(SCIENCE_MINISTRIES, self.rng.choice((1, 1, 1, 2, 2, 3))):
            w.relation(node, STIG + "responsibleMinistry", ID + ministry, tag_loc, graph)
        w.relation(node, STIG + "basedOn", f"{ID}strategy-{fy}", loc, graph)
        if n > len(FISCAL_YEARS) and self.rng.random() < 0.1:  # 再掲: relisted from the year before
            w.relation(node, STIG + "overlapsWith", f"{ID}measure/strategy_{fy - 1}/m{n - 1}", loc, graph)
        if self.programs and self.rng.random() < 0.5:
            w.relation(node, STIG + "mentions", ID + self.rng.choice(self.programs)[0], loc, graph)
        self.themes(node, graph, self.rng.choice((1, 1, 2)))

    def add_family(self) -> None:
        """One level-1 program with its sub-programs and projects, and their budgets."""
        w = self.w
        self.families += 1
        f = self.families
        agency, ministry = self.agencies[0] if f == 1 else self.rng.choice(self.agencies)  # prog-1: JST
        graph = f"{GRAPH}registry/synthetic-{agency}"
        word = self.rng.randrange(len(PROGRAM_WORDS))
        top = f"prog-{f}"
        theme_id, theme_ja, theme_en = self.rng.choice(THEMES)
        node = w.entity(top, "Program", f"{theme_ja}{PROGRAM_WORDS[word]}事業{f}",
                        f"{theme_en} {PROGRAM_WORDS_EN[word]} program {f}", graph, self.review_source(ministry, 2016, graph))
        w.quad(node, STIG + "hasTheme", f"<{ID}theme/{theme_id}>", graph)
        w.quad(node, SKOS + "altLabel", _lit(f"P{f}"), graph)
        w.relation(node, STIG + "administeredBy", ID + agency, self.source(ministry, graph), graph)
        w.relation(node, STIG + "basedOn", ID + self.rng.choice(self.policies), self.source(ministry, graph), graph)
        if self.rng.random() < 0.3:
            w.relation(node, STIG + "overseenBy", ID + self.rng.choice(COUNCILS)[0], self.source(ministry, graph), graph)
        if self.funds and self.rng.random() < 0.4:
            w.relation(node, STIG + "fundedBy", ID + self.rng.choice(self.funds), self.source(ministry, graph), graph)
        if f > 1 and self.rng.random() < 0.05:
            w.relation(node, STIG + "succeeds", f"{ID}prog-{f - 1}", self.source(ministry, graph), graph)
        w.quad(node, STIG + "periodStart", f'"{self.rng.choice(FISCAL_YEARS[:5])}"^^<{XSD}gYear>', graph)
        self.budget_series(top, ministry, graph, self.rng.randint(10, 3000) * 100_000_000)
        self.programs.append((top, ministry))
        units = self.units[agency]
        for k in range(1, self.rng.randint(2, 5) + 1):
            sub = f"{top}-{k}"
            snode = w.entity(sub, "Program", f"{theme_ja}{PROGRAM_WORDS[word]}事業{f}-{k}",
                             f"{theme_en} {PROGRAM_WORDS_EN[word]} {f}.{k}", graph, self.review_source(ministry, 2017, graph))
            w.relation(snode, STIG + "partOf", node, self.source(ministry, graph), graph)
            w.relation(snode, STIG + "administeredBy", ID + self.rng.choice(units), self.source(ministry, graph), graph)
            self.themes(snode, graph, 1)
            start = self.rng.randrange(0, 4)
            self.budget_series(sub, ministry, graph, self.rng.randint(1, 300) * 100_000_000, FISCAL_YEARS[start:])
            self.programs.append((sub, ministry))
            for j in range(1, self.rng.randint(2, 8) + 1):
                leaf = f"{sub}-{j}"
                lnode = w.entity(leaf, "Program", f"{theme_ja}研究課題{f}-{k}-{j}", f"{theme_en} project {f}.{k}.{j}",
                                 graph, self.review_source(ministry, 2018, graph))
                w.relation(lnode, STIG + "partOf", snode, self.source(ministry, graph), graph)
                if self.rng.random() < 0.1:
                    other, _ = self.rng.choice(self.agencies)
                    w.relation(lnode, STIG + "collaboratesWith", ID + other, self.source(ministry, graph), graph)
                fy = self.rng.choice(FISCAL_YEARS)
                w.budget(leaf, fy, "TotalCost", self.rng.randint(10, 5000) * 1_000_000,
                         self.review_source(ministry, fy, graph), graph)

    def run(self, target: int) -> list[str]:
        self.skeleton()
        while len(self.w) < target:
            size = len(self.w)
            while len(self.agencies) < len(AGENCIES) + size // 8000:
                n = len(self.agencies) + 1
                self.add_agency(f"agency-{n}", f"研究開発法人{n}", f"R&D agency {n}", self.rng.choice(SCIENCE_MINISTRIES))
            while len(self.funds) < 3 + size // 20000:
                self.add_fund()
            while len(self.policies) < 12 + size // 10000:
                self.add_policy()
            while self.measures < 20 + size // 230:
                self.add_measure()
            self.add_family()
        return self.w.lines


def generate(target: int, seed: int = SEED) -> bytes:
    """About `target` N-Quads (a little more: the last program family is completed), deterministic per seed.

    >>> data = generate(2000); data.count(b"\\n") >= 2000
    True
    """
    return "".join(_Generator(seed).run(target)).encode("utf-8")


def cached(target: int, seed: int = SEED, folder: str | Path = "/tmp/stigraph-bench") -> Path:
    """The N-Quads file for (target, seed), generated once and reused while the generator is unchanged."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    version = _digest(Path(__file__).read_text(encoding="utf-8"))[:8]
    path = folder / f"synthetic-{target}-s{seed}-{version}.nq"
    if not path.exists():
        for stale in folder.glob(f"synthetic-{target}-s{seed}-*.nq"):  # an older generator's output
            stale.unlink()
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(generate(target, seed))
        tmp.replace(path)
    return path


def check_shapes(data: bytes) -> list[str]:
    """stigraph terms the synthetic data uses that the ontology does not declare (empty = consistent).

    Every predicate, class and stig: object IRI must be one the ontology (stigraph.ttl) defines, the
    same vocabulary registry_rdf and the extractors emit.
    """
    import pyoxigraph as ox

    from stigraph.ontology.vocabulary import ontology_path

    ontology = ox.Store()
    ontology.load(path=str(ontology_path()), format=ox.RdfFormat.TURTLE)
    declared = {q.subject.value for q in ontology}
    store = ox.Store()
    store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
    used = set()
    for q in store:
        used.add(q.predicate.value)
        if isinstance(q.object, ox.NamedNode) and q.object.value.startswith(STIG):
            used.add(q.object.value)
    standard = (RDF, SKOS, DCTERMS, ORG)
    return sorted(t for t in used if t not in declared and not t.startswith(standard))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=int, help="number of quads to generate (about)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("-o", "--output", help="N-Quads file to write (default: stdout)")
    args = parser.parse_args(argv)
    data = generate(args.target, args.seed)
    if args.output:
        Path(args.output).write_bytes(data)
        lines = data.count(b"\n")
        print(f"{lines:,} quads, {len(data) / 1e6:.1f} MB -> {args.output}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
