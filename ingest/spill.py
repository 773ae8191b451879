"""A temporary file of pickled records, written once and read back in order.

Ingest reads and extracts every changed source before it writes the first batch (a site's
template is learnt from all its pages), so what it has read goes to disk instead of memory:
memory holds one record at a time, whatever the size of the corpus.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any


class Spill:
    """Append records with :meth:`add`, then iterate them (as often as needed) in order."""

    def __init__(self, folder: Path | None = None) -> None:
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
        self._file: IO[bytes] = tempfile.TemporaryFile(  # noqa: SIM115 - closed in close()
            prefix="ingest-spill-", dir=folder)
        self.count = 0

    def add(self, record: Any) -> None:
        self._file.seek(0, 2)
        pickle.dump(record, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self.count += 1

    def __iter__(self) -> Iterator[Any]:
        self._file.flush()
        position = 0
        for _ in range(self.count):
            self._file.seek(position)  # an add() in between moves the file to its end
            record = pickle.load(self._file)
            position = self._file.tell()
            yield record

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> Spill:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
