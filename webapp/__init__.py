"""The web app: Flask app factory, blueprints by area, templates, JSON API.

The app is built over a :class:`webapp.services.Services` object that the composition root
(``impactkg.wiring``) makes from the settings.
"""

from webapp.app import create_app
from webapp.services import AnswersQuestions, Limits, Memo, ReadResources, Services

__all__ = ["AnswersQuestions", "Limits", "Memo", "ReadResources", "Services", "create_app"]
