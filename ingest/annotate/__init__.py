"""Annotation: from a document's metadata and passages to ontology resources as RDF triples.

Cue-phrase rules (``cues``) give precision; similarity to class prototypes
(``prototypes``, through the search embedder) adds recall. Nothing here touches a store.
"""

from ingest.annotate.annotator import (
    ANNOTATOR_VERSION,
    AnnotateOptions,
    AnnotationInput,
    AnnotationResult,
    Annotator,
)
from ingest.annotate.deals import KnownDeal, load_known_deals
from ingest.annotate.found import CLASS_KEYS
from ingest.annotate.similarity import Embedder, ModelThresholds

__all__ = [
    "ANNOTATOR_VERSION",
    "CLASS_KEYS",
    "AnnotateOptions",
    "AnnotationInput",
    "AnnotationResult",
    "Annotator",
    "Embedder",
    "KnownDeal",
    "ModelThresholds",
    "load_known_deals",
]
