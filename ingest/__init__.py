"""Ingest: read sources into clean documents and passages, annotate them, write them out.

The reading half (readers, cleaning, template learning, chunking) knows nothing of the graph
store or the search index; the pipeline wires it to them.
"""

from ingest.chunk import Chunk, Chunker, ChunkOptions, chunk_document
from ingest.clean import clean_blocks, guess_language, normalize_space
from ingest.document import (
    MEDIA_DOCX,
    MEDIA_HTML,
    MEDIA_MARKDOWN,
    MEDIA_PDF,
    MEDIA_TEXT,
    Block,
    BlockKind,
    ExtractedDocument,
    ReadOptions,
    ReadOutcome,
    blocks_to_text,
)
from ingest.read import SourceReader, read_bytes, read_file, sniff
from ingest.read_docx import read_docx
from ingest.read_html import read_html
from ingest.read_pdf import read_pdf
from ingest.read_text import decode_bytes, read_markdown, read_plain_text
from ingest.sentences import sentence_texts, split_sentences
from ingest.template import BlockDecision, SiteTemplate, TemplateOptions

__all__ = [
    "MEDIA_DOCX",
    "MEDIA_HTML",
    "MEDIA_MARKDOWN",
    "MEDIA_PDF",
    "MEDIA_TEXT",
    "Block",
    "BlockDecision",
    "BlockKind",
    "Chunk",
    "ChunkOptions",
    "Chunker",
    "ExtractedDocument",
    "ReadOptions",
    "ReadOutcome",
    "SiteTemplate",
    "SourceReader",
    "TemplateOptions",
    "blocks_to_text",
    "chunk_document",
    "clean_blocks",
    "decode_bytes",
    "guess_language",
    "normalize_space",
    "read_bytes",
    "read_docx",
    "read_file",
    "read_html",
    "read_markdown",
    "read_pdf",
    "read_plain_text",
    "sentence_texts",
    "sniff",
    "split_sentences",
]
