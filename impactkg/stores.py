"""The graph store the settings name: the embedded Oxigraph store, or a remote SPARQL 1.1 store.

``store_url`` empty means the embedded store in ``DATA/store``. ``sparql+http://host:8890/sparql``
(or ``sparql+https://``) means a remote endpoint (Virtuoso, GraphDB, Fuseki, QLever, ...):
the writer sends its batches there, readers query it, and the data directory keeps the
search indexes and their generations. The update endpoint is ``store_update_url`` (default:
the query endpoint); credentials come from ``IMPACTKG_STORE_USER`` / ``IMPACTKG_STORE_PASSWORD``.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

from impactkg.settings import Settings, SettingsError
from kg import GenerationReader, GraphStore
from kg.backend import PublishingWriter
from kg.remote import RemoteGraphStore, RemoteWriter

REMOTE_SCHEMES = {"sparql+http": "http", "sparql+https": "https"}


@dataclass(frozen=True, slots=True)
class RemoteLocation:
    query_url: str
    update_url: str


def remote_location(settings: Settings) -> RemoteLocation | None:
    """Where the remote store is, or None for the embedded store."""
    url = settings.store_url.strip()
    if not url:
        return None
    parts = urllib.parse.urlsplit(url)
    scheme = REMOTE_SCHEMES.get(parts.scheme.lower())
    if scheme is None or not parts.hostname:
        raise SettingsError(
            f"store_url {url!r} is not a remote store: use sparql+http://host:port/sparql "
            "or sparql+https://…, or leave it empty for the embedded store")
    query_url = urllib.parse.urlunsplit((scheme, *parts[1:]))
    return RemoteLocation(query_url, settings.store_update_url.strip() or query_url)


def is_remote(settings: Settings) -> bool:
    return remote_location(settings) is not None


def open_writer(settings: Settings) -> PublishingWriter:
    """The store the writing process changes, with the data directory's writer lock held."""
    remote = remote_location(settings)
    if remote is None:
        return GraphStore(settings.data_dir)
    return RemoteWriter(settings.data_dir, remote.query_url, remote.update_url,
                        timeout_s=settings.store_timeout_s, auth=settings.store_auth)


def remote_reader(settings: Settings) -> RemoteGraphStore | None:
    """A reader of the remote store whose requests stop at the SPARQL time limit (None: embedded)."""
    remote = remote_location(settings)
    if remote is None:
        return None
    return RemoteGraphStore(remote.query_url, timeout_s=settings.sparql_time_limit_ms / 1000,
                            auth=settings.store_auth)


def open_reader(settings: Settings) -> GenerationReader:
    """The current generation; its graph queries go to the remote store when there is one."""
    return GenerationReader(settings.data_dir, remote_reader(settings))
