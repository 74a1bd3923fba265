"""The public Python API: everything the CLI does, one import away (`import stigraph`)."""
from __future__ import annotations

from pathlib import Path

from stigraph.errors import ExtractionError, QueryError, RegistryError, StoreError, UnknownEntityError, UserError
from stigraph.extract import KINDS as EXTRACT_KINDS
from stigraph.graph.analysis import OVERLAP_KINDS, format_result
from stigraph.ontology.vocabulary import BUDGET_KINDS as _BUDGET_KINDS
from stigraph.builder import operations
from stigraph.builder.update import UpdateSummary
from stigraph.store.manifest import InputRecord
from stigraph.sparql.graph import StiGraph
from stigraph.sparql.entity import EntityInfo, entity_info
from stigraph.interop.export import FORMATS as EXPORT_FORMATS
from stigraph.interop.serve import DEFAULT_HOST as SERVE_DEFAULT_HOST
from stigraph.interop.serve import DEFAULT_PORT as SERVE_DEFAULT_PORT
from stigraph.interop.serve import exposure_warning as serve_exposure_warning
from stigraph.views.analysis_views import ANALYSES as VIEW_ANALYSES

BUDGET_KINDS = tuple(_BUDGET_KINDS)
"""The budget kinds a figure can have (initial, draft, request, supplementary, fund_size …)."""
from stigraph.interop.export import export as _export
from stigraph.graph.projection import to_networkx
from stigraph.sparql.run import execute, read_query_file, render

__all__ = ["BUDGET_KINDS", "EXPORT_FORMATS", "EXTRACT_KINDS", "EntityInfo", "ExtractionError", "InputRecord",
           "OVERLAP_KINDS", "QueryError", "RegistryError", "SERVE_DEFAULT_HOST", "SERVE_DEFAULT_PORT",
           "StiGraph", "StoreError", "UnknownEntityError", "UpdateSummary", "UserError", "VIEW_ANALYSES",
           "build", "chokepoints", "deps", "entity", "export", "extract", "extraction_report",
           "format_entity", "format_inputs", "format_result", "import_files", "inputs", "is_query_name",
           "landscape", "list_queries", "ministries", "open", "overlaps", "parse_params", "push", "query",
           "query_df", "query_named", "query_text", "remove", "run", "run_df", "serve",
           "serve_exposure_warning", "to_networkx", "validate", "view", "view_budget", "view_flows",
           "write_back"]


def open(store: str | Path | None = None) -> StiGraph:  # noqa: A001 - mirrors `stigraph.open`
    """Open the built graph read-only (default store location unless `store` is given).

    >>> g = open()          # doctest: +SKIP
    >>> g.select("SELECT (COUNT(*) AS ?n) WHERE { ?s a stig:Program }")  # doctest: +SKIP
    [{'n': 250}]
    """
    return StiGraph.open(store)


def build(store: str | Path | None = None, registry: list[Path] | None = None, include_derived: bool | None = None,
          docs: list[Path] | None = None, full: bool = False, progress=None, compact: bool = False) -> UpdateSummary:
    """Bring the store up to date with its inputs (a first build: the bundled data), adding `docs`.

    `registry` replaces the registry (remembered by later builds, imports and write-backs);
    `include_derived` True/False adds/removes the bundled facts extracted from the seeds (None: keep);
    each document becomes one input (graph/doc/<file stem>), resolved against the store's registry;
    `full=True` rebuilds a fresh generation from every input; `compact=True` compacts the new generation
    (queries ~25% faster on 1M quads, the build ~20% slower). See `stigraph.builder.operations.build`.

    >>> summary = build("/tmp/stigraph-doc-store")  # doctest: +SKIP
    >>> summary.build.quads > 0  # doctest: +SKIP
    True
    """
    return operations.build(store, registry=registry, include_derived=include_derived, docs=docs, full=full,
                            progress=progress, compact=compact)


def inputs(store: str | Path | None = None) -> list[InputRecord]:
    """The inputs the store was built from (name, kind, graphs, fingerprint, sources, when added).

    >>> [i.name for i in inputs()][:3]  # doctest: +SKIP
    ['ontology', 'registry', 'derived']
    """
    return operations.list_inputs(store)


def remove(names: list[str], store: str | Path | None = None, progress=None) -> UpdateSummary:
    """Take inputs out of the store by name (with every graph they own); the others stay as they are.

    >>> remove(["import/my-data"])  # doctest: +SKIP
    """
    return operations.remove_inputs(list(names), store, progress=progress)


def format_inputs(records: list[InputRecord]) -> str:
    """A table of inputs for people: name, kind, statements, when added, sources."""
    return operations.format_inputs(records)


def query(sparql: str, store: str | Path | StiGraph | None = None, **params: object) -> list[dict[str, object]]:
    """Rows of a SELECT as dicts of Python values; keyword arguments bind variables safely.

    Values become RDF terms (see `stigraph.sparql.run.rdf_term`): "id:jst" is the entity IRI,
    other strings are plain literals, ints and Decimals are numbers.

    >>> rows = query("SELECT ?p WHERE { ?p stig:administeredBy ?agency }", agency="id:jst")  # doctest: +SKIP
    >>> len(rows) > 50  # doctest: +SKIP
    True
    """
    return _graph(store).select(sparql, **params)


def query_df(sparql: str, store: str | Path | StiGraph | None = None, **params: object):
    """Like `query`, as a pandas DataFrame (needs the optional `pandas` extra).

    >>> query_df("SELECT ?p ?l WHERE { ?p a stig:Fund ; skos:prefLabel ?l }").shape[1]  # doctest: +SKIP
    2
    """
    return _dataframe(query(sparql, store, **params), sparql)


def run(name: str, store: str | Path | StiGraph | None = None, **params: str | list[str]) -> list[dict[str, object]]:
    """Rows of a named query of the library (`stigraph query --list`), parameters bound safely.

    >>> rows = run("programs-of-agency", agency="jst")  # doctest: +SKIP
    """
    from stigraph.sparql import library as querylib

    bound = {k: (v if isinstance(v, list) else [v]) for k, v in params.items()}
    return querylib.select_named(_graph(store), name, bound)


def run_df(name: str, store: str | Path | StiGraph | None = None, **params: str | list[str]):
    """Like `run`, as a pandas DataFrame.

    >>> run_df("funds-and-managers").columns.tolist()  # doctest: +SKIP
    ['fund', 'label', 'manager', 'manager_label']
    """
    return _dataframe(run(name, store, **params), name)


def _graph(store: str | Path | StiGraph | None) -> StiGraph:
    return store if isinstance(store, StiGraph) else StiGraph.open(store)


def _dataframe(rows: list[dict[str, object]], what: str):
    try:
        import pandas as pd
    except ImportError:
        raise UserError("pandas is not installed: pip install 'stigraph[pandas]' (or use query()/run() for plain rows)") from None
    return pd.DataFrame.from_records(rows)


def query_text(sparql: str | None = None, file: str | Path | None = None, fmt: str = "table",
               store: str | Path | None = None, allow_service: list[str] | tuple[str, ...] = ()) -> str:
    """Run a query string or .rq file and render it (table/csv/tsv/json; Turtle for CONSTRUCT).

    SERVICE (a federated call to another endpoint) is refused unless its target starts with one of
    the `allow_service` URL prefixes.

    >>> print(query_text("ASK { id:jst a stig:Agency }"))  # doctest: +SKIP
    true
    """
    if bool(sparql) == bool(file):
        raise QueryError("give a SPARQL query string or -f FILE (exactly one)")
    text = read_query_file(file) if file else sparql
    graph = StiGraph.open(store)
    return render(execute(graph.store, text, allow_service=allow_service), fmt)  # type: ignore[arg-type]


def list_queries(fmt: str = "table") -> str:
    """The named queries of the library (stigraph/sparql/queries/*.rq) with their parameters.

    >>> "programs-of-agency" in list_queries()
    True
    """
    import json

    from stigraph.sparql import library as querylib

    queries = querylib.list_queries()
    if fmt == "json":
        return json.dumps([q.as_dict() for q in queries], ensure_ascii=False, indent=2)
    return querylib.format_listing(queries)


def is_query_name(text: str) -> bool:
    """True when `text` names a query of the library rather than being SPARQL."""
    from stigraph.sparql import library as querylib

    return querylib.is_query_name(text)


def query_named(name: str, params: dict[str, list[str] | str] | None = None, fmt: str = "table",
                store: str | Path | None = None, show: bool = False) -> str:
    """Run a named query with its parameters bound safely (as RDF terms in a VALUES block) and render it.

    `show=True` returns the bound query text instead of running it.

    >>> print(query_named("programs-of-agency", {"agency": "jst"}, fmt="csv"))  # doctest: +SKIP
    program,label ...
    """
    from stigraph.sparql import library as querylib

    bound = {k: (v if isinstance(v, list) else [v]) for k, v in (params or {}).items()}
    if show:
        return querylib.bind(querylib.get_query(name), bound)
    return render(querylib.run_named(StiGraph.open(store), name, bound), fmt)  # type: ignore[arg-type]


def export(fmt: str, output: str | Path, graph_name: str | None = None, store: str | Path | None = None) -> list[Path]:
    """Export the graph in `fmt` to `output` ("-" = stdout); returns the files written.

    >>> export("ttl", "stigraph.ttl")  # doctest: +SKIP
    [PosixPath('stigraph.ttl')]
    """
    return _export(StiGraph.open(store), fmt, output, graph_name)


def write_output(path: str | Path, text: str) -> Path:
    """Write `text` to the regular file `path` atomically (temp file + rename); returns the file written.

    Devices, FIFOs, sockets, folders and symlinks to them are refused with a UserError, never replaced.

    >>> write_output("report.txt", "hello")  # doctest: +SKIP
    PosixPath('report.txt')
    """
    from stigraph.outputs import write_atomic

    return write_atomic(path, text)


def check_output(path: str | Path) -> None:
    """UserError unless `path` is somewhere `write_output` may write (checked before slow work starts).

    >>> check_output("/dev/full")  # doctest: +SKIP
    Traceback (most recent call last):
    stigraph.errors.UserError: /dev/full: is a character device, not a regular file; ...
    """
    from stigraph.outputs import output_target

    output_target(path)


def view(title: str = "stigraph", store: str | Path | None = None, *, analysis: str | None = None,
         entity: str | None = None, direction: str = "up", **options):
    """An interactive HTML view (whole graph, focus, filters or an analysis); Jupyter shows it inline.

    Options are those of `stigraph.views.ViewOptions` (focus, depth, limit, classes, themes, years, orgs,
    size, lang, max_nodes, summary). `.write(path)` saves the page. Money charts: `view_budget`, `view_flows`.

    >>> view(focus="jst", depth=1).write("jst.html")  # doctest: +SKIP
    PosixPath('jst.html')
    """
    from stigraph.views import ViewOptions, make_view

    return make_view(store, ViewOptions(title=title, **options), analysis=analysis, entity=entity, direction=direction)


def view_budget(entity: str, store: str | Path | StiGraph | None = None, title: str | None = None):
    """A chart of `entity`'s budget figures by fiscal year and kind, with its parts' figures beside them.

    Amounts in 億円 (exact yen and source line in the tooltips); one HTML file, plotly inlined, offline.

    >>> view_budget("kakenhi").write("kakenhi-budget.html")  # doctest: +SKIP
    PosixPath('kakenhi-budget.html')
    """
    from stigraph.views.money import budget_view

    return budget_view(store, entity, title)


def view_flows(entity: str, year: int | None = None, kind: str | None = None,
               store: str | Path | StiGraph | None = None, title: str | None = None):
    """A Sankey of the money through `entity` (ministry -> budget line -> body that runs it) in one year and kind.

    `kind`: initial, draft, request, supplementary, fund_size, total_cost, target or actual; by default the
    year and kind with the most budget lines.

    >>> view_flows("mext", year=2024).write("mext-flows.html")  # doctest: +SKIP
    PosixPath('mext-flows.html')
    """
    from stigraph.views.money import flows_view

    return flows_view(store, entity, year, kind, title)


def deps(entity: str, direction: str = "up", depth: int | None = None, store: str | Path | StiGraph | None = None):
    """What `entity` depends on (up) or what depends on it (down); each step with predicate and source.

    >>> [s.target for s in deps("moonshot").steps][:2]  # doctest: +SKIP
    ['jst', 'mext']
    """
    from stigraph.graph import analysis

    return analysis.deps(_graph(store), entity, direction, depth)


def chokepoints(top: int = 20, store: str | Path | StiGraph | None = None):
    """The organizations, funds and policies whose loss would cut the most programs (dominators).

    >>> chokepoints(top=3).points[0].id  # doctest: +SKIP
    'mext'
    """
    from stigraph.graph import analysis

    return analysis.chokepoints(_graph(store), top=top)


def overlaps(min_score: float = 0.4, kinds: tuple[str, ...] | None = None, store: str | Path | StiGraph | None = None):
    """Stated overlaps, re-listed measures, jointly run and look-alike programs, each with its reasons.

    >>> overlaps().counts["stated"]  # doctest: +SKIP
    1
    """
    from stigraph.graph import analysis
    from stigraph.graph.analysis.overlaps import KINDS

    return analysis.overlaps(_graph(store), min_score=min_score, kinds=tuple(kinds) if kinds else KINDS)


def ministries(store: str | Path | StiGraph | None = None):
    """The ministries' co-responsibility network over the strategy's measures.

    >>> ministries().pairs[0].ministries  # doctest: +SKIP
    ('cao-sti', 'mext')
    """
    from stigraph.graph import analysis

    return analysis.ministries(_graph(store))


def landscape(top: int = 10, seed: int = 42, betweenness_samples: int | None = None,
              store: str | Path | StiGraph | None = None):
    """Centrality by class, seeded Louvain communities and budget roll-ups.

    >>> landscape(top=5).communities[0].size  # doctest: +SKIP
    120
    """
    from stigraph.graph import analysis

    return analysis.landscape(_graph(store), top=top, seed=seed, betweenness_samples=betweenness_samples)


def write_back(results: list, store: str | Path | None = None, progress=None) -> UpdateSummary:
    """Keep analysis results in the store as inferred findings: one input per analysis (findings/<analysis>,
    graph derived/<analysis>), replacing that analysis' earlier findings; every other input stays.

    >>> write_back([overlaps()])  # doctest: +SKIP
    """
    from stigraph.graph import analysis

    findings = {analysis.analysis_name(r): analysis.derived_quads(r) for r in results}
    return operations.add_findings(findings, store, progress=progress)


def extract(path: str | Path, kind: str = "all", progress=None, tokenizer: str = "rules",
            registry_dir: str | Path | None = None):
    """Budget lines, strategy measures and entity mentions found in one document (text or PDF).

    Nothing is written to the store; `stigraph build --docs` adds the same facts to the graph.
    Budget entries link to the registry in `registry_dir` (default: the bundled one) where their name
    is a registry label; `result.candidate_names()` lists the others.

    >>> [b.amount for b in extract("000_e5eefd47d6133f4f.txt", kind="budget").budgets][:1]  # doctest: +SKIP
    [Decimal('1561000000')]
    """
    from stigraph.extract import extract_file

    return extract_file(path, kind=kind, progress=progress, tokenizer=tokenizer, registry_dir=registry_dir)


def serve(store: str | Path | None = None, host: str = "127.0.0.1", port: int = 7878, timeout_s: float = 30.0,
          log=print, allow_service: list[str] | tuple[str, ...] = ()) -> None:
    """Serve the store read-only over the SPARQL 1.1 Protocol (Oxigraph's server) until interrupted.

    SERVICE is refused unless its target starts with one of the `allow_service` URL prefixes.

    >>> serve(port=7878)  # doctest: +SKIP
    """
    from stigraph.interop import serve as serve_mod

    serve_mod.serve(store, host=host, port=port, timeout_s=timeout_s, log=log, allow_service=allow_service)


def push(endpoint: str, graph_iri: str | None = None, auth: str | None = None, protocol: str = "update",
         batch_size: int = 2000, store: str | Path | StiGraph | None = None, progress=None, timeout: float = 60.0):
    """Load the graph into a SPARQL 1.1 store (Update in batches, or Graph Store PUT); re-push replaces.

    `timeout` (seconds) bounds each wait on the store; errors never show credentials.

    >>> push("http://127.0.0.1:7878/update")  # doctest: +SKIP
    """
    from stigraph.interop.push import push as _push

    return _push(_graph(store), endpoint, graph_iri=graph_iri, auth=auth, protocol=protocol,
                 batch_size=batch_size, timeout=timeout, progress=progress)


def import_files(paths: list[str | Path], graph: str | None = None, store: str | Path | None = None,
                 progress=None) -> UpdateSummary:
    """Add RDF (ttl, nt, nq, trig, jsonld, rdf) or CSV files, each as its own input and named graph (or all in
    `graph`), or review-sheet dataset files (one input per sheet year); the other inputs stay as they are.

    >>> import_files(["my_programs.ttl"])  # doctest: +SKIP
    """
    return operations.import_files(list(paths), store, graph, progress=progress)


def validate(store: str | Path | None = None):
    """Validate the built graph against the SHACL shapes; returns a ValidationReport.

    >>> validate().conforms  # doctest: +SKIP
    True
    """
    from stigraph.validation.shacl import validate as _validate

    return _validate(StiGraph.open(store))


def format_entity(info: EntityInfo) -> str:
    """The text `stigraph show` prints for an entity (labels, relations with sources, budgets)."""
    from stigraph.sparql.entity import format_entity as _format

    return _format(info)


def extraction_report(results: list, fmt: str = "table") -> str:
    """Extraction results as a text table, CSV (one row per finding; cells that could start a formula are
    neutralised) or JSON — what `stigraph extract` prints.

    >>> extraction_report([extract("000_e5eefd47d6133f4f.txt", kind="budget")])  # doctest: +SKIP
    """
    from stigraph.extract.report import render

    return render(results, fmt)


def parse_params(params: tuple[str, ...] | list[str]) -> dict[str, list[str]]:
    """KEY=VALUE strings as {key: [values]} (a key may repeat), for the parameters of a named query.

    >>> parse_params(["agency=jst", "agency=jsps"])
    {'agency': ['jst', 'jsps']}
    """
    from stigraph.sparql import library as querylib

    return querylib.parse_params(tuple(params))


def entity(key: str, store: str | Path | None = None) -> EntityInfo:
    """One entity by id, label or abbreviation, with relations, budgets and source lines.

    >>> entity("JST").classes  # doctest: +SKIP
    ['Agency']
    """
    return entity_info(StiGraph.open(store), key)
