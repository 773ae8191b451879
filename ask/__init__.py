"""Question answering: a Dutch or English question in, a cited answer from the graph and the passages out.

```python
catalog = EntityCatalog.from_graph(graph)          # once per graph generation
answerer = Answerer(graph, search_index, AskOptions(), catalog)
answer = answerer.answer("Wie sprak er op de CoP in Amersfoort?", mode="hybrid", filters=None)
answer.to_dict()
```

Imports kg and search only (see docs/ask.md and docs/architecture.md).
"""

from ask.answer import (
    Answer,
    AnswerSentence,
    Citation,
    CitedSpan,
    Evidence,
    GraphRows,
    PassageView,
    Resource,
)
from ask.answerer import Answerer
from ask.catalog import Entity, EntityCatalog
from ask.errors import AskError
from ask.evidence import SentenceVectors
from ask.options import AskOptions, ChatOptions, Thresholds

__all__ = [
    "Answer",
    "AnswerSentence",
    "Answerer",
    "AskError",
    "AskOptions",
    "ChatOptions",
    "Citation",
    "CitedSpan",
    "Entity",
    "EntityCatalog",
    "Evidence",
    "GraphRows",
    "PassageView",
    "Resource",
    "SentenceVectors",
    "Thresholds",
]
