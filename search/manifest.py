"""manifest.json: what an index folder holds and which model built it; written last, atomically."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from search.errors import IndexFormatError, IndexModelMismatch, IndexNotFound
from search.files import write_text_atomic

FORMAT_VERSION = 1
MANIFEST_FILE = "manifest.json"
FILE_ROLES = ("passages", "vectors", "lexical")
REINDEX_HINT = "run `impactkg reindex` to rebuild the search index"


@dataclass(frozen=True, slots=True)
class Manifest:
    """The commit record of an index folder: its files only count once a manifest names them."""

    engine: str
    model: str
    embedding_key: str
    dim: int
    analyzer: str
    version: int
    passages: int
    documents: int
    vectors: int
    vector_index: str
    files: dict[str, str] = field(default_factory=dict)
    store_revision: int = -1
    """The writer's passage-table revision this index was written from."""
    written_at: str = ""
    format_version: int = FORMAT_VERSION

    def to_json(self) -> str:
        data: dict[str, Any] = {
            "format_version": self.format_version,
            "engine": self.engine,
            "model": self.model,
            "embedding_key": self.embedding_key,
            "dim": self.dim,
            "analyzer": self.analyzer,
            "version": self.version,
            "counts": {
                "passages": self.passages,
                "documents": self.documents,
                "vectors": self.vectors,
            },
            "vector_index": self.vector_index,
            "files": dict(self.files),
            "store_revision": self.store_revision,
            "written_at": self.written_at or datetime.now(UTC).isoformat(timespec="seconds"),
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data = json.loads(text)
        counts = data.get("counts", {})
        return cls(
            format_version=int(data["format_version"]),
            engine=str(data["engine"]),
            model=str(data["model"]),
            embedding_key=str(data.get("embedding_key", data["model"])),
            dim=int(data["dim"]),
            analyzer=str(data["analyzer"]),
            version=int(data["version"]),
            passages=int(counts.get("passages", 0)),
            documents=int(counts.get("documents", 0)),
            vectors=int(counts.get("vectors", 0)),
            vector_index=str(data.get("vector_index", "")),
            files={str(k): str(v) for k, v in data.get("files", {}).items()},
            store_revision=int(data.get("store_revision", -1)),
            written_at=str(data.get("written_at", "")),
        )

    def write(self, folder: Path) -> None:
        write_text_atomic(folder / MANIFEST_FILE, self.to_json())


def read_manifest(folder: Path) -> Manifest:
    """The manifest of an index folder; IndexNotFound / IndexFormatError with a clear message."""
    path = Path(folder) / MANIFEST_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise IndexNotFound(f"no search index in {folder} (no {MANIFEST_FILE})") from None
    try:
        manifest = Manifest.from_json(text)
    except (ValueError, KeyError, TypeError) as exc:
        raise IndexFormatError(f"unreadable {path}: {exc}; {REINDEX_HINT}") from exc
    if manifest.format_version != FORMAT_VERSION:
        raise IndexFormatError(
            f"the search index in {folder} has format {manifest.format_version}, this version "
            f"reads format {FORMAT_VERSION}; {REINDEX_HINT}"
        )
    missing = [role for role in FILE_ROLES if role not in manifest.files]
    if missing:
        raise IndexFormatError(f"{path} names no {', '.join(missing)} file; {REINDEX_HINT}")
    return manifest


def check_model(
    manifest: Manifest, folder: Path, *, model: str, embedding_key: str, dim: int, analyzer: str
) -> None:
    """Raise IndexModelMismatch unless the index was built with this model and analyzer."""
    if manifest.model != model or manifest.embedding_key != embedding_key:
        raise IndexModelMismatch(
            f"the search index in {folder} was built with embedding model {manifest.model!r}, "
            f"but the configured model is {model!r}; {REINDEX_HINT} with the configured model"
        )
    if manifest.dim != dim:
        raise IndexModelMismatch(
            f"the search index in {folder} holds {manifest.dim}-dimensional vectors, but "
            f"{model!r} makes {dim}-dimensional ones; {REINDEX_HINT}"
        )
    if manifest.analyzer != analyzer:
        raise IndexModelMismatch(
            f"the search index in {folder} was built with text analyzer {manifest.analyzer!r}, "
            f"this version uses {analyzer!r}; {REINDEX_HINT}"
        )


__all__ = ["FORMAT_VERSION", "MANIFEST_FILE", "Manifest", "check_model", "read_manifest"]
