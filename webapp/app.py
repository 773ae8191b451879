"""The Flask app factory: the app gets its services from the composition root."""

from __future__ import annotations

from typing import Any

from flask import Flask

from webapp import context, errors, i18n, security
from webapp.routes import BLUEPRINTS
from webapp.services import Services


def create_app(services: Services, config: dict[str, Any] | None = None) -> Flask:
    """Build the app over ``services`` (``impactkg.wiring.web_services`` makes them).

    ``config`` sets Flask config keys (tests pass their own).
    """
    app = Flask(__name__)
    app.config.update(JSON_AS_ASCII=False, JSON_SORT_KEYS=False,
                      MAX_CONTENT_LENGTH=1_000_000)
    app.config.update(config or {})
    context.install(app, services)
    errors.install(app)
    security.install(app)
    i18n.install(app)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    return app
