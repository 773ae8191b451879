"""The documents list and each document's passages with what was extracted from them."""

from __future__ import annotations

from flask import Blueprint, Response, request

from webapp import render
from webapp.data.documents import DocumentArgs, document_data, documents_data

documents = Blueprint("documents", __name__)


@documents.get("/documenten")
def index() -> Response:
    data = documents_data(DocumentArgs.from_query(request.args))
    return render.html("documents.html", data, api=render.twin("api.documents"))


@documents.get("/documenten/<key>")
def document(key: str) -> Response:
    return render.html("document.html", document_data(key), api=render.twin("api.document", key=key))
