"""Reading SPARQL text without parsing it: keywords outside comments, strings and IRIs.

The embedded engine parses queries itself; these checks run before a query reaches any
engine: to refuse updates with a 403 whatever field they arrive in, to tell which query form
a text has, and to see whether a query names its own dataset (``FROM``/``FROM NAMED``).
"""

from __future__ import annotations

import re

# IRIs, comments and strings, scanned together so that a "#" inside an IRI or a string
# does not start a comment.
_TOKEN = re.compile(
    r"(?P<iri><[^<>\s]*>)"
    r"|#[^\n]*"
    r"|\"\"\"[\s\S]*?\"\"\"|'''[\s\S]*?'''"
    r"|\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*'"
)
# A keyword is a bare word: not part of a variable, a prefixed name, a language tag or a
# longer word.
BARE_WORD = r"(?<![\w?$:.\-%\\@])({})(?![\w:\-])"
QUERY_FORM = re.compile(BARE_WORD.format("SELECT|ASK|CONSTRUCT|DESCRIBE"), re.IGNORECASE)
UPDATE_WORD = re.compile(
    BARE_WORD.format("INSERT|DELETE|DROP|CLEAR|LOAD|CREATE|MOVE|COPY|ADD|WITH"), re.IGNORECASE)
_FROM = re.compile(BARE_WORD.format("FROM"), re.IGNORECASE)


def blank_out(sparql: str, *, keep_iris: bool) -> str:
    """``sparql`` with comments, strings (and IRIs unless kept) replaced by as many spaces.

    The result has the same length, so positions found in it are positions in ``sparql``.
    """
    return _TOKEN.sub(
        lambda match: match.group() if keep_iris and match.group("iri") else " " * len(match.group()),
        sparql)


def update_keyword(sparql: str) -> str | None:
    """The first SPARQL Update keyword (INSERT, DELETE, LOAD, ...) in the text, upper-cased.

    No query form uses these words, so finding one outside comments, strings and IRIs means
    the text is (or hides) an update.
    """
    found = UPDATE_WORD.search(blank_out(sparql, keep_iris=False))
    return found.group(1).upper() if found else None


def query_form(sparql: str) -> str:
    """select, ask, construct or describe (select when none is found: the parser says why)."""
    found = QUERY_FORM.search(blank_out(sparql, keep_iris=False))
    return found.group(1).lower() if found else "select"


def names_dataset(sparql: str) -> bool:
    """True when the query has FROM or FROM NAMED clauses (it chooses its own dataset)."""
    return _FROM.search(blank_out(sparql, keep_iris=False)) is not None
