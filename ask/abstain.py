"""When to say "no good answer": names the evidence lacks, or a best sentence that scores too low.

The score is the best quoted sentence's cosine similarity to the question plus a little for
the share of the question's weighted words the best passage holds; the threshold is calibrated
on the tuning part of the evaluation set (docs/ask.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from ask.evidence import COVERAGE_WEIGHT, Retrieval, Scored
from ask.intent import Analysis
from ask.options import Thresholds

DOMAIN_TYPES = frozenset({"CityDeal", "TownDeal", "Deal", "Person", "Organisation", "Place", "Theme",
                          "Phase", "ChainStage"})

OFF_TOPIC_MARGIN = 0.03
"""A question that names nothing from the graph and scores this far under the threshold is declined
as off-topic; closer to it, it is an on-topic question the sources do not answer."""

MESSAGES = {
    "missing": {"nl": "Geen van de gevonden passages noemt {names}.",
                "en": "None of the passages found mentions {names}."},
    "weak": {"nl": "De gevonden passages beantwoorden deze vraag niet goed genoeg "
                   "(score {score:.3f}, drempel {threshold:.3f}).",
             "en": "The passages found do not answer this question well enough "
                   "(score {score:.3f}, threshold {threshold:.3f})."},
    "off_topic": {"nl": "Over deze vraag staat niets in de bronnen over City Deals, Town Deals en "
                        "Agenda Stad.",
                  "en": "The sources on City Deals, Town Deals and Agenda Stad say nothing about this "
                        "question."},
    "graph_empty": {"nl": "De graaf bevat hier geen antwoord op.",
                    "en": "The graph holds no answer to this."},
    "empty": {"nl": "Er zijn nog geen passages om in te zoeken.",
              "en": "There are no passages to search yet."},
}


@dataclass(frozen=True, slots=True)
class Verdict:
    answered: bool
    score: float
    reason: str = ""
    off_topic: bool = False


def evidence_score(best: Scored | None, retrieval: Retrieval) -> float:
    if best is None or not retrieval.candidates:
        return 0.0
    return best.similarity + COVERAGE_WEIGHT * retrieval.candidates[0].coverage


def message(key: str, language: str, **values: object) -> str:
    return MESSAGES[key].get(language, MESSAGES[key]["nl"]).format(**values)


def judge(analysis: Analysis, retrieval: Retrieval, best: Scored | None, thresholds: Thresholds) -> Verdict:
    """Whether the evidence answers the question, and if not, why."""
    language = analysis.language
    score = evidence_score(best, retrieval)
    if not retrieval.candidates:
        return Verdict(False, 0.0, message("empty", language))
    on_topic = any(m.entity.type in DOMAIN_TYPES for m in analysis.mentions)
    if retrieval.missing_names:
        names = ", ".join(f"'{n}'" for n in retrieval.missing_names)
        reason = message("missing", language, names=names)
        if not on_topic:
            reason = message("off_topic", language) + " " + reason
        return Verdict(False, score, reason, off_topic=not on_topic)
    threshold = thresholds.for_language(language)
    if score < threshold:
        reason = message("weak", language, score=score, threshold=threshold)
        off_topic = not on_topic and score < threshold - OFF_TOPIC_MARGIN
        if off_topic:
            reason = message("off_topic", language) + " " + reason
        return Verdict(False, score, reason, off_topic=off_topic)
    return Verdict(True, score)


__all__ = ["Verdict", "evidence_score", "judge", "message"]
