"""The optional chat writer against a fake OpenAI-compatible endpoint on 127.0.0.1."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from ask import Answerer, AskOptions, ChatOptions, EntityCatalog
from impactkg import wiring
from impactkg.settings import SettingsError, load_settings

QUESTION = "Hoe ga je om met partijen die weerstand bieden?"


@dataclass
class FakeModel:
    """What the endpoint answers: a function of the request body, or a status code, after a delay."""

    reply: Callable[[dict], str] = lambda body: "Geen idee."
    status: int = 200
    delay_s: float = 0.0
    requests: list[tuple[str, dict[str, str], dict]] = field(default_factory=list)


@pytest.fixture
def model() -> Iterator[tuple[FakeModel, str]]:
    fake = FakeModel()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            fake.requests.append((self.path, dict(self.headers), body))
            time.sleep(fake.delay_s)
            if fake.status != 200:
                self.send_response(fake.status)
                self.send_header("Location", "http://127.0.0.1:9/elsewhere")
                self.end_headers()
                return
            answer = {"choices": [{"message": {"role": "assistant", "content": fake.reply(body)}}]}
            data = json.dumps(answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield fake, f"http://127.0.0.1:{server.server_port}/v1"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def parts(ask_data: Path) -> Iterator[tuple[object, object, EntityCatalog]]:
    settings = load_settings(ask_data)
    with wiring.open_reader(settings) as reader, wiring.open_search(settings, reader) as index:
        yield reader, index, EntityCatalog.from_graph(reader)


def answerer_for(parts: tuple, url: str, timeout_s: float = 5.0) -> Answerer:
    reader, index, catalog = parts
    chat = ChatOptions(url=url, model="fake-model", api_key="sekret", timeout_s=timeout_s)
    return Answerer(reader, index, AskOptions(chat=chat), catalog)


def sources_in(body: dict) -> dict[int, str]:
    user = body["messages"][-1]["content"]
    return {int(n): quote for n, quote in re.findall(r"^\[(\d+)\] (.+?) \(", user, re.MULTILINE)}


def test_a_rewrite_that_cites_existing_sources_replaces_the_extractive_text(model, parts) -> None:
    fake, url = model
    fake.reply = lambda body: " ".join(f"Bron {n} zegt het zo. [{n}]" for n in sorted(sources_in(body)))
    answer = answerer_for(parts, url).answer(QUESTION)
    assert answer.writer == "chat" and answer.answered
    assert answer.text.startswith("Bron 1 zegt het zo [1].")
    assert [s.citations for s in answer.sentences] == [(c.id,) for c in answer.citations]
    path, headers, body = fake.requests[-1]
    assert path == "/v1/chat/completions"
    assert headers["Authorization"] == "Bearer sekret"
    assert body["model"] == "fake-model" and body["temperature"] == 0
    user = body["messages"][-1]["content"]
    assert QUESTION in user
    assert sources_in(body) == {c.id: c.evidence.quote for c in answer.citations}


@pytest.mark.parametrize(("reply", "note"), [
    (lambda body: "Partijen met weerstand moet je vroeg betrekken.", "cites no source"),
    (lambda body: "Betrek ze vroeg [1]. Dat zei ook de minister [9].", "do not exist"),
])
def test_a_rewrite_that_breaks_the_citation_rule_falls_back(model, parts, reply, note) -> None:
    fake, url = model
    fake.reply = reply
    answer = answerer_for(parts, url).answer(QUESTION)
    assert answer.writer == "extractive" and note in answer.writer_note
    reader, index, catalog = parts
    plain = Answerer(reader, index, AskOptions(), catalog).answer(QUESTION)
    assert answer.text == plain.text and answer.citations == plain.citations


def test_a_failing_or_slow_endpoint_leaves_the_extractive_answer(model, parts) -> None:
    fake, url = model
    fake.status = 500
    failed = answerer_for(parts, url).answer(QUESTION)
    assert failed.writer == "extractive" and "HTTP 500" in failed.writer_note
    fake.status = 302  # a redirect is not followed: the request goes to the configured host only
    redirected = answerer_for(parts, url).answer(QUESTION)
    assert redirected.writer == "extractive" and "HTTP 302" in redirected.writer_note
    fake.status, fake.delay_s = 200, 1.5
    started = time.perf_counter()
    slow = answerer_for(parts, url, timeout_s=0.3).answer(QUESTION)
    assert slow.writer == "extractive" and "unreachable" in slow.writer_note
    assert time.perf_counter() - started < 5


def test_questions_without_an_answer_never_reach_the_endpoint(model, parts) -> None:
    fake, url = model
    answer = answerer_for(parts, url).answer("Wie won de Tour de France in 1998?")
    assert not answer.answered and fake.requests == []


def test_settings_turn_the_writer_on_and_the_key_comes_from_the_environment(tmp_path: Path) -> None:
    settings = load_settings(tmp_path, {"ask_chat_url": "http://127.0.0.1:8080/v1",
                                        "ask_chat_model": "m", "ask_chat_api_key_env": "MY_KEY"}, {})
    options = wiring.ask_options(settings, {"MY_KEY": "k3y"})
    assert options.chat is not None and options.chat.api_key == "k3y" and options.chat.model == "m"
    assert wiring.ask_options(load_settings(tmp_path, {}, {}), {}).chat is None
    no_model = replace(settings, values={**settings.values, "ask_chat_model": ""})
    with pytest.raises(SettingsError, match="model"):
        wiring.ask_options(no_model, {})
