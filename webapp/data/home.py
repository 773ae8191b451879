"""The home page: what the graph holds, the last ingest, example questions, ways in."""

from __future__ import annotations

from typing import Any

from flask import url_for

from kg.namespaces import IKG
from kg.stats import graph_stats
from webapp.context import graph, memo, resources, snapshot
from webapp.data.deals import deals_data
from webapp.data.graph import browse_url, labels
from webapp.i18n import t

HEADLINE = (
    ("Deal", "deals", "deals"), ("Document", "documenten", "documents"),
    ("Lesson", "geleerde lessen", "lessons learned"), ("WorkingElement", "werkzame elementen", "working elements"),
    ("Meeting", "bijeenkomsten", "meetings"), ("Passage", "passages", "passages"),
)
"""Counted on the home page; a CoP meeting is also typed ikg:Meeting, so it counts once."""

EXAMPLE_QUESTIONS = (
    ("Hoe betrek je partijen die weerstand bieden?", "How do you involve parties that resist?"),
    ("Welke werkzame elementen voorspellen blijvende impact?",
     "Which working elements predict lasting impact?"),
    ("Wat leerden deals over opschalen in de fase borgen?",
     "What did deals learn about scaling up in the securing phase?"),
    ("Welke aannames zitten tussen output en impact?", "Which assumptions sit between output and impact?"),
)
EXAMPLE_SEARCHES = ("opschalingspartners", "profijtgroep betrekken", "waardering vrijwilligers")


def stats_data() -> dict[str, Any]:
    """Counts per class and the generation they were read from (the JSON of /api/stats)."""
    pinned = snapshot()
    stats = memo("stats", lambda: graph_stats(graph()).as_dict())
    manifest = pinned.generation.manifest
    search = resources().search
    return {
        **stats,
        "generation": pinned.generation.id,
        "published": manifest.get("created", ""),
        "last_change": {key: manifest[key] for key in ("reason", "new", "changed", "failed")
                        if key in manifest},
        "search_index": search.stats()["passages"] if search is not None else None,
    }


def home_data() -> dict[str, Any]:
    stats = stats_data()
    instances: dict[str, int] = stats["instances"]
    counts = {name: instances.get(name, 0) for name, _, _ in HEADLINE}
    counts["Deal"] = deals_data()["count"]  # also the deals the documents name that nobody typed yet
    label_of = labels([str(IKG) + name for name in instances])
    return {
        "stats": stats,
        "headline": [
            {"class": name, "label": t(dutch, english), "count": counts[name],
             "url": url_for("deals.index") if name == "Deal" else browse_url(str(IKG) + name)}
            for name, dutch, english in HEADLINE
        ],
        "classes": [
            {"class": name, "label": label_of[str(IKG) + name], "count": count,
             "url": browse_url(str(IKG) + name)}
            for name, count in instances.items()
        ],
        "example_questions": [t(nl, en) for nl, en in EXAMPLE_QUESTIONS],
        "example_searches": list(EXAMPLE_SEARCHES),
    }
