"""The web app: Flask app factory, views, JSON API (the UI proper comes with its own issue)."""

from webapp.app import create_app

__all__ = ["create_app"]
