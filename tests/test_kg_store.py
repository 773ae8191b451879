"""The embedded store: round trips, atomic batches, the writer lock, generations."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS, XSD

from kg import GenerationReader, GraphStore, IriMinter, NoDataError, StoreBusyError, publish_generation
from kg.errors import SparqlError, SparqlSyntaxError
from kg.generations import collect_garbage, current_generation
from kg.terms import from_ox, to_ox

EX = "https://example.org/"
TRIPLES = [
    (URIRef(EX + "a"), RDFS.label, Literal("Fietsen voor iedereen", lang="nl")),
    (URIRef(EX + "a"), URIRef(EX + "count"), Literal(3, datatype=XSD.integer)),
    (URIRef(EX + "a"), URIRef(EX + "note"), Literal('met "aanhalingstekens"\nen een regel')),
    (URIRef(EX + "a"), URIRef(EX + "b"), URIRef(EX + "c")),
]


def test_terms_round_trip() -> None:
    for triple in TRIPLES:
        for term in triple:
            assert from_ox(to_ox(term)) == term


def test_replace_graph_round_trips_and_replaces(tmp_path: Path) -> None:
    with GraphStore(tmp_path) as store:
        store.replace_graph(EX + "g1", TRIPLES)
        rows = store.query(f"SELECT ?p ?o WHERE {{ GRAPH <{EX}g1> {{ <{EX}a> ?p ?o }} }}").rows
        assert {from_ox(o) for _, o in rows} == {t[2] for t in TRIPLES}
        store.replace_graph(EX + "g1", TRIPLES[:1])
        assert store.quad_count() == 1
        assert store.graph_iris() == [EX + "g1"]


def test_store_survives_reopen(tmp_path: Path) -> None:
    with GraphStore(tmp_path) as store:
        store.replace_graph(EX + "g1", TRIPLES)
    with GraphStore(tmp_path) as store:
        assert store.quad_count() == len(TRIPLES)


def test_failed_batch_leaves_store_unchanged(tmp_path: Path) -> None:
    with GraphStore(tmp_path) as store:
        store.replace_graph(EX + "g1", TRIPLES)
        with pytest.raises(RuntimeError), store.batch() as batch:
            batch.drop_graph(EX + "g1")
            batch.replace_graph(EX + "g2", TRIPLES)
            raise RuntimeError("annotation failed halfway")
        assert store.graph_iris() == [EX + "g1"]
        assert store.quad_count() == len(TRIPLES)


def test_batch_that_the_store_rejects_applies_nothing(tmp_path: Path) -> None:
    with GraphStore(tmp_path) as store:
        store.replace_graph(EX + "g1", TRIPLES)
        with pytest.raises((OSError, ValueError, TypeError)), store.batch() as batch:
            batch.drop_graph(EX + "g1")
            batch.replace_graph(EX + "g2", [(URIRef(EX + "x"), URIRef(EX + "y"), URIRef("not an iri"))])
        assert store.graph_iris() == [EX + "g1"]
        assert store.quad_count() == len(TRIPLES)


def test_second_writer_gets_a_clear_error(tmp_path: Path) -> None:
    with GraphStore(tmp_path):
        code = (
            "import sys; from pathlib import Path; from kg import GraphStore, StoreBusyError\n"
            "try:\n    GraphStore(Path(sys.argv[1]))\n"
            "except StoreBusyError as e:\n    print(e); sys.exit(3)\n"
        )
        done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == 3, done.stderr
        assert "being written by impactkg process" in done.stdout
        assert "Traceback" not in done.stderr
    with pytest.raises(StoreBusyError), GraphStore(tmp_path), GraphStore(tmp_path):
        pass


def test_query_errors_are_typed(tmp_path: Path) -> None:
    with GraphStore(tmp_path) as store:
        with pytest.raises(SparqlSyntaxError, match="SPARQL syntax error"):
            store.query("SELEC * WHERE { ?s ?p ?o }")
        with pytest.raises(SparqlError, match="SERVICE"):
            store.query("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
        # the word in a string or comment is fine
        assert store.query('SELECT ("SERVICE" AS ?x) WHERE {} # SERVICE').rows


def test_generations_isolate_readers_from_the_writer(tmp_path: Path) -> None:
    with pytest.raises(NoDataError):
        GenerationReader(tmp_path)
    with GraphStore(tmp_path) as store:
        store.replace_graph(EX + "g1", TRIPLES)
        first = publish_generation(store)
        reader = GenerationReader(tmp_path)
        assert reader.generation.id == first.id
        store.replace_graph(EX + "g2", TRIPLES)  # writer goes on; the reader still sees g1 only
        assert reader.graph_iris() == [EX + "g1"]
        second = publish_generation(store, [lambda folder: (folder / "extra.txt").write_text("x")])
        assert (second.path / "extra.txt").read_text() == "x"
        assert reader.graph_iris() == [EX + "g1"]
        assert reader.refresh() is True
        assert reader.graph_iris() == [EX + "g1", EX + "g2"]
        assert current_generation(tmp_path).id == second.id
        reader.close()


def test_old_generations_are_removed_unless_a_reader_holds_them(tmp_path: Path) -> None:
    with GraphStore(tmp_path) as store:
        store.replace_graph(EX + "g1", TRIPLES)
        first = publish_generation(store, keep=1)
        holder = GenerationReader(tmp_path)  # holds the first generation
        publish_generation(store, keep=1)
        assert first.path.exists()
        holder.close()
        assert first.id in collect_garbage(tmp_path, keep=1)
        assert not first.path.exists()


def test_reader_is_read_only(tmp_path: Path) -> None:
    with GraphStore(tmp_path) as store:
        store.replace_graph(EX + "g1", TRIPLES)
        publish_generation(store)
    with GenerationReader(tmp_path) as reader, pytest.raises((OSError, RuntimeError)):
        reader.store.add(ox.Quad(ox.NamedNode(EX + "x"), ox.NamedNode(EX + "y"), ox.Literal("z")))


def test_iris_are_deterministic() -> None:
    minter = IriMinter("https://example.org/id/")
    assert minter.deal("City Deal Fietsen voor Iedereen") == \
        "https://example.org/id/deal/city-deal-fietsen-voor-iedereen"
    assert minter.document("samples/a.txt") == minter.document("samples/a.txt")
    assert minter.document("samples/a.txt") != minter.document("samples/b.txt")
    doc = minter.document("x")
    assert minter.passage(doc, 3) == f"{doc}/p3"
    assert minter.resource("lesson", doc, "k") == minter.resource("lesson", doc, "k")
    with pytest.raises(ValueError):
        IriMinter("https://example.org/id")
