"""The optional chat-model writer: an OpenAI-compatible endpoint rewrites the extractive answer
from the cited evidence only. A rewrite in which any sentence lacks a citation that exists is
thrown away and the extractive answer stays."""

from __future__ import annotations

import json
import logging
import re
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass

from ask.answer import AnswerSentence, Citation
from ask.options import ChatOptions
from ask.text import split_sentences

log = logging.getLogger(__name__)

_MARKER = re.compile(r"\[(\d+)\]")
_MARKERS_AFTER_STOP = re.compile(r"([.!?])((?:\s*\[\d+\])+)")

PROMPTS = {
    "nl": ("Je beantwoordt vragen over City Deals, Town Deals en Agenda Stad. Gebruik alleen de "
           "genummerde bronnen die je krijgt, niets anders. Schrijf een kort antwoord van hooguit "
           "{n} zinnen in het Nederlands. Zet achter elke zin het nummer van de bron waarop hij "
           "steunt tussen blokhaken, zoals [1]. Gebruik alleen nummers van de gegeven bronnen."),
    "en": ("You answer questions about City Deals, Town Deals and Agenda Stad. Use only the "
           "numbered sources you are given, nothing else. Write a short answer of at most {n} "
           "sentences in English. End every sentence with the number of the source it rests on in "
           "square brackets, like [1]. Use only the numbers of the given sources."),
}


class ChatError(Exception):
    """The endpoint failed or wrote an answer that breaks the citation rule; the message says why."""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # the request goes to the configured endpoint and nowhere else


@dataclass(frozen=True, slots=True)
class Rewrite:
    text: str
    sentences: tuple[AnswerSentence, ...]


class ChatWriter:
    """Rewrites an answer through ``{url}/chat/completions``."""

    def __init__(self, options: ChatOptions):
        self.options = options
        self._opener = urllib.request.build_opener(_NoRedirect)

    def rewrite(self, question: str, language: str, citations: Sequence[Citation],
                max_sentences: int) -> Rewrite:
        """The model's answer, checked: every sentence cites an existing source. Raises ChatError."""
        sources = "\n".join(f"[{c.id}] {' '.join(c.evidence.quote.split())} ({c.evidence.title})"
                            for c in citations)
        prompt = PROMPTS.get(language, PROMPTS["nl"]).format(n=max_sentences)
        label = "Vraag" if language == "nl" else "Question"
        label_sources = "Bronnen" if language == "nl" else "Sources"
        body = {
            "model": self.options.model,
            "messages": [{"role": "system", "content": prompt},
                         {"role": "user", "content": f"{label}: {question}\n\n{label_sources}:\n{sources}"}],
            "temperature": 0,
            "max_tokens": self.options.max_tokens,
        }
        content = self._post(body)
        return check_rewrite(content, {c.id for c in citations})

    def _post(self, body: dict) -> str:
        headers = {"Content-Type": "application/json"}
        if self.options.api_key:
            headers["Authorization"] = f"Bearer {self.options.api_key}"
        request = urllib.request.Request(
            self.options.url.rstrip("/") + "/chat/completions",
            data=json.dumps(body).encode("utf-8"), headers=headers, method="POST")
        try:
            with self._opener.open(request, timeout=self.options.timeout_s) as response:
                answer = json.loads(response.read().decode("utf-8"))
            return str(answer["choices"][0]["message"]["content"])
        except urllib.error.HTTPError as error:
            raise ChatError(f"chat endpoint answered HTTP {error.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise ChatError(f"chat endpoint unreachable: {error}") from None
        except (ValueError, KeyError, IndexError, TypeError):
            raise ChatError("chat endpoint sent no usable answer") from None


def check_rewrite(content: str, known: set[int]) -> Rewrite:
    """Split the model's text into sentences; each must cite at least one known source."""
    text = " ".join(content.split())
    text = _MARKERS_AFTER_STOP.sub(lambda m: f"{m.group(2)}{m.group(1)}", text)
    sentences = []
    for sentence in split_sentences(text):
        cited = tuple(dict.fromkeys(int(n) for n in _MARKER.findall(sentence.text)))
        if not cited:
            raise ChatError(f"a sentence of the chat answer cites no source: {sentence.text[:80]!r}")
        unknown = [n for n in cited if n not in known]
        if unknown:
            raise ChatError(f"the chat answer cites sources that do not exist: {unknown}")
        sentences.append(AnswerSentence(sentence.text, cited))
    if not sentences:
        raise ChatError("the chat answer is empty")
    return Rewrite(" ".join(s.text for s in sentences), tuple(sentences))


__all__ = ["ChatError", "ChatWriter", "Rewrite", "check_rewrite"]
