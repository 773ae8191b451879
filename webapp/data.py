"""Data functions: one per page, each feeding both the HTML page and its JSON twin."""

from __future__ import annotations

from typing import Any

from kg.stats import graph_stats
from webapp.context import snapshot


def stats_data() -> dict[str, Any]:
    """What the graph holds, with the generation it was read from."""
    pinned = snapshot()
    stats = graph_stats(pinned.resources.graph).as_dict()
    return {**stats, "generation": pinned.generation.id,
            "published": pinned.generation.manifest.get("created", "")}
