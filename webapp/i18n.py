"""Dutch first, English beside it: the page language and the few words the templates need.

The language is part of the URL state (``?lang=en``); without it the page is Dutch.
"""

from __future__ import annotations

from flask import Flask, request

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"


def language() -> str:
    asked = request.args.get("lang", "")
    return asked if asked in LANGUAGES else DEFAULT_LANGUAGE


def install(app: Flask) -> None:
    @app.context_processor
    def language_context() -> dict[str, object]:
        return {"lang": language()}
