"""Dutch stop words, dropped before stemming by the keyword index and the highlighter.

The Snowball list for Dutch, plus the question words and pronouns that questions
to the search box are full of ("hoe", "welke", "wij").
"""

from __future__ import annotations

SNOWBALL_DUTCH = """
aan al alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door dus
een eens en er ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun iemand iets
ik in is ja je kan kon kunnen maar me meer men met mij mijn moet na naar niet niets nog nu of
om omdat onder ons ook op over reeds te tegen toch toen tot u uit uw van veel voor want waren
was wat werd wezen wie wil worden wordt zal ze zelf zich zij zijn zo zonder zou
"""

QUESTION_WORDS = """
waar waarom wanneer welk welke hoeveel wij we jij jullie zij onze jouw moeten mag mogen
"""

STOPWORDS_NL: frozenset[str] = frozenset((SNOWBALL_DUTCH + QUESTION_WORDS).split())
"""Lower-case surface forms; compared before stemming."""

__all__ = ["STOPWORDS_NL"]
