"""The Flask app factory: the app gets its services from the composition root."""

from __future__ import annotations

import time
from typing import Any

from flask import Flask, Response, g

from webapp import context, errors, guard, i18n, ratelimit, security
from webapp.routes import BLUEPRINTS
from webapp.services import Services


def create_app(services: Services, config: dict[str, Any] | None = None) -> Flask:
    """Build the app over ``services`` (``impactkg.wiring.WebServices`` makes them).

    ``config`` sets Flask config keys (tests pass their own).
    """
    app = Flask(__name__)
    app.config.update(JSON_AS_ASCII=False, JSON_SORT_KEYS=False)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.config.update(config or {})
    context.install(app, services)
    errors.install(app)
    guard.install(app)       # 413 for oversized requests, before anything reads them
    ratelimit.install(app)   # 429 for a client past its rate on search, ask and SPARQL
    security.install(app)
    i18n.install(app)
    _time_requests(app)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    return app


def _time_requests(app: Flask) -> None:
    """``Server-Timing: app;dur=<ms>`` on every response (what bench/bench_web.py reads)."""

    @app.before_request
    def start_clock() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def stop_clock(response: Response) -> Response:
        started = g.get("started")
        if started is not None:
            response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        return response
