"""SPARQL with a hard time limit: the query runs in a worker process that is killed at the limit.

Oxigraph 0.5 has no query timeout or cancellation, so a separate process over a read-only
generation is the only way to really stop a runaway query (see DESIGN.md).
"""

from __future__ import annotations

import multiprocessing
import queue
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KgError, QueryTimeoutError
from kg.query import QueryResult, Term, run_query

_CONTEXT = multiprocessing.get_context("spawn")  # never fork a process that holds a store


def _worker(graph_path: str, sparql: str, max_rows: int | None,
            substitutions: dict[str, Term] | None, answers: multiprocessing.Queue) -> None:
    try:
        store = ox.Store.read_only(graph_path)
        answers.put(("ok", run_query(store, sparql, max_rows=max_rows, substitutions=substitutions)))
    except KgError as error:
        answers.put(("error", error))
    except Exception as error:  # anything else still reaches the caller as one line
        answers.put(("error", KgError(f"query failed: {type(error).__name__}: {error}")))


def run_query_limited(
    graph_path: Path,
    sparql: str,
    *,
    time_limit_ms: int,
    max_rows: int | None = None,
    substitutions: dict[str, Term] | None = None,
) -> QueryResult:
    """Run ``sparql`` over the read-only store at ``graph_path``; stop it after ``time_limit_ms``."""
    answers: multiprocessing.Queue = _CONTEXT.Queue(maxsize=1)
    worker = _CONTEXT.Process(
        target=_worker, args=(str(graph_path), sparql, max_rows, substitutions, answers),
        daemon=True,
    )
    worker.start()
    try:
        kind, payload = answers.get(timeout=time_limit_ms / 1000)
    except queue.Empty:
        worker.kill()
        worker.join(5)
        raise QueryTimeoutError(
            f"query stopped after the time limit of {time_limit_ms} ms "
            "(setting sparql_time_limit_ms)") from None
    finally:
        answers.close()
    worker.join(5)
    if kind == "error":
        raise payload
    return payload
