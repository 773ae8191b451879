"""Per-request access to the services and to the one snapshot a request reads."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Flask, current_app, g

from kg.backend import QueryableGraph
from kg.snapshots import Snapshot
from webapp.services import Limits, ReadResources, Services

SERVICES_KEY = "impactkg.services"
T = TypeVar("T")


def services() -> Services:
    return current_app.extensions[SERVICES_KEY]


def limits() -> Limits:
    return services().limits


def snapshot() -> Snapshot[ReadResources]:
    """The generation this request reads, taken on first use and held until it ends.

    Every data function of a request calls this, so one response never mixes two
    generations even when the writer publishes a new one halfway through.
    """
    if "snapshot" not in g:
        pinned = services().snapshot()
        g.snapshot = pinned.__enter__()
        g.snapshot_release = pinned
    return g.snapshot


def resources() -> ReadResources:
    return snapshot().resources


def graph() -> QueryableGraph:
    return resources().graph


def generation_id() -> str:
    return snapshot().generation.id


def memo(key: object, compute: Callable[[], T]) -> T:
    """``compute()`` once per generation (see :class:`webapp.services.Memo`)."""
    return resources().memo.get(key, compute)


def install(app: Flask, app_services: Services) -> None:
    app.extensions[SERVICES_KEY] = app_services

    @app.teardown_request
    def release_snapshot(_error: BaseException | None) -> None:
        pinned = g.pop("snapshot_release", None)
        g.pop("snapshot", None)
        if pinned is not None:
            pinned.__exit__(None, None, None)
