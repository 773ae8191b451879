"""The errors a caller of the search package can expect, each with a message a user can act on."""

from __future__ import annotations


class SearchIndexError(Exception):
    """Base class of every error the search package raises on purpose."""


class IndexNotFound(SearchIndexError):
    """The folder holds no search index (no manifest.json)."""


class IndexFormatError(SearchIndexError):
    """The index was written in a format this version cannot read, or is damaged."""


class IndexModelMismatch(SearchIndexError):
    """The index was built with another embedding model (or tokenizer) than the one configured."""


class IndexLocked(SearchIndexError):
    """Another writer holds the index folder."""


class EmbedderError(SearchIndexError):
    """An embedding engine or model could not be loaded."""


class BadSearchRequest(SearchIndexError, ValueError):
    """A search parameter a user gave is not valid (unknown mode, bad k, bad date)."""
