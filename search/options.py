"""The one options object of a search index: fusion weights, candidate depth, vector index shape."""

from __future__ import annotations

from dataclasses import dataclass

from search.fusion import RRF_K_DEFAULT
from search.hubness import HubParams
from search.vector_index import VectorIndexParams


@dataclass(frozen=True, slots=True)
class SearchOptions:
    """Settings of a SearchIndex (writer and reader); every field has a measured or safe default.

    The fusion weights were chosen on a Dutch question set with paraphrased and
    English questions, where BM25 often finds nothing useful; see docs/search.md.
    """

    semantic_weight: float = 1.0
    keyword_weight: float = 0.5
    keyword_coverage_exponent: float = 2.0
    """In hybrid mode a keyword hit votes with weight * coverage ** exponent, where coverage
    is the idf-weighted share of the query's terms the passage holds (0 = plain RRF)."""
    rrf_k: int = RRF_K_DEFAULT
    prf_weight: float = 0.3
    """Vector pseudo-relevance feedback: the query vector plus this weight times the mean of
    the ``prf_passages`` nearest passages is searched again (0 = off). Measured on the
    tuning questions of tests/fixtures/retrieval (docs/search.md)."""
    prf_passages: int = 5
    hub_weight: float = 0.0
    """Vector ranking: a passage's similarity loses hub_weight * r_p, its mean similarity to
    its ``hub_neighbours`` nearest passages of other documents (CSLS-style hubness
    reduction, search/hubness.py; 0 = off)."""
    hub_neighbours: int = 10
    hub_sample: int = 2048
    """r_p is measured against at most this many passages (a fixed random sample above it)."""
    deal_boost: float = 0.0
    """Hybrid: a passage whose document is about a deal the query names scores times
    (1 + deal_boost * share of the document's deals that were named); a hub page about
    every deal gets little of it. Needs a label table (SearchIndex.open(entities=...))."""
    concept_expansion: bool = True
    """Keyword search adds the Dutch labels of concepts a query names in English."""
    candidates_per_ranker: int = 100
    """How deep each ranker's list goes into the fusion (at least k)."""
    max_results: int = 200
    """The largest k a search may ask for."""
    query_cache_entries: int = 256
    """Query embeddings kept in memory (a repeated query is not embedded again)."""
    hnsw_min_vectors: int = 50_000
    hnsw_m: int = 32
    hnsw_ef_construction: int = 64
    hnsw_ef_search: int = 128
    hnsw_max_removed_fraction: float = 0.1
    exact_max_vectors: int = 10_000
    faiss_search_threads: int = 1
    """faiss threads per search; more only contend with the query embedding."""
    pending_max_vectors: int = 8192
    """Writer: pending vectors are added to the index once this many have collected."""

    def __post_init__(self) -> None:
        if self.semantic_weight < 0 or self.keyword_weight < 0:
            raise ValueError("fusion weights must be >= 0")
        if self.semantic_weight == 0 and self.keyword_weight == 0:
            raise ValueError("at least one fusion weight must be > 0")
        if self.candidates_per_ranker < 1 or self.max_results < 1:
            raise ValueError("candidates_per_ranker and max_results must be >= 1")
        if self.prf_weight < 0 or self.prf_passages < 1 or self.deal_boost < 0:
            raise ValueError("prf_weight and deal_boost must be >= 0, prf_passages >= 1")
        if self.hub_weight < 0:
            raise ValueError("hub_weight must be >= 0")
        self.hub_params()  # checks neighbours and sample

    def hub_params(self) -> HubParams:
        return HubParams(neighbours=self.hub_neighbours, sample=self.hub_sample)

    def vector_params(self) -> VectorIndexParams:
        return VectorIndexParams(
            hnsw_min_vectors=self.hnsw_min_vectors,
            hnsw_m=self.hnsw_m,
            hnsw_ef_construction=self.hnsw_ef_construction,
            hnsw_ef_search=self.hnsw_ef_search,
            hnsw_max_removed_fraction=self.hnsw_max_removed_fraction,
            exact_max_vectors=self.exact_max_vectors,
            search_threads=self.faiss_search_threads,
        )


__all__ = ["SearchOptions"]
