"""The JSON API: each route returns what a page's data function returns (plus ``generation``).

Every route here is described in the OpenAPI document at /api/openapi.json
(``webapp/openapi.py``); tests/test_api.py checks both ways.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from webapp import render
from webapp.data.answer import AskArgs, ask_data
from webapp.data.deals import deal_data, deals_data
from webapp.data.documents import DocumentArgs, document_data, documents_data
from webapp.data.home import stats_data
from webapp.data.lessons import CSV_COLUMNS, LessonArgs, csv_rows, lessons_data
from webapp.data.resource import ResourceArgs, resource_data
from webapp.data.search_results import SearchArgs, search_data
from webapp.errors import BadRequest
from webapp.openapi import openapi_document

api = Blueprint("api", __name__, url_prefix="/api")


@api.get("/stats")
@api.get("/stats.json")
def stats() -> Response:
    return render.json(stats_data())


@api.get("/search")
def search() -> Response:
    return render.json(search_data(SearchArgs.from_query(request.args)))


@api.get("/ask")
def ask() -> Response:
    return render.json(ask_data(AskArgs.from_query(request.args)))


@api.get("/resource")
def resource() -> Response:
    iri = (request.args.get("iri") or "").strip()
    if not iri:
        raise BadRequest("give the resource as ?iri=")
    return render.json(resource_data(ResourceArgs.from_query(iri, request.args)))


@api.get("/deals")
def deals() -> Response:
    return render.json(deals_data())


@api.get("/deals/<slug>")
def deal(slug: str) -> Response:
    return render.json(deal_data(slug))


@api.get("/lessons")
def lessons() -> Response:
    return render.json(lessons_data(LessonArgs.from_query(request.args)))


@api.get("/lessons.csv")
def lessons_csv() -> Response:
    args = LessonArgs.from_query(request.args)
    return render.csv_download(CSV_COLUMNS, csv_rows(args), "impactkg-lessen.csv")


@api.get("/documents")
def documents() -> Response:
    return render.json(documents_data(DocumentArgs.from_query(request.args)))


@api.get("/documents/<key>")
def document(key: str) -> Response:
    return render.json(document_data(key))


@api.get("/openapi.json")
def openapi() -> Response:
    return jsonify(openapi_document())
