"""The ask page: a question answered from the graph and the passages, with its evidence.

The answer comes from the ``ask`` package (the generation's ``answerer``); this module only
parses the request and adds links for the page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from search import MODES
from webapp.context import limits, resources
from webapp.data.evidence import marked_html
from webapp.data.facets import SEARCH_FACETS
from webapp.data.graph import browse_url, document_url
from webapp.data.home import EXAMPLE_QUESTIONS
from webapp.data.search_results import SearchArgs, filters_of
from webapp.errors import BadRequest, Unavailable
from webapp.i18n import t

MAX_QUESTION_CHARS = 500


@dataclass(frozen=True, slots=True)
class AskArgs:
    question: str = ""
    mode: str = "hybrid"
    search: SearchArgs = SearchArgs()
    """The search filters the evidence is limited to (same parameters as the search page)."""

    @classmethod
    def from_query(cls, args: Mapping[str, Any]) -> AskArgs:
        question = (args.get("q") or "").strip()
        if len(question) > MAX_QUESTION_CHARS:
            raise BadRequest(f"the question is longer than {MAX_QUESTION_CHARS} characters")
        mode = args.get("mode") or "hybrid"
        if mode not in MODES:
            raise BadRequest(f"mode must be one of {', '.join(MODES)}, not {mode[:20]!r}")
        return cls(question=question, mode=mode, search=SearchArgs.from_query(args))


def ask_data(args: AskArgs) -> dict[str, Any]:
    examples = [t(nl, en) for nl, en in EXAMPLE_QUESTIONS]
    if not args.question:
        return {"question": "", "answer": None, "examples": examples}
    answerer = resources().answerer
    if answerer is None:
        raise Unavailable("question answering is not available in this installation")
    has_filters = any(facet in dict(args.search.selected) for facet in SEARCH_FACETS)
    filters = filters_of(args.search, limits().base_iri) if has_filters else None
    answer = answerer.answer(args.question, mode=args.mode, filters=filters).to_dict()
    return {"question": args.question, "answer": decorate(answer), "examples": examples}


def decorate(answer: dict[str, Any]) -> dict[str, Any]:
    """Links on this server for what the answer names, and the editor link for its SPARQL."""
    for citation in answer.get("citations", []):
        citation["passage_url"] = browse_url(citation["passage_iri"])
        citation["document_url"] = document_url(citation["document_iri"])
        citation["anchor"] = f"citaat-{citation['id']}"
    anchored: set[int] = set()
    for passage in answer.get("passages", []):
        passage["url"] = browse_url(passage["passage_iri"])
        passage["document_url"] = document_url(passage["document_iri"])
        spans, ids = [], []
        for cited in passage.get("cited", []):
            number = cited["citation"]
            spans.append((cited["start"], cited["end"]))
            ids.append(f"citaat-{number}" if number not in anchored else f"citaat-{number}-{len(ids)}")
            anchored.add(number)
        passage["html"] = marked_html(passage.get("text", ""), spans, ids)
    for resource in answer.get("resources", []):
        resource["url"] = browse_url(resource["iri"])
    if answer.get("sparql"):
        answer["sparql_editor_url"] = "/sparql?query=" + quote(answer["sparql"], safe="")
    return answer
