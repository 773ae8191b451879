"""The warm query pool (kg.pool): fast answers, a hard time limit, generations, dead workers."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from kg.encoded import encode_result, run_query_encoded
from kg.errors import QueryTimeoutError, SparqlSyntaxError
from kg.generations import current_generation, generations_dir, publish_generation
from kg.pool import PoolBusyError, PoolOptions, QueryPool, QueryRequest, WorkerDiedError
from kg.query import QueryDataset, run_query
from kg.store import GraphStore

EX = "https://example.org/pool/"
# A cross product of every triple with itself, three times: minutes on a few thousand triples.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
SMALL = f"SELECT ?s ?o WHERE {{ ?s <{EX}p> ?o }} ORDER BY ?s"


def fill(data_dir: Path, count: int, tag: str = "a", keep: int = 2):
    with GraphStore(data_dir) as store:
        store.replace_graph(f"{EX}graph/{tag}", [
            (URIRef(f"{EX}s{i}"), URIRef(f"{EX}p"), Literal(f"{tag} {i}\nregel", lang="nl"))
            for i in range(count)])
        return publish_generation(store, keep=keep)


@pytest.fixture
def pool():
    pool = QueryPool(PoolOptions(workers=2, time_limit_ms=1500))
    yield pool
    pool.close()


def test_answers_equal_the_engine_in_process(tmp_path: Path, pool: QueryPool) -> None:
    generation = fill(tmp_path, 50)
    pooled = pool.query(generation.graph_path, QueryRequest(SMALL)).decode()
    store = ox.Store.read_only(str(generation.graph_path))
    direct = run_query(store, SMALL)
    assert pooled.variables == direct.variables and pooled.rows == direct.rows
    assert len(pooled.rows) == 50 and pooled.rows[0][1].language == "nl"
    capped = pool.query(generation.graph_path, QueryRequest(SMALL, max_rows=7))
    assert capped.rows == 7 and capped.truncated and capped.decode().rows == direct.rows[:7]
    exact = pool.query(generation.graph_path, QueryRequest(SMALL, max_rows=50))
    assert exact.rows == 50 and not exact.truncated
    bound = pool.query(generation.graph_path, QueryRequest(
        f"SELECT ?s ?o WHERE {{ ?s <{EX}p> ?o }}", substitutions={"s": ox.NamedNode(f"{EX}s3")}))
    assert [row[1].value for row in bound.decode().rows] == ["a 3\nregel"]
    ask = pool.query(generation.graph_path, QueryRequest(f"ASK {{ <{EX}s1> ?p ?o }}"))
    assert ask.kind == "ask" and ask.boolean
    graph = pool.query(generation.graph_path, QueryRequest(
        f"CONSTRUCT {{ ?s <{EX}q> ?o }} WHERE {{ ?s <{EX}p> ?o }}", max_rows=5))
    assert graph.kind == "graph" and graph.truncated and len(graph.decode().triples) == 5


def test_protocol_dataset_and_from_clauses(tmp_path: Path, pool: QueryPool) -> None:
    fill(tmp_path, 3, "a")
    generation = fill(tmp_path, 2, "b")
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

    def n(sparql: str, dataset: QueryDataset | None = None) -> int:
        request = QueryRequest(sparql, dataset=dataset or QueryDataset())
        answer = pool.query(generation.graph_path, request).decode()
        return int(answer.rows[0][0].value)

    assert n(count) == 5  # the union of all named graphs
    assert n(count, QueryDataset((f"{EX}graph/b",))) == 2
    assert n(f"SELECT (COUNT(*) AS ?n) FROM <{EX}graph/a> WHERE {{ ?s ?p ?o }}") == 3
    named = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert n(named, QueryDataset((), (f"{EX}graph/a",))) == 3
    assert n(named, QueryDataset((f"{EX}graph/a",), ())) == 0  # no named graphs given


def test_runaway_query_is_killed_while_others_answer(tmp_path: Path) -> None:
    generation = fill(tmp_path, 3000)
    pool = QueryPool(PoolOptions(workers=3, time_limit_ms=2000))
    try:
        pool.warm_up(generation.graph_path)
        before = set(pool.worker_pids())
        outcome: dict[str, object] = {}

        def runaway() -> None:
            started = time.monotonic()
            try:
                pool.query(generation.graph_path, QueryRequest(RUNAWAY))
            except QueryTimeoutError as error:
                outcome["error"] = error
            outcome["seconds"] = time.monotonic() - started

        thread = threading.Thread(target=runaway)
        thread.start()
        time.sleep(0.3)  # the runaway query holds its worker now
        answered = []
        while thread.is_alive():
            answer = pool.query(generation.graph_path, QueryRequest(SMALL, max_rows=10))
            answered.append(answer.rows)
        thread.join()
        assert isinstance(outcome.get("error"), QueryTimeoutError)
        assert "2000 ms" in str(outcome["error"])
        assert outcome["seconds"] < 6  # stopped at the limit, not when the query would end
        assert len(answered) >= 5 and set(answered) == {10}  # the others kept answering
        after = set(pool.worker_pids())
        assert len(after) == 3 and after != before  # the runaway worker was replaced
        assert pool.query(generation.graph_path, QueryRequest(SMALL)).rows == 3000
    finally:
        pool.close()


def test_all_workers_busy_is_a_clear_error(tmp_path: Path) -> None:
    """A query that waits the whole time limit for a worker gets PoolBusyError (a 503)."""
    generation = fill(tmp_path, 5)
    pool = QueryPool(PoolOptions(workers=1, time_limit_ms=300))
    try:
        taken = pool._acquire(str(generation.graph_path), time.monotonic() + 5)  # held, never returned
        started = time.monotonic()
        with pytest.raises(PoolBusyError, match="sparql_workers"):
            pool.query(generation.graph_path, QueryRequest(SMALL))
        assert 0.25 < time.monotonic() - started < 2
        pool._give_back(taken, healthy=True)
        assert pool.query(generation.graph_path, QueryRequest(SMALL)).rows == 5
    finally:
        pool.close()


def test_a_query_behind_a_runaway_gets_the_replacement_worker(tmp_path: Path) -> None:
    generation = fill(tmp_path, 3000)
    pool = QueryPool(PoolOptions(workers=1, time_limit_ms=3000))
    try:
        pool.warm_up(generation.graph_path)
        errors: list[Exception] = []

        def runaway() -> None:
            try:
                pool.query(generation.graph_path, QueryRequest(RUNAWAY))
            except QueryTimeoutError as error:
                errors.append(error)

        thread = threading.Thread(target=runaway)
        thread.start()
        # The small query waits behind the runaway (killed at 3 s) and has until 2 + 3 s: the
        # replacement worker gets 2 s to start, open the generation and answer. With 0.5 s of
        # slack (limit 1.5 s, asked at 0.5 s) it failed once on a busy machine.
        time.sleep(2.0)
        assert pool.query(generation.graph_path, QueryRequest(SMALL)).rows == 3000
        thread.join()
        assert len(errors) == 1
    finally:
        pool.close()


def test_bad_queries_do_not_cost_a_worker(tmp_path: Path, pool: QueryPool) -> None:
    generation = fill(tmp_path, 5)
    pool.warm_up(generation.graph_path)
    pids = set(pool.worker_pids())
    with pytest.raises(SparqlSyntaxError, match="syntax error"):
        pool.query(generation.graph_path, QueryRequest("SELEC ?x"))
    assert set(pool.worker_pids()) == pids


def test_a_worker_killed_from_outside_is_replaced(tmp_path: Path) -> None:
    generation = fill(tmp_path, 5)
    pool = QueryPool(PoolOptions(workers=1, time_limit_ms=3000))
    try:
        pool.query(generation.graph_path, QueryRequest(SMALL))
        (victim,) = pool.worker_pids()
        os.kill(victim, signal.SIGKILL)
        time.sleep(0.2)
        with pytest.raises(WorkerDiedError):
            pool.query(generation.graph_path, QueryRequest(SMALL))
        assert pool.query(generation.graph_path, QueryRequest(SMALL)).rows == 5
        assert pool.worker_pids() != [victim]
    finally:
        pool.close()


def test_workers_move_to_a_new_generation_and_release_the_old(tmp_path: Path, pool: QueryPool) -> None:
    first = fill(tmp_path, 5, keep=1)
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert pool.query(first.graph_path, QueryRequest(count)).decode().rows[0][0].value == "5"
    pool.query(first.graph_path, QueryRequest(count))  # both workers have the first one open
    second = fill(tmp_path, 8, "b", keep=1)
    assert (generations_dir(tmp_path) / first.id).is_dir()  # the workers still hold it
    answer = pool.query(second.graph_path, QueryRequest(count)).decode()
    assert answer.rows[0][0].value == "13"
    # The idle worker was told to open the new generation at once: nobody holds the old one.
    deadline = time.monotonic() + 5
    third = None
    while time.monotonic() < deadline:
        pool.query(second.graph_path, QueryRequest(count))
        third = fill(tmp_path, 1, "c", keep=1)  # publishing collects what no reader holds
        if not (generations_dir(tmp_path) / first.id).exists():
            break
        time.sleep(0.1)
    assert not (generations_dir(tmp_path) / first.id).exists()
    assert current_generation(tmp_path).id == third.id


def test_encoding_round_trips_every_kind_of_term() -> None:
    store = ox.Store()
    s = ox.NamedNode(f"{EX}s")
    objects = [ox.Literal('tab\there "quote" \\ back\nnew line'), ox.Literal("3", datatype=ox.NamedNode(
        "http://www.w3.org/2001/XMLSchema#integer")), ox.Literal("ideeën 😀", language="nl-NL"),
        ox.BlankNode("b1"), ox.NamedNode(f"{EX}o")]
    for number, obj in enumerate(objects):
        store.add(ox.Quad(s, ox.NamedNode(f"{EX}p{number}"), obj, ox.NamedNode(f"{EX}g")))
    query = "SELECT ?p ?o ?missing WHERE { ?s ?p ?o } ORDER BY ?p"
    direct = run_query(store, query, dataset=None)
    encoded = run_query_encoded(store, query)
    assert encoded.decode().rows == direct.rows
    assert encode_result(direct).decode().rows == direct.rows
