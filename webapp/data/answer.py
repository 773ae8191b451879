"""The ask page: a question answered from the graph and the passages, with its evidence.

The answer comes from the ``ask`` package (the generation's ``answerer``); this module only
parses the request and adds links for the page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import quote

from webapp.context import limits, resources
from webapp.data.evidence import marked_html
from webapp.data.facets import SEARCH_FACETS
from kg.namespaces import IKG
from webapp.data.graph import browse_url, document_url, labels
from webapp.data.home import EXAMPLE_QUESTIONS
from webapp.data.search_results import SearchArgs, filters_of
from webapp.errors import Unavailable
from webapp.i18n import t

_MARKER = re.compile(r"\[(\d+)\]")


@dataclass(frozen=True, slots=True)
class AskArgs:
    question: str = ""
    mode: str = "hybrid"
    search: SearchArgs = SearchArgs()
    """The search filters the evidence is limited to (same parameters as the search page)."""

    @classmethod
    def from_query(cls, args: Mapping[str, Any]) -> AskArgs:
        """The same parameters as the search page (``q`` is the question), checked the same way."""
        search = SearchArgs.from_query(args, question=True)
        return cls(question=search.q, mode=search.mode, search=search)


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
    """Links on this server for what the answer names, and the editor link for its SPARQL.

    Each cited sentence in the passages gets an anchor (``#citaat-<n>``); the answer's
    ``[n]`` markers link to it, or to the passage's page when the passage is not shown.
    """
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
        passage["citation_numbers"] = sorted({cited["citation"] for cited in passage.get("cited", [])})
    targets = {}
    for citation in answer.get("citations", []):
        citation["passage_url"] = browse_url(citation["passage_iri"])
        citation["document_url"] = document_url(citation["document_iri"])
        number = citation["id"]
        citation["href"] = f"#citaat-{number}" if number in anchored else citation["passage_url"]
        targets[number] = citation["href"]
    for sentence in answer.get("sentences", []):
        sentence["html"] = _linked_markers(sentence["text"], targets)
    resources = answer.get("resources", [])
    rows = (answer.get("graph_rows") or {}).get("rows", [])
    iris = [cell for row in rows for cell in row if _is_iri(cell)]
    iris += [v for r in resources for values in r.get("facts", {}).values() for v in values if _is_iri(v)]
    names = [str(IKG) + key for r in resources for key in r.get("facts", {})]
    names += [str(IKG) + r["type"] for r in resources if r.get("type")]
    label_of = labels([*iris, *names])
    for resource in resources:
        resource["url"] = browse_url(resource["iri"])
        resource["type_label"] = label_of.get(str(IKG) + resource["type"], "") if resource.get("type") else ""
        resource["fact_list"] = [
            {"name": label_of[str(IKG) + key],
             "values": [{"text": label_of[v], "url": browse_url(v)} if _is_iri(v) else {"text": str(v)}
                        for v in values]}
            for key, values in resource.get("facts", {}).items()]
    if rows:
        answer["graph_table"] = {
            "variables": answer["graph_rows"]["variables"],
            "rows": [[{"value": cell, "label": label_of[cell], "url": browse_url(cell)} if _is_iri(cell)
                      else {"value": "" if cell is None else str(cell)} for cell in row] for row in rows],
        }
    if answer.get("sparql"):
        answer["sparql_editor_url"] = "/sparql?query=" + quote(answer["sparql"], safe="")
    return answer


def _linked_markers(text: str, targets: dict[int, str]) -> str:
    """The sentence as escaped HTML with each ``[n]`` a link to citation n."""
    def link(match: re.Match[str]) -> str:
        number = int(match.group(1))
        if number not in targets:
            return match.group(0)
        return (f'<a class="cite" href="{escape(targets[number], quote=True)}" '
                f'aria-label="bron {number}">[{number}]</a>')

    return _MARKER.sub(link, escape(text, quote=False))


def _is_iri(cell: object) -> bool:
    return isinstance(cell, str) and cell.startswith(("http://", "https://", "urn:")) and " " not in cell
