"""Query answers as bytes: what a worker process sends back, and the fast path to the wire formats.

A worker serialises the answer with Oxigraph's own (Rust) writers: solutions as W3C TSV,
triples as N-Triples, one per line, so that cutting at ``max_rows`` is cutting lines and the
serialiser can be stopped as soon as the cap is passed. The server turns the bytes into any
SPARQL results or RDF format without building a Python object per term, and
:meth:`EncodedResult.decode` gives the usual :class:`~kg.query.QueryResult` when Python code
needs the terms. Pickling pyoxigraph terms instead costs about 14 µs a row; this path costs
about 1.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Literal as TypingLiteral

import pyoxigraph as ox

from kg.errors import SparqlError
from kg.namespaces import PREFIXES
from kg.query import QueryDataset, QueryResult, ResultKind, Term, evaluate

SolutionFormat = TypingLiteral["json", "xml", "csv", "tsv"]
GraphFormat = TypingLiteral["turtle", "ntriples", "jsonld", "rdfxml", "trig", "nquads"]

SOLUTION_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
}
_WITH_PREFIXES = {ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.RDF_XML, ox.RdfFormat.JSON_LD}


@dataclass(frozen=True, slots=True)
class EncodedResult:
    """One answer: ``body`` is TSV with its header line (SELECT) or N-Triples (CONSTRUCT/DESCRIBE).

    ``rows`` counts the solutions or triples in ``body``; ``truncated`` says that the engine
    had more than that and the rest was cut off at the row cap.
    """

    kind: ResultKind
    variables: tuple[str, ...] = ()
    body: bytes = b""
    boolean: bool = False
    rows: int = 0
    truncated: bool = False

    def decode(self) -> QueryResult:
        """The answer as pyoxigraph terms."""
        if self.kind == "ask":
            return QueryResult("ask", boolean=self.boolean, prefixes=dict(PREFIXES))
        if self.kind == "graph":
            triples = tuple(ox.Triple(q.subject, q.predicate, q.object)
                            for q in ox.parse(self.body, format=ox.RdfFormat.N_TRIPLES))
            return QueryResult("graph", triples=triples, truncated=self.truncated,
                               prefixes=dict(PREFIXES))
        width = range(len(self.variables))
        solutions = ox.parse_query_results(self.body, format=ox.QueryResultsFormat.TSV)
        rows = tuple(tuple(solution[i] for i in width) for solution in solutions)
        return QueryResult("select", self.variables, rows, truncated=self.truncated,
                           prefixes=dict(PREFIXES))

    def serialize(self, fmt: str) -> bytes:
        """The answer in ``fmt``: a key of SOLUTION_FORMATS (SELECT, ASK) or GRAPH_FORMATS."""
        if self.kind == "graph":
            rdf_format = GRAPH_FORMATS[fmt]
            triples = ox.parse(self.body, format=ox.RdfFormat.N_TRIPLES)
            prefixes = PREFIXES if rdf_format in _WITH_PREFIXES else None
            return ox.serialize(triples, format=rdf_format, prefixes=prefixes)
        results_format = SOLUTION_FORMATS[fmt]
        if self.kind == "ask":
            verdict = b'{"head":{},"boolean":' + (b"true" if self.boolean else b"false") + b"}"
            answer = ox.parse_query_results(verdict, format=ox.QueryResultsFormat.JSON)
        else:
            answer = ox.parse_query_results(self.body, format=ox.QueryResultsFormat.TSV)
        return answer.serialize(format=results_format)


class _RowCapReached(Exception):
    """Raised from inside the serialiser to stop it once the cap has been passed."""


class _CappedWriter(io.RawIOBase):
    """Collects serialised lines and stops the writer after ``limit`` complete lines."""

    def __init__(self, limit: int | None) -> None:
        super().__init__()
        self.limit = limit
        self.chunks: list[bytes] = []
        self.lines = 0
        self.capped = False

    def writable(self) -> bool:
        return True

    def write(self, chunk: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        data = bytes(chunk)
        if self.limit is not None and self.lines + data.count(b"\n") > self.limit:
            cut = -1
            for _ in range(self.limit - self.lines):
                cut = data.index(b"\n", cut + 1)
            self.chunks.append(data[:cut + 1])
            self.lines = self.limit
            self.capped = True
            raise _RowCapReached
        self.chunks.append(data)
        self.lines += data.count(b"\n")
        return len(data)

    def body(self) -> bytes:
        return b"".join(self.chunks)


def encode_answer(
    answer: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, max_rows: int | None,
) -> EncodedResult:
    """Serialise an engine answer, keeping at most ``max_rows`` solutions or triples."""
    if isinstance(answer, ox.QueryBoolean):
        return EncodedResult("ask", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        variables = tuple(v.value for v in answer.variables)
        writer = _CappedWriter(None if max_rows is None else max_rows + 1)  # + the header line
        _serialize(answer, writer, ox.QueryResultsFormat.TSV)
        return EncodedResult("select", variables, writer.body(), rows=writer.lines - 1,
                             truncated=writer.capped)
    writer = _CappedWriter(max_rows)
    _serialize(answer, writer, ox.RdfFormat.N_TRIPLES)
    return EncodedResult("graph", body=writer.body(), rows=writer.lines, truncated=writer.capped)


def _serialize(answer: ox.QuerySolutions | ox.QueryTriples, writer: _CappedWriter,
               fmt: ox.QueryResultsFormat | ox.RdfFormat) -> None:
    try:
        answer.serialize(writer, format=fmt)  # type: ignore[arg-type]
    except _RowCapReached:
        pass
    except (OSError, ValueError, TypeError, RuntimeError) as error:  # raised while evaluating
        if not writer.capped:
            raise SparqlError(f"SPARQL error: {error}") from None


def run_query_encoded(
    store: ox.Store,
    sparql: str,
    *,
    max_rows: int | None = None,
    substitutions: dict[str, Term] | None = None,
    dataset: QueryDataset | None = None,
) -> EncodedResult:
    """:func:`kg.query.run_query`, answered as bytes (see the module docstring)."""
    answer = evaluate(store, sparql, substitutions=substitutions, dataset=dataset)
    return encode_answer(answer, max_rows)


def encode_result(result: QueryResult) -> EncodedResult:
    """A result held as terms (a remote store's answer) in the encoded form."""
    if result.kind == "ask":
        return EncodedResult("ask", boolean=result.boolean)
    if result.kind == "graph":
        body = ox.serialize(result.triples, format=ox.RdfFormat.N_TRIPLES)
        return EncodedResult("graph", body=body, rows=len(result.triples), truncated=result.truncated)
    lines = ["\t".join(f"?{name}" for name in result.variables)]
    lines += ["\t".join("" if term is None else tsv_term(term) for term in row) for row in result.rows]
    body = ("\n".join(lines) + "\n").encode("utf-8")
    return EncodedResult("select", result.variables, body, rows=len(result.rows),
                         truncated=result.truncated)


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def tsv_term(term: Term) -> str:
    """One term in the N-Triples syntax of W3C TSV results."""
    if isinstance(term, ox.Literal):
        text = f'"{term.value.translate(_ESCAPES)}"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            return f"{text}^^<{term.datatype.value}>"
        return text
    if isinstance(term, ox.Triple):
        return f"<< {tsv_term(term.subject)} {tsv_term(term.predicate)} {tsv_term(term.object)} >>"
    return str(term)
