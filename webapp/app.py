"""The Flask app factory; blueprints are registered here and nowhere else."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from flask import Flask, jsonify

from kg import GenerationReader, KgError, NoDataError
from webapp.views import pages


class ReaderHolder:
    """One generation reader per process, moved to the newest generation before each request."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._reader: GenerationReader | None = None
        self._lock = threading.Lock()

    def get(self) -> GenerationReader:
        with self._lock:
            if self._reader is None:
                self._reader = GenerationReader(self.data_dir)
            else:
                self._reader.refresh()
            return self._reader


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the app; ``overrides`` sets config keys such as ``DATA_DIR`` (tests pass their own)."""
    app = Flask(__name__)
    app.config.update(DATA_DIR="data", JSON_AS_ASCII=False)
    app.config.update(overrides or {})
    app.extensions["impactkg.readers"] = ReaderHolder(Path(app.config["DATA_DIR"]))
    app.register_blueprint(pages)

    @app.errorhandler(NoDataError)
    def no_data(error: NoDataError) -> Any:
        return jsonify({"ok": False, "status": 503, "error": str(error)}), 503

    @app.errorhandler(KgError)
    def kg_error(error: KgError) -> Any:
        return jsonify({"ok": False, "status": 400, "error": str(error)}), 400

    return app
