"""The knowledge graph: store, generations, IRIs, namespaces, queries and validation."""

from kg.errors import (
    KgError,
    NoDataError,
    QueryTimeoutError,
    SparqlError,
    SparqlSyntaxError,
    StoreBusyError,
)
from kg.generations import Generation, GenerationReader, current_generation, publish_generation
from kg.iri import IriMinter, slugify
from kg.query import QueryResult, run_query
from kg.records import PassageRecord
from kg.store import Batch, GraphStore

__all__ = [
    "Batch",
    "Generation",
    "GenerationReader",
    "GraphStore",
    "IriMinter",
    "KgError",
    "NoDataError",
    "PassageRecord",
    "QueryResult",
    "QueryTimeoutError",
    "SparqlError",
    "SparqlSyntaxError",
    "StoreBusyError",
    "current_generation",
    "publish_generation",
    "run_query",
    "slugify",
]
