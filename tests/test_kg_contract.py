"""The contract every graph writer keeps (kg.backend.GraphWriter): one test class, two backends.

``GraphWriterContract`` holds the tests; each backend subclasses it with a ``backend`` fixture
that yields a fresh, empty store: the embedded Oxigraph :class:`kg.store.GraphStore`, and
:class:`kg.remote.RemoteGraphStore` on a private Virtuoso (tests/virtuoso.py). Remote-only
behaviour (staged uploads, HTTP errors) is tested below the contract.

Virtuoso changes lexical forms (language tags lower-cased, decimals canonical), so terms are
compared by value.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import virtuoso
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDFS, SH

from kg.backend import GraphWriter
from kg.errors import KgError, QueryTimeoutError, SparqlError, SparqlSyntaxError
from kg.namespaces import IKG
from kg.remote import (
    STAGING_GRAPH_PREFIX,
    VIRTUOSO_SYSTEM_GRAPHS,
    EndpointUnansweredError,
    RemoteGraphStore,
)
from kg.store import GraphStore
from kg.terms import from_ox, to_ox

virtuoso_endpoint = virtuoso.virtuoso_endpoint  # the session fixture, requested by name below

EX = "https://example.org/contract/"
G1, G2, G3 = EX + "g1", EX + "g2", EX + "g3"
A = URIRef(EX + "a")
XS = "http://www.w3.org/2001/XMLSchema#"  # not rdflib's XSD: pytest's collection pokes it
INTEGER = XS + "integer"

TRIPLES = [
    (A, URIRef(EX + "b"), URIRef(EX + "c")),
    (A, RDFS.label, Literal("Fietsen voor iedereen", lang="nl")),
    (A, RDFS.label, Literal("Cycling for everyone", lang="en-GB")),
    (A, IKG.position, Literal(3, datatype=INTEGER)),
    (A, URIRef(EX + "negative"), Literal(-12, datatype=INTEGER)),
    (A, URIRef(EX + "date"), Literal("2024-03-05", datatype=XS + "date")),
    (A, URIRef(EX + "confidence"), Literal("0.50", datatype=XS + "decimal")),
    (A, URIRef(EX + "curated"), Literal(True)),
    (A, URIRef(EX + "note"), Literal('met "aanhalingstekens"\nen een regel')),
    (A, URIRef(EX + "quote"), Literal("it's a 'quote' \\ backslash\ttab")),
    (A, URIRef(EX + "unicode"), Literal("ideeën – Zuid-Holland € ✓ 😀")),
    (A, URIRef(EX + "empty"), Literal("")),
]


def value(term: object) -> object:
    """A term as a comparable value: IRIs as text, literals by value (not lexical form)."""
    if term is None:
        return None
    if isinstance(term, URIRef | Literal | BNode):
        term = to_ox(term)
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:"
    if isinstance(term, ox.Literal):
        if term.language:
            return (term.value, term.language.lower())
        return (from_ox(term).toPython(), term.datatype.value)  # type: ignore[union-attr]
    raise TypeError(term)


def triple_values(triples: Iterable[tuple]) -> set[tuple]:
    return {(value(s), value(p), value(o)) for s, p, o in triples}


def graph_content(store: GraphWriter, graph_iri: str) -> set[tuple]:
    rows = store.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph_iri}> {{ ?s ?p ?o }} }}").rows
    return {tuple(value(term) for term in row) for row in rows}


class GraphWriterContract:
    """What every backend must do; a subclass supplies ``backend``: a fresh, empty store."""

    def test_starts_empty(self, backend: GraphWriter) -> None:
        assert backend.graph_iris() == []
        assert backend.quad_count() == 0
        assert not backend.has_graph(G1)

    def test_replace_graph_round_trips_terms(self, backend: GraphWriter) -> None:
        assert backend.replace_graph(G1, TRIPLES) == len(TRIPLES)
        assert graph_content(backend, G1) == triple_values(TRIPLES)
        assert backend.has_graph(G1)
        assert backend.quad_count() == len(TRIPLES)

    def test_replace_graph_replaces(self, backend: GraphWriter) -> None:
        backend.replace_graph(G1, TRIPLES)
        backend.replace_graph(G2, TRIPLES[:2])
        backend.replace_graph(G1, TRIPLES[3:5])
        assert graph_content(backend, G1) == triple_values(TRIPLES[3:5])
        assert graph_content(backend, G2) == triple_values(TRIPLES[:2])
        assert backend.quad_count() == 4

    def test_replace_with_nothing_removes_the_graph(self, backend: GraphWriter) -> None:
        backend.replace_graph(G1, TRIPLES)
        assert backend.replace_graph(G1, []) == 0
        assert not backend.has_graph(G1)
        assert backend.graph_iris() == []

    def test_drop_graph_removes_only_that_graph(self, backend: GraphWriter) -> None:
        backend.replace_graph(G1, TRIPLES)
        backend.replace_graph(G2, TRIPLES[:1])
        backend.drop_graph(G1)
        backend.drop_graph(G3)  # never written: not an error
        assert not backend.has_graph(G1)
        assert backend.graph_iris() == [G2]
        assert backend.quad_count() == 1

    def test_graph_iris_lists_exactly_the_user_graphs(self, backend: GraphWriter) -> None:
        for graph in (G3, G1, G2):
            backend.replace_graph(graph, TRIPLES[:1])
        assert backend.graph_iris() == [G1, G2, G3]

    def test_batch_applies_all_its_operations(self, backend: GraphWriter) -> None:
        backend.replace_graph(G1, TRIPLES)
        with backend.batch() as batch:
            batch.drop_graph(G1)
            batch.replace_graph(G2, TRIPLES[:2])
            batch.replace_graph(G3, TRIPLES[:1])
            batch.replace_graph(G3, TRIPLES[1:3])  # the later one wins
        assert batch.triples_written == 5
        assert backend.graph_iris() == [G2, G3]
        assert graph_content(backend, G3) == triple_values(TRIPLES[1:3])

    def test_batch_that_raises_applies_nothing(self, backend: GraphWriter) -> None:
        backend.replace_graph(G1, TRIPLES)
        with pytest.raises(RuntimeError), backend.batch() as batch:
            batch.drop_graph(G1)
            batch.replace_graph(G2, TRIPLES)
            raise RuntimeError("annotation failed halfway")
        assert backend.graph_iris() == [G1]
        assert graph_content(backend, G1) == triple_values(TRIPLES)

    def test_batch_with_an_unstorable_term_applies_nothing(self, backend: GraphWriter) -> None:
        backend.replace_graph(G1, TRIPLES)
        with pytest.raises(ValueError), backend.batch() as batch:
            batch.drop_graph(G1)
            batch.replace_graph(G2, [(A, URIRef(EX + "p"), URIRef("not an iri"))])
        assert backend.graph_iris() == [G1]
        assert backend.quad_count() == len(TRIPLES)

    def test_blank_nodes_keep_their_structure(self, backend: GraphWriter) -> None:
        shape, first, second = URIRef(EX + "Shape"), BNode(), BNode()
        backend.replace_graph(G1, [
            (shape, SH.property, first), (first, SH.path, URIRef(EX + "p")),
            (first, SH.minCount, Literal(1)),
            (shape, SH.property, second), (second, SH.path, URIRef(EX + "q")),
        ])
        rows = backend.query(f"""SELECT ?path ?min WHERE {{ GRAPH <{G1}> {{
            <{shape}> sh:property ?b . ?b sh:path ?path OPTIONAL {{ ?b sh:minCount ?min }} }} }}""").rows
        assert {(value(p), value(m)) for p, m in rows} == {
            (EX + "p", (1, INTEGER)), (EX + "q", None)}

    def test_select_has_the_same_shape(self, backend: GraphWriter) -> None:
        backend.replace_graph(G1, TRIPLES)
        answer = backend.query(f"""SELECT ?label ?missing WHERE {{
            GRAPH <{G1}> {{ <{A}> rdfs:label ?label OPTIONAL {{ <{A}> <{EX}nothing> ?missing }} }}
        }} ORDER BY ?label""")
        assert answer.kind == "select"
        assert answer.variables == ("label", "missing")
        assert all(isinstance(label, ox.Literal) and missing is None for label, missing in answer.rows)
        assert [value(label) for label, _ in answer.rows] == [
            ("Cycling for everyone", "en-gb"), ("Fietsen voor iedereen", "nl")]
        assert not answer.truncated

    def test_ask_has_the_same_shape(self, backend: GraphWriter) -> None:
        backend.replace_graph(G1, TRIPLES)
        yes = backend.query(f"ASK {{ GRAPH <{G1}> {{ <{A}> ?p ?o }} }}")
        no = backend.query(f"ASK {{ GRAPH <{G2}> {{ <{A}> ?p ?o }} }}")
        assert (yes.kind, yes.boolean, no.kind, no.boolean) == ("ask", True, "ask", False)

    def test_construct_has_the_same_shape(self, backend: GraphWriter) -> None:
        backend.replace_graph(G1, TRIPLES)
        answer = backend.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{G1}> {{ ?s ?p ?o }} }}")
        assert answer.kind == "graph"
        assert all(isinstance(triple, ox.Triple) for triple in answer.triples)
        assert triple_values(answer.triples) == triple_values(TRIPLES)

    def test_predeclared_prefixes(self, backend: GraphWriter) -> None:
        backend.replace_graph(G1, TRIPLES)
        rows = backend.query("SELECT ?n WHERE { ?s ikg:position ?n FILTER(?n > 2) }").rows
        assert [value(n) for (n,) in rows] == [(3, INTEGER)]

    def test_own_prefix_declaration_wins(self, backend: GraphWriter) -> None:
        backend.replace_graph(G1, TRIPLES)
        rows = backend.query(f"PREFIX ikg: <{EX}>\nSELECT ?o WHERE {{ ?s ikg:b ?o }}").rows
        assert [value(o) for (o,) in rows] == [EX + "c"]

    def test_syntax_error_is_typed(self, backend: GraphWriter) -> None:
        with pytest.raises(SparqlSyntaxError, match="SPARQL syntax error"):
            backend.query("SELEC * WHERE { ?s ?p ?o }")
        with pytest.raises(SparqlSyntaxError):
            backend.query("SELECT * WHERE { ?s nope:thing ?o }")

    def test_an_update_is_not_a_query(self, backend: GraphWriter) -> None:
        backend.replace_graph(G1, TRIPLES)
        with pytest.raises(SparqlSyntaxError):
            backend.query(f"DROP GRAPH <{G1}>")
        with pytest.raises(SparqlSyntaxError):
            backend.query(f"SELECT * WHERE {{ ?s <{EX}#p> ?o }} ; CLEAR GRAPH <{G1}>")
        assert backend.quad_count() == len(TRIPLES)

    def test_service_is_refused(self, backend: GraphWriter) -> None:
        with pytest.raises(SparqlError, match="SERVICE"):
            backend.query("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
        assert backend.query('ASK { FILTER("SERVICE" != "") } # SERVICE').boolean


class TestEmbeddedGraphStore(GraphWriterContract):
    @pytest.fixture
    def backend(self, tmp_path: Path) -> Iterator[GraphStore]:
        with GraphStore(tmp_path / "data") as store:
            yield store


def _clear(store: RemoteGraphStore) -> None:
    with store.batch() as batch:
        for graph in store.graph_iris():
            batch.drop_graph(graph)
    store.remove_staging_graphs()


def _staging_graphs(store: RemoteGraphStore) -> list[str]:
    rows = store.query("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                       f'FILTER(STRSTARTS(STR(?g), "{STAGING_GRAPH_PREFIX}")) }} GROUP BY ?g').rows
    return [g.value for (g,) in rows]


def _unused_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}/sparql"


class TestRemoteGraphStore(GraphWriterContract):
    @pytest.fixture
    def backend(self, virtuoso_endpoint: str) -> Iterator[RemoteGraphStore]:
        with RemoteGraphStore(virtuoso_endpoint, timeout_s=30) as store:
            _clear(store)
            yield store

    # -- beyond the contract: what only a remote store has --------------------------------------

    def test_the_endpoint_system_graphs_are_hidden(self, backend: RemoteGraphStore) -> None:
        everything = backend.query("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g").rows
        assert VIRTUOSO_SYSTEM_GRAPHS & {g.value for (g,) in everything}
        backend.replace_graph(G1, TRIPLES[:1])
        assert backend.graph_iris() == [G1]
        assert backend.quad_count() == 1

    def test_a_large_graph_is_sent_in_chunks(self, backend: RemoteGraphStore) -> None:
        many = [(URIRef(f"{EX}s{i}"), IKG.position, Literal(i)) for i in range(6000)]
        assert backend.replace_graph(G1, many) == 6000  # one request would fail near 5,000
        assert backend.quad_count() == 6000

    def test_blank_node_groups_stay_whole_across_chunks(self, virtuoso_endpoint: str,
                                                        backend: RemoteGraphStore) -> None:
        small = RemoteGraphStore(virtuoso_endpoint, timeout_s=30, chunk_triples=2)
        nodes = [BNode() for _ in range(4)]
        triples = [(A, URIRef(EX + "has"), nodes[0])]
        triples += [(nodes[i], URIRef(EX + "next"), nodes[i + 1]) for i in range(3)]
        triples += [(A, URIRef(EX + "ground"), Literal(i)) for i in range(5)]
        small.replace_graph(G1, triples)
        rows = backend.query(f"SELECT ?end WHERE {{ GRAPH <{G1}> {{ <{A}> <{EX}has>/<{EX}next>/"
                             f"<{EX}next>/<{EX}next> ?end FILTER NOT EXISTS {{ ?end ?p ?o }} }} }}").rows
        assert len(rows) == 1
        assert backend.quad_count() == len(triples)

    @pytest.mark.parametrize("failure", ["endpoint refuses a chunk", "connection lost"])
    def test_upload_failing_halfway_keeps_the_old_graphs(
        self, virtuoso_endpoint: str, backend: RemoteGraphStore, failure: str,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        backend.replace_graph(G1, TRIPLES)
        backend.replace_graph(G2, TRIPLES[:1])
        store = RemoteGraphStore(virtuoso_endpoint, timeout_s=30, chunk_triples=2)
        new = [(A, URIRef(EX + "n"), Literal(i)) for i in range(7)]
        if failure == "endpoint refuses a chunk":  # Virtuoso refuses integers beyond 64 bits
            new[5] = (A, URIRef(EX + "n"), Literal(10**30))
        else:
            real_post, calls = store._post, []

            def cut_after_three(url: str, field: str, text: str, accept: str):
                calls.append(field)
                if field == "update" and calls.count("update") == 4:
                    raise KgError(f"cannot reach the SPARQL endpoint {url}: connection reset")
                return real_post(url, field, text, accept)

            monkeypatch.setattr(store, "_post", cut_after_three)
        with pytest.raises(KgError), store.batch() as batch:
            batch.replace_graph(G2, new[:3])  # uploaded completely before the failure
            batch.replace_graph(G1, new)
            batch.drop_graph(G2)
        assert graph_content(backend, G1) == triple_values(TRIPLES)
        assert graph_content(backend, G2) == triple_values(TRIPLES[:1])
        assert backend.graph_iris() == [G1, G2]
        assert _staging_graphs(backend) == []

    def test_a_switch_without_answer_leaves_staging_for_remove_staging_graphs(
        self, virtuoso_endpoint: str, backend: RemoteGraphStore, monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        backend.replace_graph(G1, TRIPLES)
        store = RemoteGraphStore(virtuoso_endpoint, timeout_s=30, chunk_triples=2)
        real_post = store._post

        def lose_the_switch(url: str, field: str, text: str, accept: str):
            if field == "update" and text.startswith("MOVE"):
                raise EndpointUnansweredError(f"cannot reach the SPARQL endpoint {url}: reset")
            return real_post(url, field, text, accept)

        monkeypatch.setattr(store, "_post", lose_the_switch)
        with pytest.raises(EndpointUnansweredError, match="may be partly applied"):
            store.replace_graph(G1, TRIPLES[:3])
        assert graph_content(backend, G1) == triple_values(TRIPLES)
        assert len(_staging_graphs(backend)) == 1  # kept: the endpoint might still be moving it
        assert backend.graph_iris() == [G1]
        assert backend.quad_count() == len(TRIPLES)
        assert len(backend.remove_staging_graphs()) == 1
        assert _staging_graphs(backend) == []

    def test_max_rows_and_substitutions(self, backend: RemoteGraphStore) -> None:
        backend.replace_graph(G1, TRIPLES)
        answer = backend.query(f"SELECT ?p ?o WHERE {{ GRAPH <{G1}> {{ ?s ?p ?o }} }}", max_rows=2)
        assert (len(answer.rows), answer.truncated) == (2, True)
        answer = backend.query("SELECT ?o WHERE { ?s ?p ?o }",
                               substitutions={"s": ox.NamedNode(A), "p": ox.NamedNode(EX + "b")})
        assert [value(o) for (o,) in answer.rows] == [EX + "c"]

    def test_digest_authentication(self, virtuoso_endpoint: str, backend: RemoteGraphStore) -> None:
        secured = virtuoso_endpoint.replace("/sparql", "/sparql-auth")
        with RemoteGraphStore(secured, timeout_s=30, auth=("dba", "dba")) as store:
            store.replace_graph(G1, TRIPLES[:2])
            assert store.graph_iris() == [G1]
        with pytest.raises(KgError, match=r"refused access \(HTTP 401\)"):
            RemoteGraphStore(secured, timeout_s=30, auth=("dba", "wrong")).graph_iris()

    def test_virtuoso_extensions_are_refused_before_sending(self) -> None:
        store = RemoteGraphStore(_unused_url(), timeout_s=5)
        for query in ('SELECT (bif:http_get("http://example.org/") AS ?x) WHERE {}',
                      'SELECT ?x WHERE { BIND(<bif:http_get>("http://example.org/") AS ?x) }',
                      'SELECT (<http://www.openlinksw.com/schemas/bif#http_get>("http://example.org/")'
                      ' AS ?x) WHERE {}',
                      'DEFINE get:soft "replace" SELECT * FROM <http://example.org/> WHERE { ?s ?p ?o }'):
            with pytest.raises(SparqlError, match="not allowed"):
                store.query(query)
        with pytest.raises(SparqlSyntaxError, match="only queries"):
            store.query("INSERT DATA { <urn:a> <urn:b> <urn:c> }")

    def test_unreachable_endpoint_gives_one_line_naming_it(self) -> None:
        url = _unused_url()
        with pytest.raises(KgError) as error:
            RemoteGraphStore(url, timeout_s=5).graph_iris()
        assert url in str(error.value)
        assert "\n" not in str(error.value)

    def test_an_endpoint_that_does_not_answer_times_out(self) -> None:
        with socket.socket() as silent:
            silent.bind(("127.0.0.1", 0))
            silent.listen()
            url = f"http://127.0.0.1:{silent.getsockname()[1]}/sparql"
            accepted: list[socket.socket] = []
            waiter = threading.Thread(target=lambda: accepted.append(silent.accept()[0]), daemon=True)
            waiter.start()
            with pytest.raises(QueryTimeoutError, match=url):
                RemoteGraphStore(url, timeout_s=0.5).query("ASK {}")
            for connection in accepted:
                connection.close()
