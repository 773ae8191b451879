"""Dutch first, English beside it: the page language, the UI's two-language texts, label choice.

The language is part of the URL state (``?lang=en``); without it the page is Dutch. Every
link the app builds with ``url_for`` keeps ``lang=en`` once it is chosen, so a user who
switched stays in English while browsing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from flask import Flask, has_request_context, request

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"


def language() -> str:
    asked = request.args.get("lang", "")
    return asked if asked in LANGUAGES else DEFAULT_LANGUAGE


def t(dutch: str, english: str) -> str:
    """The text in the page language (templates and data functions write both side by side)."""
    return english if language() == "en" else dutch


def pick_label(candidates: Iterable[tuple[str, str]], lang: str) -> str | None:
    """The best of (text, language tag) candidates for ``lang``: exact, then no tag, Dutch, any.

    Candidates come in order of preference of their property (prefLabel before rdfs:label
    before title); within one language tag that order decides.
    """
    ranked: list[tuple[int, int, str]] = []
    for position, (text, tag) in enumerate(candidates):
        tag = tag.lower().split("-")[0]
        rank = 0 if tag == lang else 1 if tag == "" else 2 if tag == DEFAULT_LANGUAGE else 3
        ranked.append((rank, position, text))
    return min(ranked)[2] if ranked else None


def format_number(number: int | float) -> str:
    """1.234 in Dutch, 1,234 in English."""
    text = f"{number:,}"
    return text.replace(",", ".") if language() == "nl" else text


def switch_language_url(target: str) -> str:
    """This page's URL with the language set to ``target`` (all other state kept)."""
    args = [(key, value) for key, value in request.args.items(multi=True) if key != "lang"]
    if target != DEFAULT_LANGUAGE:
        args.append(("lang", target))
    query = urlencode(args)
    return request.path + (f"?{query}" if query else "")


def install(app: Flask) -> None:
    @app.url_defaults
    def keep_language(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" or "lang" in values or not has_request_context():
            return
        if language() != DEFAULT_LANGUAGE:
            values["lang"] = language()

    app.add_template_filter(format_number, "num")

    @app.context_processor
    def language_context() -> dict[str, object]:
        return {"lang": language(), "t": t, "switch_language_url": switch_language_url}
