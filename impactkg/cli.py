"""The ``impactkg`` command: the front door for everything the web app does."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import pyoxigraph as ox

from impactkg import __version__, wiring
from impactkg.settings import SETTINGS, Settings, SettingsError, load_settings
from impactkg.storage_errors import storage_message
from kg import KgError, SparqlError, SparqlSyntaxError, StoreBusyError
from kg.backend import QueryableGraph
from kg.export import EXPORT_FORMATS, export_dataset
from kg.limited import run_query_limited
from kg.namespaces import PREFIXES
from kg.ontology import canned_queries
from kg.results import RESULT_FORMATS, format_result, shorten
from kg.stats import graph_stats
from kg.validate import validate_store

log = logging.getLogger(__name__)


class UserError(click.ClickException):
    """An error the user can fix: one line on stderr, no traceback."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file: Any = None) -> None:
        click.echo(f"Fout / error: {self.format_message()}", err=True)


class ImpactkgGroup(click.Group):
    """Turns the errors a user can cause into :class:`UserError` with a fitting exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SparqlSyntaxError as error:
            raise UserError(str(error), exit_code=2) from None
        except SparqlError as error:
            raise UserError(str(error), exit_code=2) from None
        except StoreBusyError as error:  # also when the store cannot be opened at all
            raise _storage_error(ctx, error) or UserError(str(error), exit_code=3) from None
        except (KgError, SettingsError) as error:
            raise UserError(str(error)) from None
        except Exception as error:
            search = sys.modules.get("search")  # loaded only by the commands that search
            if search is not None and isinstance(error, search.SearchIndexError):
                raise UserError(str(error), exit_code=2) from None
            problem = _storage_error(ctx, error)
            if problem is not None:
                raise problem from None
            raise


def _storage_error(ctx: click.Context, error: BaseException) -> UserError | None:
    """Disk full or no permission on the data directory: one line, exit code 4."""
    settings = ctx.find_object(Settings)
    problem = storage_message(error, settings.data_dir) if settings else None
    return UserError(problem, exit_code=4) if problem else None


def settings_of(ctx: click.Context) -> Settings:
    return ctx.find_object(Settings)  # type: ignore[return-value]


@click.group(cls=ImpactkgGroup)
@click.version_option(__version__, prog_name="impactkg")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("data"),
              envvar="IMPACTKG_DATA_DIR", show_default=True,
              help="Datamap / data directory (graph, indexes, caches).")
@click.option("--setting", "-s", "setting_pairs", nargs=2, multiple=True, metavar="NAME VALUE",
              help="Override a setting for this run (see `impactkg settings`).")
@click.option("-v", "--verbose", is_flag=True, help="Log details to stderr.")
@click.pass_context
def cli(ctx: click.Context, data_dir: Path, setting_pairs: tuple[tuple[str, str], ...],
        verbose: bool) -> None:
    """impactkg: kennisgraaf en zoeken in de lessen van City Deals en Town Deals.

    Knowledge graph and search over the lessons of Dutch City Deals and Town Deals.
    """
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    for chatty in ("bm25s", "trafilatura", "htmldate", "pypdf"):
        logging.getLogger(chatty).setLevel(logging.INFO if verbose else logging.ERROR)
    try:
        ctx.obj = load_settings(data_dir, dict(setting_pairs))
    except SettingsError as error:
        raise UserError(str(error)) from None


@cli.command()
@click.pass_context
def init(ctx: click.Context) -> None:
    """Maak de datamap en laad de ontologie / create the data directory and load the ontology."""
    settings = settings_of(ctx)
    triples, generation = wiring.initialise(settings)
    click.echo(f"Klaar / done: {settings.data_dir} ({triples} triples in ontology and reference "
               f"graphs, generation {generation.id})")


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@click.pass_context
def stats(ctx: click.Context, fmt: str) -> None:
    """Tellingen: triples, grafen, instanties per klasse / counts of the graph."""
    with wiring.open_reader(settings_of(ctx)) as reader:
        figures = graph_stats(reader)
        generation = reader.generation
    if fmt == "json":
        click.echo(json.dumps({**figures.as_dict(), "generation": generation.id}, indent=2))
        return
    click.echo(f"generatie / generation  {generation.id}")
    click.echo(f"quads                   {figures.quads}")
    click.echo(f"grafen / graphs         {figures.graphs}")
    click.echo("instanties per klasse / instances per class:")
    for name, count in figures.instances.items():
        click.echo(f"  {name:<24}{count}")


def read_query_argument(query_or_file: str) -> str:
    """The argument as query text: a path to a .rq file, a canned query name, '-' or the text."""
    if query_or_file == "-":
        return sys.stdin.read()
    path = Path(query_or_file)
    if len(query_or_file) < 4096 and path.suffix in {".rq", ".sparql"}:
        if not path.is_file():
            raise UserError(f"query file not found: {query_or_file}")
        return path.read_text(encoding="utf-8")
    canned = {q.name: q for q in canned_queries()}
    if query_or_file in canned:
        return canned[query_or_file].sparql
    return query_or_file


@cli.command()
@click.argument("query_or_file")
@click.option("--param", "-p", "params", nargs=2, multiple=True, metavar="NAME VALUE",
              help="A parameter of a canned query (see `impactkg queries`), bound as an RDF term.")
@click.option("--format", "fmt", type=click.Choice(RESULT_FORMATS), default="table",
              show_default=True)
@click.option("--time-limit-ms", type=click.IntRange(1), default=None,
              help="Stop the query after this long (setting: sparql_time_limit_ms).")
@click.pass_context
def sparql(ctx: click.Context, query_or_file: str, params: tuple[tuple[str, str], ...], fmt: str,
           time_limit_ms: int | None) -> None:
    """Voer een SPARQL-query uit / run a SPARQL query (text, .rq file, canned name or -).

    The default graph is the union of all named graphs; the prefixes ikg, ikgc, skos, prov,
    dcterms, schema, ... are predeclared. A canned query takes its parameters with
    --param NAME VALUE (an empty value means: all).

    One query per process, so it runs in one worker process that is killed at the time
    limit (a warm pool, as the web app has, would cost the same start-up here).
    """
    settings = settings_of(ctx)
    text = read_query_argument(query_or_file)
    limit_ms = time_limit_ms or settings.sparql_time_limit_ms
    with wiring.open_reader(settings) as reader:
        substitutions = canned_substitutions(query_or_file, params, reader.graph)
        if reader.remote is not None:
            result = reader.remote.query(text, max_rows=settings.max_returned_rows,
                                         substitutions=substitutions or None)
        else:
            result = run_query_limited(
                reader.generation.graph_path, text, max_rows=settings.max_returned_rows,
                time_limit_ms=limit_ms, substitutions=substitutions or None)
    output = format_result(result, fmt)
    click.echo(output, nl=not output.endswith("\n"))
    if result.truncated:
        click.echo(f"afgekapt na / truncated after {settings.max_returned_rows} rows", err=True)


def canned_substitutions(query_or_file: str, params: tuple[tuple[str, str], ...],
                         graph: QueryableGraph) -> dict:
    """The --param values bound for a canned query; exit 2 with one line when one is wrong."""
    from kg.canned import ParameterError, bind_parameters, check_concepts
    from kg.ontology import canned_query

    query = canned_query(query_or_file)
    if query is None:
        if params:
            raise UserError(f"--param is for canned queries (see `impactkg queries`), "
                            f"and {query_or_file!r} is not one", exit_code=2)
        return {}
    try:
        bound = bind_parameters(query.parameters, dict(params))
        check_concepts(query.parameters, bound, graph)
        return bound
    except ParameterError as error:
        raise UserError(str(error), exit_code=2) from None


@cli.command()
@click.pass_context
def queries(ctx: click.Context) -> None:
    """Toon de vaste queries / list the canned queries (run one with `impactkg sparql NAME`)."""
    for query in canned_queries():
        click.echo(f"{query.name:<32}{query.title}" + (f" / {query.title_en}" if query.title_en else ""))
        for parameter in query.parameters:
            click.echo(f"{'':<34}--param {parameter.name} <{parameter.kind}"
                       + (f" {shorten(ox.NamedNode(parameter.range_iri), PREFIXES)}"
                          if parameter.range_iri else "") + f">  {parameter.label}")


@cli.command()
@click.option("--format", "fmt", type=click.Choice(sorted(EXPORT_FORMATS)), default="trig",
              show_default=True)
@click.option("--graph", "graph_iri", default=None, help="Export only this named graph.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: standard output).")
@click.pass_context
def export(ctx: click.Context, fmt: str, graph_iri: str | None, output: Path | None) -> None:
    """Exporteer de graaf / export the dataset as TriG, N-Quads or Turtle."""
    with wiring.open_reader(settings_of(ctx)) as reader:
        if output is None:
            count = export_dataset(reader.store, sys.stdout.buffer, fmt, graph_iri)
            sys.stdout.buffer.flush()
        else:
            tmp = output.with_name(f".{output.name}.tmp")
            with open(tmp, "wb") as handle:
                count = export_dataset(reader.store, handle, fmt, graph_iri)
            tmp.replace(output)
    click.echo(f"{count} {'triples' if fmt == 'turtle' else 'quads'} geëxporteerd / exported",
               err=True)


@cli.command()
@click.option("--strict", is_flag=True, help="Also fail on warnings.")
@click.option("--ontology", "include_ontology", is_flag=True,
              help="Also check the ontology's own labels and definitions (slower).")
@click.option("--max-findings", default=50, show_default=True, help="Findings to print.")
@click.pass_context
def validate(ctx: click.Context, strict: bool, include_ontology: bool, max_findings: int) -> None:
    """Valideer de data met SHACL / validate the data against the SHACL shapes."""
    with wiring.open_reader(settings_of(ctx)) as reader:
        report = validate_store(reader.store, include_ontology)
    for finding in report.findings[:max_findings]:
        click.echo(f"{finding.severity:<9} {finding.focus}  {finding.path}\n          {finding.message}")
    if len(report.findings) > max_findings:
        click.echo(f"... en nog / and {len(report.findings) - max_findings} more")
    click.echo(f"{len(report.violations)} overtredingen / violations, "
               f"{len(report.warnings)} waarschuwingen / warnings")
    if not report.conforms or (strict and report.warnings):
        ctx.exit(1)


@cli.command()
@click.pass_context
def check(ctx: click.Context) -> None:
    """Controleer de gepubliceerde data / check the published generation: the graph opens and
    the search index holds exactly the graph's passages (exit 1 when not)."""
    from impactkg.repair import check_agreement

    settings = settings_of(ctx)
    with wiring.open_reader(settings) as reader:
        assert reader.generation is not None
        agreement = check_agreement(settings, reader.generation, reader)
        click.echo(f"generation {reader.generation.id}: {agreement.line()}")
    if not agreement.agrees:
        ctx.exit(1)


@cli.command()
@click.argument("targets", nargs=-1, required=True)
@click.option("--crawl", is_flag=True, help="Follow links within the same site (URLs).")
@click.option("--max-pages", type=click.IntRange(1), default=None, help="Most pages in a crawl.")
@click.option("--depth", type=click.IntRange(0), default=None, help="Most link steps in a crawl.")
@click.option("--allow-private", is_flag=True,
              help="Allow private, loopback and link-local addresses (intranets, tests).")
@click.option("--prune", is_flag=True, help="Remove documents whose file is gone from a folder.")
@click.option("--force", is_flag=True, help="Process sources even when they are unchanged.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: on a terminal).")
@click.pass_context
def ingest(ctx: click.Context, targets: tuple[str, ...], crawl: bool, max_pages: int | None,
           depth: int | None, allow_private: bool, prune: bool, force: bool,
           progress: bool | None) -> None:
    """Lees bestanden, mappen, URL's of sites in / ingest files, folders, URLs or whole sites."""
    settings = settings_of(ctx)
    wiring.lower_cpu_priority(settings)
    overrides: dict[str, Any] = {"crawl": crawl, "prune": prune, "force": force,
                                 "allow_private": allow_private}
    if max_pages is not None:
        overrides["max_pages"] = max_pages
    if depth is not None:
        overrides["max_depth"] = depth
    options = wiring.ingest_options(settings, **overrides)
    summary, generation = wiring.run_ingest(settings, list(targets), options,
                                            _bar(progress, "ingest", "doc"))
    for outcome in summary.outcomes:
        if outcome.status == "skipped":
            click.echo(f"OVERGESLAGEN / SKIPPED  {outcome.source}: {outcome.message}", err=True)
    for outcome in summary.failed:
        click.echo(f"MISLUKT / FAILED  {outcome.source}: {outcome.message}", err=True)
    click.echo(f"{summary.line()} (generation {generation.id})")
    if summary.failed:
        ctx.exit(1)


def facet_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The facet options search and ask share; they reach the command as ``wiring.search_filters``
    keyword arguments."""
    options = (
        click.option("--deal", "deals", multiple=True, help="Deal IRI or name (repeatable)."),
        click.option("--phase", "phases", multiple=True, help="Phase 1-4 or its concept IRI (repeatable)."),
        click.option("--stage", "stages", multiple=True,
                     help="Chain stage: ambition, policy-strategy, implementation, output, impact."),
        click.option("--doc-type", "doc_types", multiple=True, help="Document type, e.g. cop-report."),
        click.option("--site", "sites", multiple=True, help="Source site (host name or folder)."),
        click.option("--from", "date_from", default="", help="Documents dated from (YYYY[-MM[-DD]])."),
        click.option("--to", "date_to", default="", help="Documents dated until (YYYY[-MM[-DD]])."),
    )
    for option in reversed(options):
        command = option(command)
    return command


def _bar(show: bool | None, desc: str, unit: str) -> Callable[[Any, int], Any]:
    """A progress bar on stderr for the pipeline to wrap its work in (default: on a terminal)."""
    from tqdm import tqdm

    show = sys.stderr.isatty() if show is None else show

    def bar(items: Any, total: int) -> Any:
        return tqdm(items, total=total, desc=desc, unit=unit, disable=not show, file=sys.stderr)

    return bar


@cli.command()
@click.option("--since-version", default=None,
              help="Only documents annotated by an annotator older than this version.")
@click.option("--all", "everything", is_flag=True, help="Annotate every stored document again.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: on a terminal).")
@click.pass_context
def annotate(ctx: click.Context, since_version: str | None, everything: bool,
             progress: bool | None) -> None:
    """Annoteer opgeslagen documenten opnieuw / re-run annotation on stored documents.

    Nothing is fetched or read again. By default only documents annotated by another
    annotator version are done.
    """
    summary, generation = wiring.run_reannotate(
        settings_of(ctx), since_version=since_version, everything=everything,
        progress=_bar(progress, "annotate", "doc"))
    for doc_iri, reason in summary.failed:
        click.echo(f"MISLUKT / FAILED  {doc_iri}: {reason}", err=True)
    click.echo(f"{summary.line()} (generation {generation.id})")
    if summary.failed:
        ctx.exit(1)


@cli.command()
@click.argument("query")
@click.option("--mode", type=click.Choice(["hybrid", "semantic", "keyword"]), default="hybrid",
              show_default=True)
@facet_options
@click.option("--k", type=click.IntRange(1, 200), default=None, help="Number of hits.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@click.pass_context
def search(ctx: click.Context, query: str, mode: str, k: int | None, fmt: str,
           **facets: Any) -> None:
    """Zoek passages / search passages by meaning and by words."""
    from search import BadSearchRequest, SearchIndexError

    settings = settings_of(ctx)
    with wiring.open_reader(settings) as reader:
        try:
            filters = wiring.search_filters(settings, reader, **facets)
            with wiring.open_search(settings, reader) as index:
                hits = index.search(query, mode=mode, filters=filters,
                                    k=k or settings.search_default_k)
        except (BadSearchRequest, SearchIndexError) as error:
            raise UserError(str(error), exit_code=2) from None
    if fmt == "json":
        click.echo(json.dumps({"query": query, "mode": mode,
                               "hits": [hit.to_dict() for hit in hits]}, ensure_ascii=False, indent=2))
        return
    if not hits:
        click.echo("Niets gevonden / no hits.")
    for hit in hits:
        scores = (f"fused {hit.fused_score:.4f}"
                  + (f" · bm25 {hit.keyword_score:.2f} (#{hit.keyword_rank})"
                     if hit.keyword_rank else "")
                  + (f" · vector {hit.vector_score:.3f} (#{hit.vector_rank})"
                     if hit.vector_rank else ""))
        where = " > ".join(hit.heading_path)
        click.echo(f"{hit.rank:>2}. {hit.document_title}" + (f" — {where}" if where else ""))
        click.echo(f"    {hit.document_url}  [{scores}]")
        click.echo("    " + _marked(hit.highlighted))
        click.echo()


def _marked(highlighted_html: str) -> str:
    """Highlighted HTML as terminal text: matched words in [brackets]."""
    import html

    text = highlighted_html.replace("<mark>", "[").replace("</mark>", "]")
    return html.unescape(text)


@cli.command()
@click.argument("question")
@click.option("--mode", type=click.Choice(["hybrid", "semantic", "keyword"]), default="hybrid",
              show_default=True, help="How passages are searched.")
@facet_options
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.pass_context
def ask(ctx: click.Context, question: str, mode: str, fmt: str, **facets: Any) -> None:
    """Stel een vraag / ask a question: a cited answer from the graph and the passages.

    Every sentence of the answer points to its source; when the evidence is weak the answer
    says so and shows the nearest passages instead.
    """
    from ask import AskError
    from search import BadSearchRequest

    settings = settings_of(ctx)
    with wiring.open_reader(settings) as reader:
        try:
            filters = wiring.search_filters(settings, reader, **facets)
            with wiring.open_search(settings, reader) as index:
                answer = wiring.open_answerer(settings, reader, index).answer(
                    question, mode=mode, filters=None if filters.is_empty else filters)
        except (AskError, BadSearchRequest) as error:
            raise UserError(str(error), exit_code=2) from None
    if fmt == "json":
        click.echo(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(answer_text(answer))


def answer_text(answer: Any) -> str:
    """An answer for the terminal: the text with [n], the numbered sources, the resources."""
    import textwrap

    nl = answer.language == "nl"
    lines = []
    if answer.answered:
        lines.append(f"Antwoord / answer ({answer.kind}):")
        lines += textwrap.wrap(answer.text, 96, initial_indent="  ", subsequent_indent="  ")
    else:
        lines.append("Geen goed antwoord gevonden / no good answer found.")
        lines += textwrap.wrap(answer.reason, 96, initial_indent="  ", subsequent_indent="  ")
    if answer.citations:
        lines += ["", "Bronnen / sources:"]
        for citation in answer.citations:
            e = citation.evidence
            lines.append(f"  [{citation.id}] {e.title or e.document_iri}")
            lines.append(f"      {e.source}")
            lines += textwrap.wrap(f"\u201c{e.quote}\u201d", 92, initial_indent="      ",
                                   subsequent_indent="      ")
    elif answer.passages:
        lines += ["", "Dichtstbijzijnde passages / nearest passages:"]
        for number, passage in enumerate(answer.passages, start=1):
            lines.append(f"  {number}. {passage.title} ({passage.source})")
            lines += textwrap.wrap(" ".join(passage.text.split())[:300], 92, initial_indent="      ",
                                   subsequent_indent="      ")
    if answer.resources:
        lines += ["", "In de graaf / in the graph:"]
        for resource in answer.resources:
            lines.append(f"  {resource.type}: {resource.label}  <{resource.iri}>")
    if answer.sparql:
        lines += ["", "SPARQL (" + ("opnieuw uit te voeren met" if nl else "run again with")
                  + " `impactkg sparql -`):"]
        lines += ["  " + line for line in answer.sparql.splitlines()]
    return "\n".join(lines)


@cli.command()
@click.pass_context
def reindex(ctx: click.Context) -> None:
    """Bouw de zoekindex opnieuw uit de graaf / rebuild the search index from the graph.

    Needed after changing embedding_engine or embedding_model; embeddings of unchanged
    text come from the cache.
    """
    passages, generation = wiring.run_reindex(settings_of(ctx))
    click.echo(f"{passages} passages geïndexeerd / indexed (generation {generation.id})")


@cli.command("eval-search")
@click.argument("questions", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--mode", "modes", multiple=True, type=click.Choice(["hybrid", "semantic", "keyword"]),
              help="Modes to score (default: all three).")
@click.option("--split", type=click.Choice(["all", "tuning", "heldout"]), default="all",
              help="Score only the questions of this split (their 'split' field).")
@click.option("--by-group", is_flag=True,
              help="nDCG@10 per group: all, literal, paraphrase, english, fact, names.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_context
def eval_search(ctx: click.Context, questions: Path, modes: tuple[str, ...], split: str,
                by_group: bool, fmt: str) -> None:
    """Meet zoekkwaliteit / score retrieval on a questions file (JSON lines).

    Each line: {"q": "...", "relevant": [document IRIs, source URLs or file paths]}, or graded:
    {"q": "...", "judgments": {document: grade}}. Paths are taken relative to the questions
    file. Prints Recall@5, Recall@10, MRR@10 and nDCG@10 per mode, at document level.
    """
    from search import evaluate, format_group_table, format_table, load_questions, question_groups

    settings = settings_of(ctx)
    try:
        loaded = wiring.resolve_relevant(load_questions(questions), questions.parent)
    except ValueError as error:
        raise UserError(str(error)) from None
    if split != "all":
        loaded = [q for q in loaded if q.split == split]
        if not loaded:
            raise UserError(f"no question in {questions} has split {split!r}")
    with wiring.open_reader(settings) as reader, wiring.open_search(settings, reader) as index:
        scores = evaluate(index, loaded, modes or ("hybrid", "semantic", "keyword"))
    groups = question_groups(loaded)
    if fmt == "json":
        from dataclasses import asdict

        out = {}
        for mode, s in scores.items():
            out[mode] = {k: v for k, v in asdict(s).items() if k != "per_question"}
            out[mode]["groups"] = {g: s.select(m).ndcg_at_10 for g, m in groups.items()}
        click.echo(json.dumps(out, indent=2))
        return
    click.echo(format_table(scores))
    if by_group:
        click.echo("\nnDCG@10 per group:\n")
        click.echo(format_group_table(scores, groups))


@cli.command("eval-ask")
@click.argument("questions", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--split", "splits", multiple=True, help="Only these parts of the set (tune, heldout).")
@click.option("--mode", type=click.Choice(["hybrid", "semantic", "keyword"]), default="hybrid")
@click.option("--errors", is_flag=True, help="Also list the questions answered wrongly.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_context
def eval_ask(ctx: click.Context, questions: Path, splits: tuple[str, ...], mode: str, errors: bool,
             fmt: str) -> None:
    """Meet de antwoorden / score the answerer on a question set (JSON lines).

    Prints, per part of the set: answerable questions with a correct passage among the first
    three citations, unanswerable questions declined, answerable ones answered, and graph
    questions answered exactly. The documents the set names must be ingested (see docs/ask.md).
    """
    from ask.evaluation import evaluate, format_report, load_questions

    settings = settings_of(ctx)
    try:
        loaded = [q for q in load_questions(questions) if not splits or q.split in splits]
    except ValueError as error:
        raise UserError(str(error)) from None
    with wiring.open_reader(settings) as reader, wiring.open_search(settings, reader) as index:
        answerer = wiring.open_answerer(settings, reader, index)
        report = evaluate(lambda question: answerer.answer(question, mode=mode), loaded)
    if fmt == "json":
        click.echo(json.dumps({
            "parts": [part.as_dict() for part in report.parts],
            "questions": [{"id": o.question.id, "split": o.question.split, "kind": o.question.kind,
                           "answered": o.answered, "passage_hit": o.passage_hit,
                           "document_hit": o.document_hit, "exact": o.exact, "cited": list(o.cited)}
                          for o in report.outcomes]}, ensure_ascii=False, indent=2))
        return
    click.echo(format_report(report, errors=errors))


@cli.command("settings")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_context
def list_settings(ctx: click.Context, fmt: str) -> None:
    """Toon alle instellingen en hun waarde / list all settings with their values."""
    settings = settings_of(ctx)
    if fmt == "json":
        click.echo(json.dumps({s.name: settings.values[s.name] for s in SETTINGS}, indent=2))
        return
    for setting in SETTINGS:
        value = settings.values[setting.name]
        click.echo(f"{setting.name:<26}{value!s:<28}{setting.help}")


@cli.command()
@click.option("--host", default=None, help="Address to listen on (setting: host).")
@click.option("--port", default=None, type=int, help="Port to listen on (setting: port).")
@click.pass_context
def serve(ctx: click.Context, host: str | None, port: int | None) -> None:
    """Start de webapp / serve the web app with waitress."""
    from webapp.http_server import create_secure_server

    settings = settings_of(ctx)
    wiring.open_reader(settings).close()  # fail now, with a clear message, if there is no data
    wiring.passive_engine_threads()  # before the engine loads (removed stalls beside an ingest)
    host, port = host or settings.host, port or settings.port
    app = wiring.build_app(settings, warm=True)
    app.test_client().get(f"/api/search?q={wiring.WARM_UP_QUERY}")  # the model and the generation, now
    click.echo(f"impactkg op / at http://{host}:{port}/  (Ctrl+C stopt / stops)")
    create_secure_server(app, host=host, port=port, **wiring.waitress_options(settings)).run()


@cli.command()
@click.pass_context
def routes(ctx: click.Context) -> None:
    """Toon alle adressen van de webapp / list the web app's URL rules (pages and API)."""
    app = wiring.build_app(settings_of(ctx))
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        methods = ",".join(sorted(m for m in rule.methods or () if m not in {"HEAD", "OPTIONS"}))
        click.echo(f"{methods:<8}{rule.rule:<40}{rule.endpoint}")


@cli.command()
@click.argument("path")
@click.pass_context
def get(ctx: click.Context, path: str) -> None:
    """Vraag één pagina op zonder server / run one request through the app (smoke test)."""
    client = wiring.build_app(settings_of(ctx)).test_client()
    response = client.get(path)
    click.echo(response.get_data(as_text=True))
    if response.status_code >= 400:
        ctx.exit(1)


def main() -> None:
    cli(prog_name="impactkg")
