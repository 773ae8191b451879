"""Recurring lesson themes: which theme(s) of ``ikgc:LessonThemes`` a lesson or working
element belongs to, from words in its sentence. Lessons of different deals that share a
theme form a cluster; ``ontology/queries/terugkerende-lessen.rq`` lists the themes that
recur across deals, with the deals they span. Deterministic and document-local, so a
re-ingest or prune of one document never changes another document's clusters.
"""

from __future__ import annotations

import re

THEME_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("theme-early-involvement", re.compile(
        r"\b(?:vroeg\w*|vanaf\s+(?:het\s+begin|de\s+start|dag\s+één|de\s+eerste)|bij\s+de\s+start|al\s+in\s+de\s+verkenning|eerder)\b[^.]{0,60}\b(?:betrek\w*|aan\s+tafel|uitnodig\w*|meedo\w*|bell\w*)|\b(?:betrek\w*|nodig\w*)\b[^.]{0,60}\b(?:vroeg\w*|vanaf\s+het\s+begin|bij\s+de\s+start|in\s+de\s+verkenning)",
        re.IGNORECASE)),
    ("theme-funding-and-securing", re.compile(
        r"\b(?:financier\w*|budget\w*|begroting\w*|beheer\w*|borg\w*|structure\w*|subsidie\w*|na\s+afloop|beheerkosten)\b",
        re.IGNORECASE)),
    ("theme-ownership", re.compile(
        r"\b(?:eigenaar\w*|trekker\w*|opvolger\w*|mandaat|kartrekker\w*|vertrek\w*|penvoerder|bevlogen\s+personen)\b",
        re.IGNORECASE)),
    ("theme-trust-and-presence", re.compile(
        r"\b(?:vertrouw\w*|persoonlijk\w*|fysiek\w*|aanwezig\w*|keukentafel|aanspreekpunt\w*|contactpersoon\w*|gezicht|bij\s+naam|langs\s+de\s+deuren|elkaar\s+kennen|vertrouwde)\b",
        re.IGNORECASE)),
    ("theme-clear-expectations", re.compile(
        r"\b(?:verwachting\w*|afrekenba\w*|meetbare?\s+doel\w*|vaag|vage|de\s+lat|doelen|realistisch\w*)\b",
        re.IGNORECASE)),
    ("theme-measure-and-learn", re.compile(
        r"\b(?:meten|gemeten|meet\w*|monitor\w*|data|gegevens|cijfers|evalua\w*|registreer\w*|vastleggen|leg\w*\s+vast|aannames?)\b",
        re.IGNORECASE)),
    ("theme-start-small", re.compile(
        r"\b(?:klein\w*|focus\w*|beperk\w*|minder\s+doelen|een\s+paar|kerngroep|kernteam|te\s+veel\s+(?:partijen|doelen|tegelijk))\b",
        re.IGNORECASE)),
    ("theme-residents-and-target-group", re.compile(
        r"\b(?:bewoner\w*|inwoner\w*|doelgroep\w*|deelnemers?\s+zelf|huishouden\w*|buurt\w*|wijk\w*|co-?cre\w*|meebeslis\w*|meeontwerp\w*)\b",
        re.IGNORECASE)),
    ("theme-share-knowledge", re.compile(
        r"\b(?:dele[nr]|deel\b|gedeeld\w*|fouten|uitwissel\w*|netwerk\w*|overdracht|in\s+een\s+team)\b",
        re.IGNORECASE)),
    ("theme-rules-and-policy", re.compile(
        r"\b(?:regel\w*|wet\w*|juridisch\w*|beleid\w*|knelpunt\w*|knell\w*|ministerie\w*|departement\w*|rijk\b)",
        re.IGNORECASE)),
    ("theme-time-and-patience", re.compile(
        r"\b(?:tijd|geduld|looptijd|jaren|lange\s+termijn|te\s+kort|te\s+snel)\b",
        re.IGNORECASE)),
    ("theme-scaling", re.compile(
        r"\b(?:opschal\w*|opschaal\w*|kopi\w*|uitrol\w*|overnem\w*|landelijk\w*|stoppen|gestopt)\b",
        re.IGNORECASE)),
)


def lesson_themes(sentence: str) -> list[str]:
    """The local names of the theme concepts a sentence speaks to (possibly none)."""
    return [name for name, pattern in THEME_PATTERNS if pattern.search(sentence)]
