"""Errors a user can cause or meet in the graph layer; each carries a one-line message."""

from __future__ import annotations


class KgError(Exception):
    """Base class: the message is meant for the user as it is."""


class StoreBusyError(KgError):
    """Another process holds the writer lock on the data directory."""


class NoDataError(KgError):
    """Nothing has been published yet in the data directory."""


class SparqlSyntaxError(KgError):
    """The query text does not parse."""


class SparqlError(KgError):
    """The query parsed but could not be evaluated."""


class QueryTimeoutError(KgError):
    """The query ran past its time limit and was stopped."""
