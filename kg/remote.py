"""The second graph backend: a remote SPARQL 1.1 endpoint (checked against Virtuoso 7) over HTTP.

Queries are POSTed form-encoded (``query=``, ``update=``); answers come back as the same
:class:`~kg.query.QueryResult` with pyoxigraph terms that the embedded store gives.

A batch cannot be one transaction across HTTP requests, so each replaced graph is uploaded
into a private staging graph first (in chunks the endpoint accepts) and only then switched
into place by one final request of ``MOVE``/``DROP`` operations. A failure while uploading
leaves every target graph as it was; see docs/remote-store.md for what is and is not promised.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import logging
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from http.client import HTTPException
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from kg.backend import SingleWrites
from kg.errors import KgError, QueryTimeoutError, SparqlError, SparqlSyntaxError
from kg.namespaces import PREFIXES
from kg.query import QueryDataset, QueryResult, Term, check_query_allowed
from kg.sparqltext import BARE_WORD, QUERY_FORM, UPDATE_WORD, blank_out
from kg.store import release_writer_lock, take_writer_lock
from kg.terms import Triple, to_ox

log = logging.getLogger(__name__)

STAGING_GRAPH_PREFIX = "urn:impactkg:staging:"
"""Graphs under this prefix hold a batch while it uploads; they are never user graphs."""

VIRTUOSO_SYSTEM_GRAPHS: frozenset[str] = frozenset({
    "http://www.openlinksw.com/schemas/virtrdf#",
    "http://www.w3.org/ns/ldp#",
    "http://localuriqaserver/sparql",
})
"""Graphs a fresh Virtuoso holds for itself: never listed or counted (and never drop them)."""

CHUNK_TRIPLES = 1000
"""Triples per INSERT request: Virtuoso's SPARQL compiler gives up near 5,000."""

RESULTS_JSON = "application/sparql-results+json"
RDF_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
_RDF_FORMATS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}

_PREFIX_DECLARATION = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?\s*:", re.IGNORECASE)
_GROUP = re.compile(r"\{")
_WHERE_GROUP = re.compile(r"(?<![\w?$:])WHERE\s*\{", re.IGNORECASE)
_DEFINE = re.compile(BARE_WORD.format("DEFINE"), re.IGNORECASE)
# Virtuoso's built-in and SQL functions (bif:http_get fetches any URL as the server).
_VIRTUOSO_FUNCTION = re.compile(r"(?<![\w\-.:])(bif|sql):", re.IGNORECASE)
_VIRTUOSO_FUNCTION_IRI = re.compile(
    r"<(bif:|sql:|http://www\.openlinksw\.com/schemas/(bif|sql)#)", re.IGNORECASE)
_SYNTAX_MESSAGE = re.compile(r"syntax error|parse error|SP030|undefined namespace prefix",
                             re.IGNORECASE)
_VIRTUOSO_ERROR_PREFIX = re.compile(r"^Virtuoso \S+ Error ")


class EndpointUnansweredError(KgError):
    """The endpoint could not be reached, or the connection broke before it answered."""


class EndpointTimeoutError(EndpointUnansweredError, QueryTimeoutError):
    """The endpoint did not answer within ``timeout_s`` (it may still be working)."""


@dataclass(frozen=True, slots=True)
class _Operation:
    """One graph of a batch: its new content (ground lines and blank-node groups) or a drop."""

    graph_iri: str
    ground: tuple[str, ...] = ()
    linked: tuple[tuple[str, ...], ...] = ()

    @property
    def has_triples(self) -> bool:
        return bool(self.ground or self.linked)


class RemoteBatch:
    """Graph replacements and removals collected in memory; applied when the batch ends.

    The same interface as :class:`kg.store.Batch`. Terms are converted (and refused) at
    once, inside the ``with`` block, so a bad triple applies nothing.
    """

    def __init__(self) -> None:
        self.operations: list[_Operation] = []
        self.triples_written = 0

    def replace_graph(self, graph_iri: str, triples: Iterable[Triple]) -> None:
        """Make ``graph_iri`` hold exactly ``triples`` once the batch commits."""
        ox.NamedNode(graph_iri)  # refuses an invalid IRI now, as the embedded store does
        ground: list[str] = []
        with_blanks: list[tuple[str, list[str]]] = []
        for s, p, o in triples:
            terms = (to_ox(s), to_ox(p), to_ox(o))
            line = f"{terms[0]} {terms[1]} {terms[2]}"
            blanks = [t.value for t in terms if isinstance(t, ox.BlankNode)]
            if blanks:
                with_blanks.append((line, blanks))
            else:
                ground.append(line)
        self.triples_written += len(ground) + len(with_blanks)
        self.operations.append(_Operation(graph_iri, tuple(ground), _group_by_blank_nodes(with_blanks)))

    def drop_graph(self, graph_iri: str) -> None:
        ox.NamedNode(graph_iri)
        self.operations.append(_Operation(graph_iri))

    def __bool__(self) -> bool:
        return bool(self.operations)


def _group_by_blank_nodes(lines: Sequence[tuple[str, list[str]]]) -> tuple[tuple[str, ...], ...]:
    """Triples that share blank nodes (directly or through others), kept together.

    A blank node label means the same node only within one request, so every triple that
    mentions it must travel in the same INSERT.
    """
    parent: dict[str, str] = {}

    def root(label: str) -> str:
        while parent.setdefault(label, label) != label:
            parent[label] = parent[parent[label]]
            label = parent[label]
        return label

    for _, labels in lines:
        first = root(labels[0])
        for other in labels[1:]:
            parent[root(other)] = first
    groups: dict[str, list[str]] = {}
    for line, labels in lines:
        groups.setdefault(root(labels[0]), []).append(line)
    return tuple(tuple(group) for group in groups.values())


def _chunks(lines: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(lines), size):
        yield lines[start:start + size]


def _pack(groups: Sequence[Sequence[str]], size: int) -> Iterator[list[str]]:
    """Blank-node groups packed into requests of about ``size`` triples (a bigger group alone)."""
    chunk: list[str] = []
    for group in groups:
        if chunk and len(chunk) + len(group) > size:
            yield chunk
            chunk = []
        chunk.extend(group)
    if chunk:
        yield chunk


class RemoteGraphStore(SingleWrites):
    """A graph store behind a SPARQL 1.1 query endpoint and update endpoint.

    ``update_url`` defaults to ``query_url``. ``auth`` is a (user, password) pair answered
    with Basic or Digest authentication, whichever the endpoint asks for (Virtuoso's
    ``/sparql-auth`` asks for Digest). ``timeout_s`` limits every single request.
    ``ignore_graphs`` are the endpoint's own graphs: never listed or counted.
    """

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        *,
        timeout_s: float,
        auth: tuple[str, str] | None = None,
        chunk_triples: int = CHUNK_TRIPLES,
        ignore_graphs: Iterable[str] = VIRTUOSO_SYSTEM_GRAPHS,
    ) -> None:
        if chunk_triples < 1:
            raise ValueError("chunk_triples must be at least 1")
        self.query_url = query_url
        self.update_url = update_url or query_url
        self.timeout_s = timeout_s
        self.chunk_triples = chunk_triples
        self.ignore_graphs = frozenset(ignore_graphs)
        self._opener = _build_opener((self.query_url, self.update_url), auth)

    # -- writing ---------------------------------------------------------------------------

    @contextmanager
    def batch(self) -> Iterator[RemoteBatch]:
        """Collect writes; they are uploaded and switched into place when the block ends."""
        pending = RemoteBatch()
        yield pending
        if pending:
            self._apply(pending.operations)

    def remove_staging_graphs(self) -> list[str]:
        """Drop staging graphs left behind by a writer that died mid-batch; returns their IRIs.

        Only call this while no other batch is being written to the endpoint.
        """
        staging = [g for g in self._all_graphs() if g.startswith(STAGING_GRAPH_PREFIX)]
        if staging:
            self._update(" ;\n".join(f"DROP SILENT GRAPH {ox.NamedNode(g)}" for g in staging))
        return staging

    def _apply(self, operations: Sequence[_Operation]) -> None:
        run = uuid.uuid4().hex[:16]
        switch: list[str] = []
        staged: list[ox.NamedNode] = []
        try:
            for number, operation in enumerate(operations):
                target = ox.NamedNode(operation.graph_iri)
                if not operation.has_triples:
                    switch.append(f"DROP SILENT GRAPH {target}")
                    continue
                staging = ox.NamedNode(f"{STAGING_GRAPH_PREFIX}{run}:{number}")
                staged.append(staging)
                self._upload(staging, operation)
                switch.append(f"MOVE GRAPH {staging} TO {target}")
        except BaseException:
            self._drop_quietly(staged)
            raise
        try:
            self._update(" ;\n".join(switch))
        except EndpointUnansweredError as error:
            # The endpoint may still be switching: removing the staging graphs now could
            # empty targets that are yet to be moved, so they stay for remove_staging_graphs().
            raise EndpointUnansweredError(
                f"{error}; the batch of {len(operations)} graph operations may be partly applied: "
                "write it again, then call remove_staging_graphs()") from None
        except BaseException:
            self._drop_quietly(staged)  # the endpoint answered: it has stopped switching
            raise
        log.debug("batch %s: %d graph operations applied", run, len(operations))

    def _upload(self, staging: ox.NamedNode, operation: _Operation) -> None:
        for lines in _chunks(operation.ground, self.chunk_triples):
            self._update(f"INSERT DATA {{ GRAPH {staging} {{\n" + " .\n".join(lines) + " } }")
        # Blank nodes are refused in INSERT DATA; a template with an empty WHERE mints them.
        for lines in _pack(operation.linked, self.chunk_triples):
            self._update(f"INSERT {{ GRAPH {staging} {{\n" + " .\n".join(lines) + " } } WHERE {}")

    def _drop_quietly(self, graphs: Sequence[ox.NamedNode]) -> None:
        if not graphs:
            return
        try:
            self._update(" ;\n".join(f"DROP SILENT GRAPH {g}" for g in graphs))
        except KgError as error:  # the original error matters more; a later run cleans up
            log.warning("could not remove %d staging graphs (%s); "
                        "RemoteGraphStore.remove_staging_graphs() removes them later", len(graphs), error)

    # -- reading ---------------------------------------------------------------------------

    def graph_iris(self) -> list[str]:
        """The user graphs: without the endpoint's own graphs and without staging graphs."""
        return sorted(g for g in self._all_graphs() if self._is_user_graph(g))

    def has_graph(self, graph_iri: str) -> bool:
        return self.query(f"ASK {{ GRAPH {ox.NamedNode(graph_iri)} {{ ?s ?p ?o }} }}").boolean

    def quad_count(self) -> int:
        """Quads in the user graphs."""
        answer = self.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return sum(int(n.value) for g, n in answer.rows
                   if isinstance(g, ox.NamedNode) and isinstance(n, ox.Literal)
                   and self._is_user_graph(g.value))

    def query(
        self, sparql: str, *, max_rows: int | None = None,
        substitutions: dict[str, Term] | None = None, dataset: QueryDataset | None = None,
    ) -> QueryResult:
        """Evaluate ``sparql`` at the endpoint, as :func:`kg.query.run_query` does locally.

        The common prefixes are predeclared (PREFIX lines are added for the ones the query
        does not declare, on its first line so error line numbers stay right). Refused:
        SERVICE, updates, and Virtuoso's DEFINE pragmas and bif:/sql: functions, which can
        make the endpoint fetch other hosts. ``substitutions`` become a VALUES block at the
        start of the WHERE group. At most ``max_rows`` solutions or triples are kept.
        ``dataset`` is sent as the protocol's ``default-graph-uri``/``named-graph-uri``.
        """
        check_query_allowed(sparql)
        code = blank_out(sparql, keep_iris=True)  # the same length: positions still match
        bare = blank_out(sparql, keep_iris=False)
        _check_no_virtuoso_extensions(code, bare)
        form = _query_form(bare)
        text = _declare_prefixes(_bind(sparql, bare, form, substitutions), bare)
        if form in ("construct", "describe"):
            body, media_type = self._post(self.query_url, "query", text, RDF_ACCEPT, dataset)
            return _graph_result(self.query_url, body, media_type, max_rows)
        body, _ = self._post(self.query_url, "query", text, RESULTS_JSON, dataset)
        return _solutions_result(self.query_url, body, form, max_rows)

    def close(self) -> None:
        """Nothing to release: every request opens and closes its own connection."""

    def __enter__(self) -> RemoteGraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _all_graphs(self) -> list[str]:
        # Not SELECT DISTINCT: Virtuoso 7.2 takes up to a minute for that once graphs have
        # been dropped or moved, and milliseconds for the GROUP BY.
        answer = self.query("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return [g.value for (g,) in answer.rows if isinstance(g, ox.NamedNode)]

    def _is_user_graph(self, graph_iri: str) -> bool:
        return graph_iri not in self.ignore_graphs and not graph_iri.startswith(STAGING_GRAPH_PREFIX)

    # -- HTTP ------------------------------------------------------------------------------

    def _update(self, text: str) -> None:
        self._post(self.update_url, "update", text, RESULTS_JSON)

    def _post(self, url: str, field: str, text: str, accept: str,
              dataset: QueryDataset | None = None) -> tuple[bytes, str]:
        fields = [(field, text)]
        if dataset:
            fields += [("default-graph-uri", str(ox.NamedNode(g))[1:-1]) for g in dataset.default_graphs]
            fields += [("named-graph-uri", str(ox.NamedNode(g))[1:-1]) for g in dataset.named_graphs]
        request = urllib.request.Request(
            url,
            data=urllib.parse.urlencode(fields).encode("utf-8"),
            headers={
                "Accept": accept,
                "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8",
                "User-Agent": "impactkg",
            },
            method="POST",
        )
        try:
            with self._opener.open(request, timeout=self.timeout_s) as response:
                return response.read(), response.headers.get_content_type()
        except urllib.error.HTTPError as error:
            raise _http_error(url, field, error) from None
        except TimeoutError:
            raise EndpointTimeoutError(
                f"the SPARQL endpoint {url} did not answer within {self.timeout_s:g} s") from None
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError):
                raise EndpointTimeoutError(
                    f"the SPARQL endpoint {url} did not answer within {self.timeout_s:g} s") from None
            raise EndpointUnansweredError(
                f"cannot reach the SPARQL endpoint {url}: {error.reason}") from None
        except (OSError, HTTPException) as error:
            raise EndpointUnansweredError(f"cannot reach the SPARQL endpoint {url}: {error}") from None


class RemoteWriter(RemoteGraphStore):
    """The writer of a data directory whose graph is in a remote store.

    It takes the data directory's writer lock as the embedded store does (one writer: the
    indexes are still local), and publishes generations that hold the indexes only.
    """

    def __init__(self, data_dir: Path, query_url: str, update_url: str | None = None, *,
                 timeout_s: float, auth: tuple[str, str] | None = None) -> None:
        super().__init__(query_url, update_url, timeout_s=timeout_s, auth=auth)
        self.data_dir = data_dir
        data_dir.mkdir(parents=True, exist_ok=True)
        self._lock_file: IO[str] | None = take_writer_lock(data_dir)

    def checkpoint(self, target: Path) -> bool:
        """Nothing to copy: the endpoint keeps the graph and does its own isolation."""
        return False

    def close(self) -> None:
        if self._lock_file is not None:
            release_writer_lock(self._lock_file)
            self._lock_file = None


def _build_opener(urls: Iterable[str], auth: tuple[str, str] | None) -> urllib.request.OpenerDirector:
    handlers: list[urllib.request.BaseHandler] = []
    if all(_is_loopback(url) for url in urls):
        handlers.append(urllib.request.ProxyHandler({}))  # a proxy cannot reach our loopback
    if auth is not None:
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        for url in urls:
            passwords.add_password(None, url, auth[0], auth[1])
        handlers += [urllib.request.HTTPBasicAuthHandler(passwords),
                     urllib.request.HTTPDigestAuthHandler(passwords)]
    return urllib.request.build_opener(*handlers)


def _is_loopback(url: str) -> bool:
    host = urllib.parse.urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _http_error(url: str, field: str, error: urllib.error.HTTPError) -> KgError:
    try:
        body = error.read().decode("utf-8", "replace")
    except (OSError, HTTPException):
        body = ""
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    is_text = error.headers is not None and error.headers.get_content_type() == "text/plain"
    message = _VIRTUOSO_ERROR_PREFIX.sub("", lines[0])[:300] if lines and is_text else ""
    if error.code in (401, 403):
        hint = ("grant SPARQL_UPDATE to the endpoint's user or pass auth" if field == "update"
                else "check the credentials")
        return KgError(f"the SPARQL endpoint {url} refused access (HTTP {error.code}): {hint}")
    if not message:
        return KgError(f"the SPARQL endpoint {url} answered HTTP {error.code} {error.reason}")
    if field == "update":
        return SparqlError(f"the SPARQL endpoint {url} refused an update: {message}")
    if error.code == 400 and _SYNTAX_MESSAGE.search(message) and "memory exhausted" not in message:
        return SparqlSyntaxError(f"SPARQL syntax error: {message}")
    return SparqlError(f"SPARQL error: {message}")


# -- query text -----------------------------------------------------------------------------

def _check_no_virtuoso_extensions(code: str, bare: str) -> None:
    """Refuse pragmas and functions with which a query makes Virtuoso call other hosts."""
    if _DEFINE.search(bare):
        raise SparqlError("DEFINE pragmas (Virtuoso extensions) are not allowed here")
    if _VIRTUOSO_FUNCTION_IRI.search(code) or _VIRTUOSO_FUNCTION.search(bare):
        raise SparqlError("Virtuoso's bif: and sql: functions are not allowed here")


def _query_form(bare: str) -> str:
    """select, ask, construct or describe; an update is refused as it is by the embedded store."""
    update = UPDATE_WORD.search(bare)
    if update:
        raise SparqlSyntaxError(
            f"SPARQL syntax error: {update.group(1).upper()} is an update, and only queries "
            "are allowed here")
    form = QUERY_FORM.search(bare)
    return form.group(1).lower() if form else "select"  # the endpoint reports what is wrong


def _declare_prefixes(sparql: str, bare: str) -> str:
    declared = {name or "" for name in _PREFIX_DECLARATION.findall(bare)}
    missing = [f"PREFIX {name}: {ox.NamedNode(iri)}" for name, iri in PREFIXES.items()
               if name not in declared]
    return " ".join([*missing, sparql]) if missing else sparql


def _bind(sparql: str, bare: str, form: str, substitutions: dict[str, Term] | None) -> str:
    """Bind variables with a VALUES block at the start of the query's WHERE group.

    Inside the group rather than after the query: Virtuoso applies a trailing VALUES after
    projection, so it could not bind a variable that is not selected.
    """
    if not substitutions:
        return sparql
    for name, value in substitutions.items():
        if not isinstance(value, ox.NamedNode | ox.Literal):
            raise SparqlError(f"cannot bind ?{name} to {value!r}: only IRIs and literals")
    names = " ".join(f"?{name}" for name in substitutions)
    values = " ".join(str(value) for value in substitutions.values())
    block = f" VALUES ({names}) {{ ({values}) }} "
    form_at = QUERY_FORM.search(bare)
    start = form_at.end() if form_at else 0
    opening = (_WHERE_GROUP.search(bare, start) if form == "construct"
               else _GROUP.search(bare, start))
    if opening is None:
        raise SparqlError("cannot bind variables in a query without a WHERE group")
    return sparql[:opening.end()] + block + sparql[opening.end():]


# -- answers ----------------------------------------------------------------------------------

def _solutions_result(url: str, body: bytes, form: str, max_rows: int | None) -> QueryResult:
    try:
        answer = json.loads(body)
        if "boolean" in answer:
            return QueryResult(kind="ask", boolean=bool(answer["boolean"]), prefixes=dict(PREFIXES))
        variables = tuple(answer["head"].get("vars", ()))
        bindings = answer["results"]["bindings"]
        if form == "ask":  # Virtuoso without CaseMode=2 answers ASK with one row
            first = bindings[0][variables[0]]["value"] if bindings and variables else "0"
            return QueryResult(kind="ask", boolean=first in ("1", "true"), prefixes=dict(PREFIXES))
        truncated = max_rows is not None and len(bindings) > max_rows
        rows = tuple(
            tuple(_term(binding[name]) if name in binding else None for name in variables)
            for binding in (bindings[:max_rows] if truncated else bindings)
        )
    except (ValueError, KeyError, TypeError, IndexError, AttributeError) as error:
        raise SparqlError(f"SPARQL error: the answer of {url} could not be read: {error}") from None
    return QueryResult("select", variables, rows, truncated=truncated, prefixes=dict(PREFIXES))


def _term(binding: dict) -> Term:
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        if value.startswith(("nodeID://", "_:")):  # Virtuoso's blank nodes in some answers
            return ox.BlankNode(_blank_id(value))
        return ox.NamedNode(value)
    if kind in ("literal", "typed-literal"):
        if binding.get("xml:lang"):
            return ox.Literal(value, language=binding["xml:lang"])
        if binding.get("datatype"):
            return ox.Literal(value, datatype=ox.NamedNode(binding["datatype"]))
        return ox.Literal(value)
    if kind == "bnode":
        return ox.BlankNode(_blank_id(value))
    if kind == "triple":
        return ox.Triple(_term(value["subject"]), _term(value["predicate"]),  # type: ignore[arg-type]
                         _term(value["object"]))
    raise ValueError(f"unknown term type {kind!r}")


def _blank_id(value: str) -> str:
    """A valid blank node id for Virtuoso's ``nodeID://b10001`` (and any other form)."""
    label = value.removeprefix("nodeID://").removeprefix("_:")
    try:
        return ox.BlankNode(label).value
    except ValueError:
        return "b" + hashlib.sha1(label.encode("utf-8")).hexdigest()[:16]


def _graph_result(url: str, body: bytes, media_type: str, max_rows: int | None) -> QueryResult:
    rdf_format = _RDF_FORMATS.get(media_type)
    if rdf_format is None:
        raise SparqlError(f"SPARQL error: {url} answered a graph query with {media_type}")
    triples: list[ox.Triple] = []
    try:
        for quad in ox.parse(body, format=rdf_format):
            if max_rows is not None and len(triples) >= max_rows:
                return QueryResult("graph", triples=tuple(triples), truncated=True,
                                   prefixes=dict(PREFIXES))
            triples.append(ox.Triple(quad.subject, quad.predicate, quad.object))
    except (SyntaxError, ValueError) as error:
        raise SparqlError(f"SPARQL error: the answer of {url} could not be read: {error}") from None
    return QueryResult("graph", triples=tuple(triples), prefixes=dict(PREFIXES))
