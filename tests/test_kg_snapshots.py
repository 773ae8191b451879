"""Readers on many threads while a writer publishes and collects generations.

These are the races found in review: a generation collected between reading ``current`` and
opening it, a response mixing two generations, and SQLite connections piling up per thread.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import GenerationReader, GraphStore, publish_generation
from kg.generations import collect_garbage, generations_dir
from kg.query import StoreGraph
from kg.snapshots import GenerationPool

COUNTER = ox.NamedNode("urn:test:counter")
VALUE = ox.NamedNode("urn:test:value")
GRAPH = ox.NamedNode("urn:test:graph")
COUNT_QUERY = "SELECT ?n WHERE { GRAPH ?g { <urn:test:counter> <urn:test:value> ?n } }"


def publish_number(store: GraphStore, number: int, keep: int = 1) -> None:
    """Replace the counter with ``number`` and publish; the manifest records the same number."""
    store.oxigraph.update(
        f"DELETE WHERE {{ GRAPH {GRAPH} {{ {COUNTER} {VALUE} ?old }} }} ;"
        f"INSERT DATA {{ GRAPH {GRAPH} {{ {COUNTER} {VALUE} {number} }} }}")
    publish_generation(store, keep=keep, summary={"number": number})


def counter_in(graph: StoreGraph) -> int:
    return int(graph.query(COUNT_QUERY).rows[0][0].value)


def open_graph(generation) -> StoreGraph:
    return StoreGraph(ox.Store.read_only(str(generation.graph_path)))


def test_pool_pins_a_generation_until_released(tmp_path: Path) -> None:
    closed: list[int] = []
    with GraphStore(tmp_path) as store:
        publish_number(store, 1, keep=1)
        pool = GenerationPool(tmp_path, open_graph, lambda graph: closed.append(counter_in(graph)))
        with pool.snapshot() as first:
            assert counter_in(first.resources) == 1
            publish_number(store, 2, keep=1)
            with pool.snapshot() as second:
                assert counter_in(second.resources) == 2
                assert counter_in(first.resources) == 1  # the running request keeps its own
            assert closed == []
            # the first generation is still locked by the request, so the writer kept it
            assert (generations_dir(tmp_path) / first.generation.id).is_dir()
        assert closed == [1]  # released with its last user
        publish_number(store, 3, keep=1)  # now it can be collected
        assert not (generations_dir(tmp_path) / first.generation.id).exists()
        pool.close()
        assert closed == [1, 2]


def test_pool_without_data_says_so(tmp_path: Path) -> None:
    from kg import NoDataError

    pool = GenerationPool(tmp_path, open_graph)
    with pytest.raises(NoDataError, match="impactkg init"), pool.snapshot():
        pass


@pytest.mark.slow
def test_readers_never_fail_or_mix_generations_while_the_writer_publishes(tmp_path: Path) -> None:
    publishes, readers = 150, 4
    errors: list[BaseException] = []
    mixed: list[tuple[int, int]] = []
    snapshots_seen = [0] * readers
    done = threading.Event()
    with GraphStore(tmp_path) as store:
        publish_number(store, 0)
        pool = GenerationPool(tmp_path, open_graph)

        def read_with_pool(index: int) -> None:
            try:
                while not done.is_set():
                    with pool.snapshot() as pinned:
                        value = counter_in(pinned.resources)
                        if value != pinned.generation.manifest["number"]:
                            mixed.append((value, pinned.generation.manifest["number"]))
                        snapshots_seen[index] += 1
            except BaseException as error:
                errors.append(error)

        def read_with_reader(index: int) -> None:
            try:
                with GenerationReader(tmp_path) as reader:
                    while not done.is_set():
                        reader.refresh()
                        value = counter_in(StoreGraph(reader.store))
                        if value != reader.generation.manifest["number"]:
                            mixed.append((value, reader.generation.manifest["number"]))
                        snapshots_seen[index] += 1
            except BaseException as error:
                errors.append(error)

        threads = [threading.Thread(target=read_with_pool if i % 2 else read_with_reader, args=(i,))
                   for i in range(readers)]
        for thread in threads:
            thread.start()
        try:
            for number in range(1, publishes + 1):
                publish_number(store, number)
        finally:
            done.set()
            for thread in threads:
                thread.join(30)
        pool.close()
    assert errors == []
    assert mixed == []
    assert all(count > 0 for count in snapshots_seen)
    collect_garbage(tmp_path, keep=1)  # nothing stays locked once the readers are gone
    assert [p.name for p in generations_dir(tmp_path).glob("g*")] == [f"g{publishes + 1:06d}"]


def test_passage_snapshot_connections_stay_bounded_under_thread_churn(tmp_path: Path) -> None:
    from search.store import PassageStore

    writer = PassageStore.open_writable(tmp_path / "work.sqlite")
    writer.snapshot_to(tmp_path / "snap.sqlite")
    writer.close()
    snapshot = PassageStore.open_snapshot(tmp_path / "snap.sqlite")
    fds_before = len(os.listdir("/proc/self/fd"))
    for _ in range(20):  # a thread per request, as werkzeug's threaded server does
        threads = [threading.Thread(target=snapshot.counts) for _ in range(10)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert snapshot.open_connections <= 4
    assert len(os.listdir("/proc/self/fd")) <= fds_before + 4
    snapshot.close()
    assert snapshot.open_connections == 0


def test_a_background_switch_serves_the_old_generation_until_the_new_one_is_warm(tmp_path: Path) -> None:
    may_open = threading.Event()
    warmed: list[int] = []
    closed: list[int] = []

    def slow_open(generation) -> StoreGraph:
        if generation.manifest["number"] > 1:
            assert may_open.wait(30)
        return open_graph(generation)

    with GraphStore(tmp_path) as store:
        publish_number(store, 1, keep=1)
        pool = GenerationPool(tmp_path, slow_open, lambda graph: closed.append(counter_in(graph)),
                              open_in_background=True,
                              warm_resources=lambda graph: warmed.append(counter_in(graph)))
        with pool.snapshot() as first:  # the first generation: opened by the request itself
            assert counter_in(first.resources) == 1
        publish_number(store, 2, keep=1)
        for _ in range(3):  # the open of generation 2 hangs; requests go on with generation 1
            with pool.snapshot() as pinned:
                assert counter_in(pinned.resources) == 1
        assert warmed == [] and closed == []
        may_open.set()
        assert wait_for(lambda: counter_seen(pool) == 2)
        assert warmed == [2]  # warmed before any request saw it
        assert closed == [1]  # the old one closed once idle
        pool.close()
        assert closed == [1, 2]


def test_a_background_switch_that_fails_keeps_the_old_generation(tmp_path: Path) -> None:
    attempts: list[int] = []

    def failing_open(generation) -> StoreGraph:
        if generation.manifest["number"] > 1:
            attempts.append(generation.manifest["number"])
            raise ValueError("cannot open")
        return open_graph(generation)

    with GraphStore(tmp_path) as store:
        publish_number(store, 1, keep=2)
        pool = GenerationPool(tmp_path, failing_open, open_in_background=True)
        assert counter_seen(pool) == 1
        publish_number(store, 2, keep=2)
        assert counter_seen(pool) == 1
        assert wait_for(lambda: pool._switcher is None)
        for _ in range(3):  # still served, and not retried over and over
            assert counter_seen(pool) == 1
        assert wait_for(lambda: pool._switcher is None)
        assert attempts == [2]
        pool.close()


def counter_seen(pool: GenerationPool) -> int:
    with pool.snapshot() as pinned:
        return counter_in(pinned.resources)


def wait_for(condition, timeout_s: float = 30.0) -> bool:
    import time

    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True
