"""Every blueprint of the app, registered here and nowhere else.

``impactkg routes`` lists the resulting URL rules.
"""

from __future__ import annotations

from flask import Blueprint

from webapp.sparql import sparql
from webapp.views.api import api
from webapp.views.ask import ask
from webapp.views.browse import browse
from webapp.views.deals import deals
from webapp.views.documents import documents
from webapp.views.home import home
from webapp.views.lessons import lessons
from webapp.views.search import search

BLUEPRINTS: tuple[Blueprint, ...] = (
    home,       # /
    search,     # /zoeken
    ask,        # /vraag
    browse,     # /id/…, /def/…, /concept/…, /resource?iri=
    deals,      # /deals, /deals/<slug>
    lessons,    # /lessen
    documents,  # /documenten, /documenten/<key>
    api,        # /api/…
    sparql,     # /sparql, /queries, /.well-known/void
)
