"""Every blueprint of the app, registered here and nowhere else.

``flask --app 'impactkg.wiring:build_app_from_env' routes`` (or ``impactkg routes``) lists
the resulting URL rules.
"""

from __future__ import annotations

from flask import Blueprint

from webapp.api import api
from webapp.home import home
from webapp.sparql import sparql

BLUEPRINTS: tuple[Blueprint, ...] = (home, api, sparql)
