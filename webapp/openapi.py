"""The OpenAPI 3.1 document of the JSON API (served at /api/openapi.json).

Schemas name the fields a client can rely on; objects may carry more. tests/test_api.py
checks that every /api route is described here, that every described path is a route, and
that each example request's response validates against its schema.
"""

from __future__ import annotations

from typing import Any

from webapp.data.facets import SEARCH_FACETS


def _obj(required: dict[str, Any], optional: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"type": "object", "required": list(required), "properties": {**required, **(optional or {})}}


STRING = {"type": "string"}
INTEGER = {"type": "integer"}
NUMBER = {"type": "number"}
BOOLEAN = {"type": "boolean"}
NULLABLE_STRING = {"type": ["string", "null"]}


def _list(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items}


REF = _obj({"iri": STRING, "label": STRING, "url": STRING})
NULLABLE_REF = {"oneOf": [{"type": "null"}, REF]}
ERROR = _obj({"ok": {"const": False}, "status": INTEGER, "error": STRING, "code": STRING})
GENERATION = {"generation": {"type": "string",
                              "description": "the published generation the answer was read from"}}
PASSAGE = _obj({"iri": STRING, "url": STRING,
                "document": _obj({"iri": STRING, "title": STRING, "url": STRING}), "date": STRING,
                "html": {"type": "string", "description": "escaped text, quoted span in <mark>"}})

SCHEMAS: dict[str, Any] = {
    "Error": ERROR,
    "Ref": REF,
    "Stats": _obj({**GENERATION, "quads": INTEGER, "graphs": INTEGER,
                   "instances": {"type": "object", "additionalProperties": INTEGER}, "published": STRING,
                   "last_change": {"type": "object"}},
                  {"search_index": {"type": ["integer", "null"]}}),
    "Search": _obj({**GENERATION, "query": STRING, "mode": {"enum": ["hybrid", "semantic", "keyword"]},
                    "page": INTEGER, "page_size": INTEGER, "pages": INTEGER, "total": INTEGER,
                    "capped": BOOLEAN,
                    "hits": _list(_obj({
                        "rank": INTEGER, "passage": _obj({"iri": STRING, "url": STRING}),
                        "document": _obj({"iri": STRING, "title": STRING, "url": STRING, "source": STRING}),
                        "date": STRING, "deals": _list(REF), "heading_path": _list(STRING), "text": STRING,
                        "highlighted": {"type": "string",
                                        "description": "escaped text, matched words in <mark>"},
                        "why": _obj({"fused_score": NUMBER, "keyword_rank": {"type": ["integer", "null"]},
                                     "vector_rank": {"type": ["integer", "null"]}})})),
                    "facets": _list(_obj({"facet": {"enum": list(SEARCH_FACETS)}, "title": STRING,
                                          "values": _list(_obj({"value": STRING, "label": STRING,
                                                                "count": INTEGER, "selected": BOOLEAN,
                                                                "url": STRING}))})),
                    "selected": _list(_obj({"facet": STRING, "value": STRING, "label": STRING,
                                            "remove_url": STRING}))}),
    "Answer": _obj({**GENERATION, "question": STRING,
                    "answer": {"oneOf": [{"type": "null"}, _obj({
                        "question": STRING, "answered": BOOLEAN,
                        "kind": {"enum": ["graph", "evidence", "graph+evidence", "declined"]},
                        "text": STRING,
                        "sentences": _list(_obj({"text": STRING, "citations": _list(INTEGER)})),
                        "citations": _list(_obj({"id": INTEGER, "passage_iri": STRING, "document_iri": STRING,
                                                 "quote": STRING, "start": INTEGER, "end": INTEGER})),
                        "resources": _list(_obj({"iri": STRING, "label": STRING})),
                        "passages": _list(_obj({"passage_iri": STRING, "text": STRING})),
                        "sparql": NULLABLE_STRING}, {"reason": NULLABLE_STRING})]}},
                   {"examples": _list(STRING)}),
    "Resource": _obj({**GENERATION, "iri": STRING, "label": STRING, "curie": STRING, "url": STRING,
                      "kind": {"enum": ["instance", "class", "property", "concept", "ontology"]},
                      "types": _list(REF), "definitions": _list(_obj({"language": STRING, "text": STRING})),
                      "outgoing": _list(_obj({"property": REF, "count": INTEGER,
                                              "values": _list({"type": "object"}),
                                              "more": _list({"type": "object"})})),
                      "incoming": _list(_obj({"property": REF, "count": INTEGER, "values": _list(REF),
                                              "page": INTEGER, "pages": INTEGER})),
                      "evidence": _list(PASSAGE), "related": _list(REF),
                      "formats": _list(_obj({"format": STRING, "media_type": STRING, "url": STRING}))}),
    "Deals": _obj({**GENERATION, "count": INTEGER, "deals": _list(_obj({
        "iri": STRING, "label": STRING, "url": STRING, "page": STRING, "type": REF, "theme": _list(STRING),
        "phases": _list(REF), "documents_about": INTEGER, "documents_mentioning": INTEGER, "lessons": INTEGER,
        "chain_elements": INTEGER}))}),
    "Deal": _obj({**GENERATION, "iri": STRING, "label": STRING, "slug": STRING, "types": _list(REF),
                  "themes": _list(STRING), "phases": _list(REF), "partners": _list(REF),
                  "stakeholders": {"type": "object"},
                  "chain": _obj({"stages": {"type": "object"}, "assumptions": _list({"type": "object"}),
                                 "edges": _list(_obj({"source": STRING, "target": STRING, "kind": STRING})),
                                 "diagram": _obj({"width": INTEGER, "height": INTEGER,
                                                  "boxes": _list({"type": "object"}),
                                                  "paths": _list({"type": "object"})})}),
                  "meetings": _list(REF), "lessons": _list(REF), "documents": _list(REF),
                  "timeline": _list(_obj({"year": STRING}))}),
    "Lessons": _obj({**GENERATION, "total": INTEGER, "page": INTEGER, "pages": INTEGER,
                     "filters": {"type": "object"},
                     "rows": _list(_obj({"iri": STRING, "label": STRING, "url": STRING,
                                         "kind": {"enum": ["lesson", "working_element"]}, "deals": _list(REF),
                                         "phases": _list(REF), "scaling": _list(REF), "themes": _list(STRING),
                                         "date": STRING,
                                         "evidence": _obj({"quote": STRING, "passage": STRING})})),
                     "choices": {"type": "object"}, "exports": _obj({"csv": STRING, "json": STRING})}),
    "Documents": _obj({**GENERATION, "total": INTEGER, "page": INTEGER, "pages": INTEGER,
                       "documents": _list(_obj({"iri": STRING, "title": STRING, "page": STRING,
                                               "date": STRING,
                                               "type": NULLABLE_REF, "source": STRING, "passages": INTEGER,
                                               "deals": _list(REF)}))}),
    "Document": _obj({**GENERATION, "iri": STRING, "label": STRING, "key": STRING,
                      "facts": _list(_obj({"property": STRING, "value": STRING})),
                      "passages": _list(_obj({"iri": STRING, "text": STRING, "html": STRING,
                                              "extracted": _list(_obj({"iri": STRING, "label": STRING,
                                                                       "type": REF, "quote": STRING}))}))}),
}


def _param(name: str, description: str, *, required: bool = False, location: str = "query",
            schema: dict[str, Any] | None = None, example: Any = None) -> dict[str, Any]:
    param: dict[str, Any] = {"name": name, "in": location, "required": required or location == "path",
                             "description": description, "schema": schema or STRING}
    if example is not None:
        param["example"] = example
    return param


LANG = _param("lang", "nl (default) or en: the language of labels and texts", schema={"enum": ["nl", "en"]})
PAGE = _param("page", "page number, from 1", schema={"type": "integer", "minimum": 1})
SEARCH_PARAMS = [
    _param("mode", "hybrid (default), semantic or keyword",
           schema={"enum": ["hybrid", "semantic", "keyword"]}),
    _param("deal", "a deal's slug (repeatable: any of them)", schema=_list(STRING)),
    _param("doc_type", "document type concept, e.g. doctype-news (repeatable)", schema=_list(STRING)),
    _param("stage", "chain stage concept, e.g. stage-output (repeatable)", schema=_list(STRING)),
    _param("phase", "phase concept, e.g. phase-3 (repeatable)", schema=_list(STRING)),
    _param("site", "source site (repeatable)", schema=_list(STRING)),
    _param("year", "four-digit year of the document", schema={"type": "string", "pattern": "^[0-9]{4}$"}),
]


def _get(summary: str, schema: str, params: list[dict[str, Any]], *, media_type: str = "application/json",
         errors: tuple[int, ...] = (400, 503)) -> dict[str, Any]:
    responses: dict[str, Any] = {"200": {"description": "OK", "content": {
        media_type: {"schema": {"$ref": f"#/components/schemas/{schema}"} if schema else STRING}}}}
    for status in errors:
        responses[str(status)] = {
            "description": {400: "bad request", 404: "not found", 503: "no data yet"}[status],
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    return {"get": {"summary": summary, "parameters": [*params, LANG], "responses": responses}}


PATHS: dict[str, Any] = {
    "/api/stats": _get("What the graph holds and the generation it was read from", "Stats", []),
    "/api/stats.json": _get("The same as /api/stats", "Stats", []),
    "/api/search": _get("Hybrid passage search with facets (the search page's data)", "Search", [
        _param("q", "the search text", example="opschalingspartners"), *SEARCH_PARAMS, PAGE]),
    "/api/ask": _get("A question answered with cited evidence (the ask page's data)", "Answer", [
        _param("q", "the question", example="Hoe betrek je partijen die weerstand bieden?"), *SEARCH_PARAMS]),
    "/api/resource": _get("One resource: labels, types, links out and in, evidence, related", "Resource", [
        _param("iri", "the resource's IRI", required=True, example="https://w3id.org/impactkg/def#Lesson"),
        _param("in", "an incoming property to page through (show more)"), PAGE], errors=(400, 404, 503)),
    "/api/deals": _get("Every deal with what the graph holds about it", "Deals", []),
    "/api/deals/{slug}": _get("One deal: facts, partners, impact chain, meetings, lessons, documents",
                              "Deal", [
        _param("slug", "the deal's slug (the last segment of its IRI)", location="path",
               example="city-deal-fietsen-voor-iedereen")], errors=(404, 503)),
    "/api/lessons": _get("Lessons and working elements across all deals, filtered and paged", "Lessons", [
        _param("kind", "lesson or working_element", schema={"enum": ["lesson", "working_element"]}),
        _param("deal", "a deal IRI"), _param("phase", "a phase concept IRI"),
        _param("scaling", "a scaling strategy concept IRI"), _param("theme", "a deal theme"),
        _param("year", "four-digit year"), PAGE]),
    "/api/lessons.csv": _get("The same table as CSV (all rows that pass the filters)", "", [
        _param("kind", "lesson or working_element"), _param("deal", "a deal IRI"),
        _param("phase", "a phase concept IRI"), _param("scaling", "a scaling strategy concept IRI"),
        _param("theme", "a deal theme"), _param("year", "four-digit year")], media_type="text/csv"),
    "/api/documents": _get("Documents with type, date, deals and source", "Documents", [
        _param("doc_type", "a document type concept IRI"), _param("deal", "a deal IRI"), PAGE]),
    "/api/documents/{key}": _get("One document's passages with what was extracted from them", "Document", [
        _param("key", "the last segment of the document's IRI", location="path")], errors=(404, 503)),
    "/api/openapi.json": {"get": {"summary": "This document", "responses": {"200": {
        "description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}}}}},
}


def openapi_document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "impactkg API", "version": "1.0.0",
                 "description": "Lessen uit City Deals en Town Deals / lessons from Dutch urban deals. Every "
                                "response carries the generation it was read from; errors have one shape "
                                "(components/schemas/Error)."},
        "paths": PATHS,
        "components": {"schemas": SCHEMAS},
    }
