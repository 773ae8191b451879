"""The one error the answerer raises for bad input."""

from __future__ import annotations


class AskError(ValueError):
    """A question or request the answerer cannot take (empty, too long, a bad mode or filter).

    The message is for the user: the CLI prints it on one line, the JSON API returns it with a 400.
    """


__all__ = ["AskError"]
