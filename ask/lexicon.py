"""Word lists the question analysis uses (data only, no logic)."""

from __future__ import annotations

DUTCH_MARKERS = frozenset({
    "de", "het", "een", "en", "van", "wat", "wie", "welke", "hoe", "waarom", "wanneer", "waar",
    "is", "zijn", "er", "op", "voor", "met", "over", "bij", "je", "we", "hebben", "heeft", "deals",
    "hoeveel", "werd", "worden", "dat", "die", "niet", "ook", "naar", "nog", "om", "uit", "zich",
})
ENGLISH_MARKERS = frozenset({
    "the", "a", "an", "and", "of", "what", "who", "which", "how", "why", "when", "where", "is",
    "are", "was", "were", "do", "does", "did", "for", "with", "about", "at", "you", "they", "their",
    "many", "much", "can", "that", "this", "to", "from", "in", "on", "it", "have", "has",
})
ENGLISH_STOPWORDS = ENGLISH_MARKERS | frozenset({
    "be", "been", "by", "or", "as", "if", "so", "there", "these", "those", "its", "into", "after",
    "before", "than", "then", "any", "some", "all", "most", "more", "other", "such", "only", "own",
    "same", "too", "very", "just", "should", "would", "could", "will", "shall", "may", "might",
    "must", "our", "we", "your", "his", "her", "him", "she", "he", "them", "us", "me", "my", "i",
    "not", "no", "get", "got", "make", "made", "keep", "kept",
})

# Capitalised words that name no particular thing (sentence openers, the programme's vocabulary,
# nationalities): a question containing them does not need them in the evidence.
COMMON_CAPITALISED = frozenset(fold_word for fold_word in (
    "city", "deal", "deals", "town", "cop", "cops", "community", "practice", "agenda", "stad",
    "nederland", "nederlandse", "dutch", "netherlands", "rijk", "het", "de", "een", "wat", "wie",
    "welke", "hoe", "waarom", "wanneer", "waar", "hoeveel", "what", "who", "which", "how", "why",
    "when", "where", "the", "in", "is", "are", "do", "does", "did", "kamer", "tweede", "minister",
    "ministerie", "gemeente", "gemeenten", "provincie", "english", "engels", "i", "ik", "we", "wij",
))

# English words for the themes the curated deals carry (the Dutch theme words link directly).
THEME_SYNONYMS: dict[str, str] = {
    "mobility": "mobiliteit", "transport": "mobiliteit", "verkeer": "mobiliteit",
    "vervoer": "mobiliteit", "safety": "veiligheid", "security": "veiligheid", "crime": "veiligheid",
    "climate": "klimaatadaptatie", "klimaat": "klimaatadaptatie", "food": "voedsel",
    "energy": "energietransitie", "energie": "energietransitie", "economy": "economie",
    "housing": "wonen", "education": "onderwijs", "knowledge": "kennis", "digital": "digitalisering",
    "digitalisation": "digitalisering", "digitalization": "digitalisering",
    "circular": "circulaire", "social": "sociaal",
}

STATUS_SYNONYMS: dict[str, str] = {
    "afgerond": "afgerond", "afgelopen": "afgerond", "beeindigd": "afgerond", "klaar": "afgerond",
    "completed": "afgerond", "finished": "afgerond", "ended": "afgerond", "closed": "afgerond",
    "lopend": "lopend", "lopende": "lopend", "running": "lopend", "ongoing": "lopend",
    "current": "lopend", "actief": "lopend", "active": "lopend",
}

__all__ = [
    "COMMON_CAPITALISED",
    "DUTCH_MARKERS",
    "ENGLISH_MARKERS",
    "ENGLISH_STOPWORDS",
    "STATUS_SYNONYMS",
    "THEME_SYNONYMS",
]
